"""Checklist item 组织关系转接: every transfer of the branch handled within its deadline."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from apps.core.calendar import add_working_days
from apps.core.rules_engine import DUE, MISSED, CheckResult, Period, check, overdue_within, pending_within
from apps.transfers.flow import ISSUE_WORKING_DAYS, RECEIPT_WORKING_DAYS


@check("transfers", "组织关系转接按期办结")
def transfers_on_time(branch_ids: list[int], period: Period) -> dict[int, CheckResult]:
    """A letter issued within ISSUE_WORKING_DAYS of the request and the receipt back within
    RECEIPT_WORKING_DAYS of the letter; a step late at any day of the period misses it."""
    from apps.transfers.models import Transfer

    rows = (
        Transfer.objects.filter(Q(from_org_id__in=branch_ids) | Q(to_org_id__in=branch_ids))
        .filter(requested_on__lte=period.end)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gte=period.start))
        .exclude(state__in=("cancelled", "returned"))
        .values_list("from_org_id", "to_org_id", "requested_on", "issued_on", "completed_on", "state")
    )
    late: dict[int, int] = {}
    pending: set[int] = set()
    for from_id, to_id, requested_on, issued_on, completed_on, state in rows:
        issue_by = add_working_days(requested_on, ISSUE_WORKING_DAYS)
        # A transfer into the zone is confirmed on the request itself (no letter of ours to issue).
        steps = [(issue_by, issued_on if issued_on else completed_on)]
        if issued_on is not None:
            steps.append((add_working_days(issued_on, RECEIPT_WORKING_DAYS), completed_on))
        is_late = any(overdue_within(deadline, met, period) for deadline, met in steps)
        is_pending = any(pending_within(deadline, met, period) for deadline, met in steps)
        for org_id in {from_id, to_id} & set(branch_ids):
            if is_late:
                late[org_id] = late.get(org_id, 0) + 1
            elif is_pending and state not in ("completed",):
                pending.add(org_id)
    link = reverse("transfers:list")
    result = {
        org_id: CheckResult(MISSED, f"{n}件转接超过办理期限", f"{link}?org={org_id}")
        for org_id, n in late.items()
    }
    for org_id in pending - set(late):
        result[org_id] = CheckResult(DUE, "有转接待按期办理", f"{link}?org={org_id}")
    return result
