"""Checklist item 换届选举: the branch committee re-elected when its term ends."""

from __future__ import annotations

from django.urls import reverse

from apps.core.rules_engine import DUE, MISSED, CheckResult, Period, check
from apps.orgs.rules import re_election_due


@check("election", "按期换届")
def elected_on_time(branch_ids: list[int], period: Period) -> dict[int, CheckResult]:
    """The term (three years for a branch, 《中国共产党支部工作条例（试行）》 art. 20) ends by the
    latest election or the founding; overdue is missed, ending within the period is due."""
    from apps.orgs.models import Organization

    result = {}
    for org_id, org_type, last, founded in Organization.objects.filter(pk__in=branch_ids).values_list(
        "id", "org_type", "last_election_on", "founded_on"
    ):
        due = re_election_due(org_type, last, founded)
        if due is None:
            continue
        link = reverse("orgs:detail", args=[org_id])
        if due < period.checked_until:
            result[org_id] = CheckResult(MISSED, f"任期已于{due:%Y-%m-%d}届满，未换届", link)
        elif due <= period.end:
            result[org_id] = CheckResult(DUE, f"任期将于{due:%Y-%m-%d}届满", link)
    return result
