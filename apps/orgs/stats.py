"""Organization figures for the statistics engine."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from django.urls import reverse

from apps.core.scoping import Perm, get_scope
from apps.core.statistics import Stat, StatContext, provides
from apps.orgs.choices import OrgType
from apps.orgs.selectors import orgs_for


@provides("orgs", "党组织")
def org_stats(ctx: StatContext) -> Iterator[Stat]:
    if not get_scope(ctx.user).has(Perm.ORGS_VIEW):
        return
    qs = orgs_for(ctx.user).filter(is_active=True)
    if ctx.org is not None:
        qs = qs.filter(path__startswith=ctx.org.path)
    by_type = dict(qs.values_list("org_type").annotate(n=Count("id")).order_by())
    base = reverse("orgs:index")
    yield Stat("orgs.total", "党组织", sum(by_type.values()), base, "个")
    for value, label in OrgType.choices:
        if by_type.get(value):
            yield Stat(
                f"orgs.by_type.{value}", label, by_type[value], f"{base}?type={value}", "个", "orgs.by_type"
            )
