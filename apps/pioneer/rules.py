"""Scoring: a pure function of the counts found in the records and the scheme's items."""

from __future__ import annotations

from decimal import Decimal

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
