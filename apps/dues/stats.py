"""Dues figures for the statistics engine: this month's collection rate."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from apps.core.scoping import Perm, get_scope
from apps.core.statistics import Stat, StatContext, provides
from apps.dues.selectors import collection


@provides("dues", "党费收缴")
def dues_stats(ctx: StatContext) -> Iterator[Stat]:
    scope = get_scope(ctx.user)
    if not (scope.is_superuser or scope.paths(Perm.DUES_VIEW)):
        return
    month = (ctx.on or timezone.localdate()).replace(day=1)
    row = collection(ctx.user, month=month, org=ctx.org)
    link = f"{reverse('dues:index')}?month={month:%Y-%m}" + (
        f"&org={ctx.org.pk}" if ctx.org is not None else ""
    )
    yield Stat("dues.bills", f"{month.month}月党费账单", row["bills"], link, "笔")
    yield Stat("dues.rate", f"{month.month}月党费收缴率", row["rate"], link, "%")
