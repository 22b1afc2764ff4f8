"""Monthly and yearly pioneer-index scores of a branch's members, ranked, from a few aggregates."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from apps.members.choices import INACTIVE_CATEGORIES
from apps.members.models import Member
from apps.orgs.models import Organization
from apps.pioneer.models import ItemSource, ManualScore, PioneerItem
from apps.pioneer.rules import class_hours, item_points


@dataclass
class Score:
    member_id: int
    name: str
    total: Decimal = Decimal("0")
    items: dict[str, Decimal] = field(default_factory=dict)
    rank: int = 0


def period(year: int, month: int | None) -> tuple[dt.date, dt.date, int]:
    if month:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), 1
    return dt.date(year, 1, 1), dt.date(year, 12, 31), 12


TRAINING_TYPES = ("training", "party_lecture")


def _training_hours(member_ids: list[int], start: dt.date, end: dt.date) -> dict[int, Decimal]:
    """Class hours each member attended at held party lectures and training sessions in the period."""
    from apps.meetings.models import Attendance

    hours: dict[int, Decimal] = defaultdict(Decimal)
    for member_id, begins, ends in Attendance.objects.filter(
        member_id__in=member_ids, status="present", meeting__status="held", meeting__meeting_type__in=TRAINING_TYPES,
        meeting__date__gte=start, meeting__date__lte=end,
    ).values_list("member_id", "meeting__start_time", "meeting__end_time"):  # fmt: skip
        hours[member_id] += class_hours(begins, ends)
    return hours


def branch_scores(
    org: Organization, year: int, month: int | None, *, today: dt.date
) -> tuple[list[PioneerItem], list[Score]]:
    """Every member of the branch scored over a month (or the year so far), ranked (ties share a rank)."""
    from apps.dues.models import DuesBill
    from apps.meetings.models import Attendance

    start, end, months = period(year, month)
    if not month:
        end = min(end, today)
        months = max(1, end.month if end.year == year else 12)
    items = list(PioneerItem.objects.filter(is_active=True))
    members = list(
        Member.objects.filter(org=org)
        .exclude(category__in=INACTIVE_CATEGORIES)
        .order_by("name_pinyin")
        .values("id", "name")
    )
    ids = [m["id"] for m in members]
    attendance: dict[tuple[int, str], int] = {
        (r["member_id"], r["status"]): r["n"]
        for r in Attendance.objects.filter(
            member_id__in=ids, meeting__status="held", meeting__date__gte=start, meeting__date__lte=end
        )
        .values("member_id", "status")
        .annotate(n=Count("id"))
    }
    training = _training_hours(ids, start, end)
    dues = {
        r["member_id"]: r
        for r in DuesBill.objects.filter(member_id__in=ids, month__gte=start, month__lte=end)
        .values("member_id")
        .annotate(paid=Count("id", filter=Q(status="paid")), unpaid=Count("id", filter=Q(status="unpaid")))
    }
    manual: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for r in (
        ManualScore.objects.filter(member_id__in=ids, month__gte=start, month__lte=end)
        .values("member_id", "item_id")
        .annotate(total=Sum("points"))
    ):
        manual[(r["member_id"], r["item_id"])] = r["total"]
    scores = []
    for m in members:
        score = Score(member_id=m["id"], name=m["name"])
        counts: dict[str, Any] = {
            ItemSource.ATTENDANCE_PRESENT: attendance.get((m["id"], "present"), 0),
            ItemSource.ATTENDANCE_ABSENT: attendance.get((m["id"], "absent"), 0),
            ItemSource.DUES_ON_TIME: dues.get(m["id"], {}).get("paid", 0),
            ItemSource.DUES_UNPAID: dues.get(m["id"], {}).get("unpaid", 0),
            ItemSource.TRAINING_HOURS: training.get(m["id"], Decimal("0")),
        }
        for item in items:
            count = (
                manual.get((m["id"], item.pk), Decimal("0"))
                if item.source == ItemSource.MANUAL
                else counts.get(item.source, 0)
            )
            points = item_points(item, count, months)
            score.items[item.code] = points
            score.total += points
        scores.append(score)
    scores.sort(key=lambda s: (-s.total, s.name))
    rank, previous = 0, None
    for index, s in enumerate(scores, start=1):
        if s.total != previous:
            rank, previous = index, s.total
        s.rank = rank
    return items, scores
