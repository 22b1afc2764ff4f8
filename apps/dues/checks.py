"""Checklist item 党费收缴: every bill of the period's months paid by the end of the period."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from apps.core.rules_engine import DUE, MISSED, CheckResult, Period, check


@check("dues", "党费按月足额缴纳")
def dues_paid(branch_ids: list[int], period: Period) -> dict[int, CheckResult]:
    """Bills of the months in the period still unpaid, or paid after the period ended (补缴 counts as
    late for the period it belonged to)."""
    from apps.dues.models import BillStatus, DuesBill

    late = Q(status=BillStatus.UNPAID) | Q(paid_on__gt=period.end)
    rows = (
        DuesBill.objects.filter(org_id__in=branch_ids, month__gte=period.start, month__lte=period.end)
        .values("org_id")
        .annotate(n=Count("id", filter=late))
        .filter(n__gt=0)
        .values_list("org_id", "n")
    )
    link = reverse("dues:bills")
    month = f"{period.start:%Y-%m}"
    return {
        org_id: CheckResult(
            MISSED if period.over else DUE,
            f"{n}笔党费{'未按期缴纳' if period.over else '尚未缴纳'}",
            f"{link}?org={org_id}&month={month}&status=unpaid",
        )
        for org_id, n in rows
    }
