"""The home page's figures for the user's scope, each with the link to the list behind it."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from apps.core.scoping import Perm, get_scope
from apps.members.choices import AgeBand, Education, MemberCategory, MemberStatus
from apps.members.selectors import member_breakdown
from apps.orgs.choices import OrgType
from apps.orgs.selectors import orgs_for, orgs_with_warnings_count


def _series(
    counts: dict[str, int], choices: list[tuple[str, str]], link: str, param: str
) -> list[dict[str, Any]]:
    return [
        {"name": label, "value": counts.get(value, 0), "url": f"{link}?{param}={value}"}
        for value, label in choices
    ]


def home_figures(user: Any) -> dict[str, Any]:
    scope = get_scope(user)
    members_url = reverse("members:list")
    orgs_url = reverse("orgs:index")
    breakdown = member_breakdown(user)
    figures: dict[str, Any] = {
        "members_total": breakdown["total"],
        "members_full": breakdown["by_status"].get(MemberStatus.FULL, 0),
        "members_probationary": breakdown["by_status"].get(MemberStatus.PROBATIONARY, 0),
        "charts": {
            "status": _series(breakdown["by_status"], MemberStatus.choices, members_url, "status"),
            "category": _series(breakdown["by_category"], MemberCategory.choices, members_url, "category"),
            "gender": _series(
                breakdown["by_gender"], [("male", "男"), ("female", "女")], members_url, "gender"
            ),
            "education": _series(breakdown["by_education"], Education.choices, members_url, "education"),
            "age": _series(breakdown["by_age_band"], AgeBand.choices, members_url, "age_band"),
        },
    }
    if scope.has(Perm.ORGS_VIEW):
        by_type = dict(
            orgs_for(user).filter(is_active=True).values_list("org_type").annotate(n=Count("id")).order_by()
        )
        figures["orgs_total"] = sum(by_type.values())
        figures["charts"]["org_type"] = [
            s for s in _series(by_type, OrgType.choices, orgs_url, "type") if s["value"]
        ]
        flagged = orgs_with_warnings_count(user, timezone.localdate())
        figures["warnings"] = flagged[:30]
        figures["warnings_total"] = len(flagged)
    return figures
