"""Checklist item 党员发展: the development steps with a deadline taken in time."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from apps.core.rules_engine import DUE, MISSED, CheckResult, Period, check, overdue_within, pending_within
from apps.development import rules


@check("development", "发展党员各环节按期")
def development_on_time(branch_ids: list[int], period: Period) -> dict[int, CheckResult]:
    """The talk within a month of the application and the higher committee's approval within three
    months of the branch meeting (《中国共产党发展党员工作细则》 art. 7, 23)."""
    from apps.development.models import Prospect

    rows = (
        Prospect.objects.filter(org_id__in=branch_ids, application_date__lte=period.end)
        .filter(Q(talk_date__isnull=True) | Q(meeting_date__isnull=False))
        .exclude(stage="stopped")
        .values_list("org_id", "application_date", "talk_date", "meeting_date", "approval_date")
    )
    late: dict[int, int] = {}
    pending: set[int] = set()
    for org_id, applied, talk, meeting, approval in rows:
        steps = [(rules.talk_deadline(applied), talk)]
        if meeting is not None:
            steps.append((rules.approval_deadline(meeting), approval))
        if any(overdue_within(deadline, met, period) for deadline, met in steps):
            late[org_id] = late.get(org_id, 0) + 1
        elif any(pending_within(deadline, met, period) for deadline, met in steps):
            pending.add(org_id)
    link = reverse("development:board")
    result = {
        org_id: CheckResult(MISSED, f"{n}人的发展环节超过期限", f"{link}?org={org_id}")
        for org_id, n in late.items()
    }
    for org_id in pending - set(late):
        result[org_id] = CheckResult(DUE, "有发展环节本期到期", f"{link}?org={org_id}")
    return result
