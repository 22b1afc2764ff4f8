"""Organization figures for the statistics engine."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count
from django.urls import reverse

from apps.core.scoping import Perm, get_scope
from apps.core.statistics import Stat, StatContext, provides
from apps.orgs.choices import OrgType
from apps.orgs.selectors import orgs_for


def org_counts_by_type(user: Any, org: Any = None, memo: dict[str, Any] | None = None) -> dict[str, int]:
    """Active organizations of the scope (or a subtree) by type: from the tallies on PostgreSQL.
    `memo` (a StatContext's extra) lets the providers of one page share the answer."""
    if memo is not None and "org_counts" in memo:
        return dict(memo["org_counts"])
    counts = _org_counts_by_type(user, org)
    if memo is not None:
        memo["org_counts"] = counts
    return counts


def _org_counts_by_type(user: Any, org: Any = None) -> dict[str, int]:
    from apps.core import tallies

    if tallies.enabled():
        paths = (org.path,) if org is not None else tallies.scope_paths(user, Perm.ORGS_VIEW)
        if paths:
            return {
                value: n
                for value, (n, _a) in tallies.read("org", paths, ["type"]).get("type", {}).items()
                if n
            }
    qs = orgs_for(user).filter(is_active=True)
    if org is not None:
        qs = qs.filter(path__startswith=org.path)
    return dict(qs.values_list("org_type").annotate(n=Count("id")).order_by())


@provides("orgs", "党组织")
def org_stats(ctx: StatContext) -> Iterator[Stat]:
    if not get_scope(ctx.user).has(Perm.ORGS_VIEW):
        return
    by_type = org_counts_by_type(ctx.user, ctx.org, ctx.extra)
    base = reverse("orgs:index")
    yield Stat("orgs.total", "党组织", sum(by_type.values()), base, "个")
    for value, label in OrgType.choices:
        if by_type.get(value):
            yield Stat(
                f"orgs.by_type.{value}", label, by_type[value], f"{base}?type={value}", "个", "orgs.by_type"
            )
