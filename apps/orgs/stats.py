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


def org_counts_by_type(user: Any, org: Any = None) -> dict[str, int]:
    """Active organizations of the scope (or a subtree) by type: from the tallies on PostgreSQL."""
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
    by_type = org_counts_by_type(ctx.user, ctx.org)
    base = reverse("orgs:index")
    yield Stat("orgs.total", "党组织", sum(by_type.values()), base, "个")
    for value, label in OrgType.choices:
        if by_type.get(value):
            yield Stat(
                f"orgs.by_type.{value}", label, by_type[value], f"{base}?type={value}", "个", "orgs.by_type"
            )
