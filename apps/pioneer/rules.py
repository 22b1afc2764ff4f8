"""Scoring: a pure function of the counts found in the records and the scheme's items."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from apps.pioneer.models import ItemSource, PioneerItem


def item_points(item: PioneerItem, count: int | Decimal, months: int = 1) -> Decimal:
    """Points of one item: count × points, the total limited to the monthly cap (in absolute value)."""
    if item.source == ItemSource.BASE:
        total = item.points * months
    elif item.source == ItemSource.MANUAL:
        total = Decimal(count)
    else:
        total = item.points * count
    if item.monthly_cap is not None:
        cap = item.monthly_cap * months
        total = max(min(total, cap), -cap)
    return total.quantize(Decimal("0.1"))


# A class hour (学时) of party education is 45 minutes (《2019—2023年全国党员教育培训工作规划》 counts
# training in 学时); a session without recorded times counts as one class hour.
CLASS_HOUR_MINUTES = 45


def class_hours(start: dt.time | None, end: dt.time | None) -> Decimal:
    """Class hours of one session from its start and end time, to the half hour; one when unknown."""
    if start is None or end is None or end <= start:
        return Decimal("1")
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    halves = (Decimal(minutes) * 2 / CLASS_HOUR_MINUTES).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return max(Decimal("0.5"), halves / 2)
