"""Checklist item 台账资料: every meeting held in the period has its minutes or an attachment filed."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from apps.core.rules_engine import DUE, MISSED, CheckResult, Period, check


@check("ledger", "会议记录与台账齐全")
def ledger_complete(branch_ids: list[int], period: Period) -> dict[int, CheckResult]:
    """A held meeting with neither minutes nor an attached record leaves the ledger incomplete."""
    from apps.meetings.models import Meeting

    rows = (
        Meeting.objects.filter(
            org_id__in=branch_ids, status="held", date__gte=period.start, date__lte=period.checked_until
        )
        .filter(minutes="", attachments__isnull=True)
        .values("org_id")
        .annotate(n=Count("id", distinct=True))
        .values_list("org_id", "n")
    )
    link = reverse("meetings:list")
    return {
        org_id: CheckResult(
            MISSED if period.over else DUE,
            f"{n}次会议缺少会议记录或附件",
            f"{link}?org={org_id}",
        )
        for org_id, n in rows
        if n
    }
