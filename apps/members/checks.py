"""Checklist item 党籍管理: the records tell the truth — no probation left unresolved past its end."""

from __future__ import annotations

from django.urls import reverse

from apps.core.rules_engine import DUE, MISSED, CheckResult, Period, check, overdue_within, pending_within


@check("records", "党籍信息及时准确")
def records_current(branch_ids: list[int], period: Period) -> dict[int, CheckResult]:
    """A probationary member's probation (one year, plus any extension) ends with a decision recorded:
    full membership, an extension or disqualification (《中国共产党章程》 art. 7)."""
    from apps.development.rules import add_months, probation_end_date
    from apps.members.models import Member

    latest_admission = add_months(period.end, -12)
    rows = Member.objects.filter(org_id__in=branch_ids, admission_date__lte=latest_admission).filter(
        status="probationary"
    ) | Member.objects.filter(
        org_id__in=branch_ids,
        full_membership_date__gte=period.start,
    )
    late: dict[int, int] = {}
    pending: set[int] = set()
    for org_id, admitted, full_on, extension in rows.values_list(
        "org_id", "admission_date", "full_membership_date", "prospect__extension_months"
    ):
        end = add_months(probation_end_date(admitted), extension or 0)
        if overdue_within(end, full_on, period):
            late[org_id] = late.get(org_id, 0) + 1
        elif pending_within(end, full_on, period):
            pending.add(org_id)
    link = reverse("members:list")
    result = {
        org_id: CheckResult(
            MISSED, f"{n}名预备党员预备期满未及时处理", f"{link}?org={org_id}&status=probationary"
        )
        for org_id, n in late.items()
    }
    for org_id in pending - set(late):
        result[org_id] = CheckResult(
            DUE, "有预备党员本期预备期满", f"{link}?org={org_id}&status=probationary"
        )
    return result
