from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from apps.core.scoping import Perm, get_scope


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the menu shows: only entries the user's scope allows (rows are still filtered per query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = get_scope(user)
    return {
        "nav": {
            "orgs": scope.has(Perm.ORGS_VIEW),
            "members": bool(scope.paths(Perm.MEMBERS_VIEW)) or scope.is_superuser,
            "my_record": scope.member_id,
            "audit": scope.has(Perm.AUDIT_VIEW),
            "import": bool(scope.paths(Perm.MEMBERS_IMPORT)) or scope.is_superuser,
            "dues": bool(scope.paths(Perm.DUES_MANAGE)) or scope.is_superuser,
            "meetings": scope.has(Perm.MEETINGS_VIEW),
            "transfers": bool(scope.paths(Perm.MEMBERS_CHANGE)) or scope.is_superuser,
            "development": bool(scope.paths(Perm.DEVELOPMENT_MANAGE)) or scope.is_superuser,
            "requirements": scope.has(Perm.REQUIREMENTS_EDIT),
            "coverage": _may_view_coverage(user),
            "mediation": _may_view_mediation(user),
            "grid": _may_view_grid(user),
            "requests": _may_view_requests(user),
        },
        "alerts_unread": _unread(user),
        "scope_label": "、".join(g.org_name for g in scope.grants[:3])
        or ("全区" if scope.is_superuser else _other_roles(user) or "本人"),
    }


def _may_view_coverage(user: Any) -> bool:
    from apps.coverage.selectors import may_view_coverage

    return may_view_coverage(user)


def _may_view_grid(user: Any) -> bool:
    from apps.grid.selectors import may_view_grid

    return may_view_grid(user)


def _may_view_requests(user: Any) -> bool:
    from apps.resident_requests.selectors import may_view_requests

    return may_view_requests(user)


def _may_view_mediation(user: Any) -> bool:
    from apps.mediation.selectors import may_view_mediation

    return may_view_mediation(user)


def _other_roles(user: Any) -> str:
    """For people outside the party tree: the departments and mediation institutions they work for."""
    from apps.mediation.selectors import memberships
    from apps.resident_requests.models import Department
    from apps.resident_requests.selectors import department_ids

    names = {m.institution.name for m in memberships(user)}
    ids = department_ids(user)
    if ids:
        names |= set(Department.objects.filter(pk__in=ids).values_list("name", flat=True))
    return "、".join(sorted(names)[:3])


def _unread(user: Any) -> int:
    from apps.alerts.selectors import unread_count

    return unread_count(user)
