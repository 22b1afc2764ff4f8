"""Monthly snapshots of subtree figures, for the trend lines of the dashboard and the big screen.

A month's figure cannot be recomputed later (members leave, units close), so it is recorded while the
month runs: each run counts every organization's own rows in one grouped query per figure, rolls the
counts up the tree by path, and upserts one row per (organization, figure, month).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.db.models import Count, FilteredRelation, Q
from django.utils import timezone

from apps.orgs.models import SEGMENT, Organization

FIGURES = {
    "members.total": "党员总数",
    "coverage.total": "两新组织",
    "coverage.org_covered": "组织覆盖的两新组织",
    "coverage.work_covered": "工作覆盖的两新组织",
}


def _direct_counts(as_of: dt.date | None = None) -> dict[str, dict[str, int]]:
    """Each figure's count per organization path, for that organization's own rows: as the records
    stand now, or (`as_of`, for a backfill) from the dated records valid on that day."""
    from apps.coverage.models import Unit
    from apps.coverage.selectors import existing_on
    from apps.members.choices import INACTIVE_CATEGORIES
    from apps.members.models import Member, MemberOrgPeriod

    counts: dict[str, dict[str, int]] = {}
    if as_of is None:
        counts["members.total"] = dict(
            Member.objects.exclude(category__in=INACTIVE_CATEGORIES)
            .values_list("org_path")
            .annotate(n=Count("id"))
            .order_by()
        )
        units = Unit.objects.filter(closed_on__isnull=True)
        status = "status"
    else:
        # Registration periods say where each member was on the day (a period ends when they leave).
        counts["members.total"] = dict(
            MemberOrgPeriod.objects.filter(start__lte=as_of)
            .filter(Q(end__isnull=True) | Q(end__gt=as_of))
            .values_list("org__path")
            .annotate(n=Count("id"))
            .order_by()
        )
        valid = Q(records__valid_from__lte=as_of) & (
            Q(records__valid_to__isnull=True) | Q(records__valid_to__gt=as_of)
        )
        units = Unit.objects.filter(existing_on(as_of)).annotate(
            valid_record=FilteredRelation("records", condition=valid)
        )
        status = "valid_record__status"
    rows = units.values_list("org_path").annotate(
        total=Count("id"),
        org=Count("id", filter=Q(**{f"{status}__in": ["own", "joint"]})),
        work=Count("id", filter=Q(**{f"{status}__in": ["own", "joint", "instructor"]})),
    )
    counts["coverage.total"], counts["coverage.org_covered"], counts["coverage.work_covered"] = {}, {}, {}
    for path, total, org, work in rows.order_by():
        counts["coverage.total"][path] = total
        counts["coverage.org_covered"][path] = org
        counts["coverage.work_covered"][path] = work
    return counts


def rolled_up(direct: dict[str, int]) -> dict[str, int]:
    """Subtree totals: every path's count added to each of its ancestors' (paths are 5-character segments)."""
    totals: dict[str, int] = defaultdict(int)
    for path, n in direct.items():
        for end in range(SEGMENT, len(path) + 1, SEGMENT):
            totals[path[:end]] += n
    return totals


@transaction.atomic
def take_snapshot(month: dt.date | None = None, *, as_of: dt.date | None = None) -> int:
    """Records every organization's figures for `month` (the current one by default); returns rows
    written. With `as_of` the figures come from the dated records of that day (backfilling a past month)."""
    from apps.core.models import StatSnapshot

    month = (month or timezone.localdate()).replace(day=1)
    ids = dict(Organization.objects.values_list("path", "id"))
    rows = []
    for code, direct in _direct_counts(as_of).items():
        for path, value in rolled_up(direct).items():
            if path in ids:
                rows.append(StatSnapshot(month=month, org_id=ids[path], code=code, value=value))
    StatSnapshot.objects.filter(month=month).delete()
    StatSnapshot.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def trend(orgs: list[Any], code: str, months: int = 12) -> list[tuple[dt.date, int]]:
    """The figure summed over the given subtree roots, month by month (months without a snapshot are skipped)."""
    from django.db.models import Sum

    from apps.core.models import StatSnapshot

    first = (timezone.localdate().replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    rows = (
        StatSnapshot.objects.filter(org__in=orgs, code=code, month__gte=first)
        .values_list("month")
        .annotate(total=Sum("value"))
        .order_by("month")
    )
    return [(m, int(t)) for m, t in rows]


def backfill(months: int = 12) -> int:
    """Snapshots of the past months from the dated records (each month as of its last day), and the
    current month from the records as they stand; months already recorded are replaced."""
    today = timezone.localdate()
    written = take_snapshot(today)
    month = today.replace(day=1)
    for _ in range(months - 1):
        last_day = month - dt.timedelta(days=1)
        month = last_day.replace(day=1)
        written += take_snapshot(month, as_of=last_day)
    return written
