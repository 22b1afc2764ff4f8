"""Routine-work figures for the statistics engine: how many branches held last month's monthly items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from apps.core.scoping import Perm, get_scope
from apps.core.statistics import Stat, StatContext, provides
from apps.meetings.models import Meeting, Requirement
from apps.orgs.choices import BRANCH_TYPES


@provides("meetings", "经常性工作")
def compliance_stats(ctx: StatContext) -> Iterator[Stat]:
    """For each monthly meeting requirement, the share of the scope's branches that held it last month
    (one grouped count of the month's meetings, one count of branches)."""
    scope = get_scope(ctx.user)
    if not scope.has(Perm.MEETINGS_VIEW) or not (scope.is_superuser or scope.paths(Perm.MEETINGS_VIEW)):
        return
    today = ctx.on or timezone.localdate()
    end = today.replace(day=1) - dt.timedelta(days=1)
    start = end.replace(day=1)
    meetings = Meeting.objects.filter(
        scope.org_q(Perm.MEETINGS_VIEW, "org_path"), status="held", date__gte=start, date__lte=end
    )
    if ctx.org is not None:
        meetings = meetings.filter(org_path__startswith=ctx.org.path)
    from apps.orgs.stats import org_counts_by_type

    total = sum(n for t, n in org_counts_by_type(ctx.user, ctx.org, ctx.extra).items() if t in BRANCH_TYPES)
    monthly = list(
        Requirement.objects.filter(
            is_active=True, source="meeting", cadence="monthly", needs_committee=False, needs_groups=False
        )
    )
    held = dict(
        meetings.filter(meeting_type__in=[r.meeting_type for r in monthly])
        .values_list("meeting_type")
        .annotate(n=Count("org_id", distinct=True))
        .order_by()
    )
    link = (
        reverse("meetings:checklist")
        + (f"?org={ctx.org.pk}&" if ctx.org is not None else "?")
        + f"on={start:%Y-%m-%d}"
    )
    for r in monthly:
        rate = (
            (Decimal(held.get(r.meeting_type, 0)) / total).quantize(Decimal("0.0001"), ROUND_HALF_UP)
            if total
            else None
        )
        yield Stat(
            f"meetings.held.{r.meeting_type}",
            f"{start.month}月{r.name}召开率",
            rate,
            link,
            "%",
            "meetings.held",
        )
