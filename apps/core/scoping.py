"""Who may see and change what: roles, their permissions and the organization subtrees they cover.

A user's scope is the set of subtree roots of their role grants, plus their own member record.
Every selector applies it through `Scope.filter`, so a list, a count, an export and a search all
see the same rows; single objects come through `access_*` functions that answer 404 alike for
"missing" and "not yours". The scope is resolved once per request (two queries) and cached on the user.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    ZONE_ADMIN = "zone_admin", "组织部管理员"
    COMMITTEE_ADMIN = "committee_admin", "党委管理员"
    BRANCH_SECRETARY = "branch_secretary", "支部书记/组织委员"
    INSTRUCTOR = "instructor", "党建指导员"
    GRID_LEADER = "grid_leader", "片长/网格长"


class Perm:
    ORGS_VIEW = "orgs.view"
    ORGS_CHANGE = "orgs.change"
    MEMBERS_VIEW = "members.view"
    MEMBERS_CHANGE = "members.change"
    MEMBERS_REVEAL = "members.reveal"
    MEMBERS_IMPORT = "members.import"
    MEMBERS_EXPORT = "members.export"
    AUDIT_VIEW = "audit.view"
    DUES_VIEW = "dues.view"
    DUES_MANAGE = "dues.manage"
    MEETINGS_VIEW = "meetings.view"
    MEETINGS_MANAGE = "meetings.manage"
    REQUIREMENTS_EDIT = "requirements.edit"
    DEVELOPMENT_MANAGE = "development.manage"
    DEVELOPMENT_APPROVE = "development.approve"
    COVERAGE_VIEW = "coverage.view"
    COVERAGE_CHANGE = "coverage.change"
    GRID_VIEW = "grid.view"
    GRID_CHANGE = "grid.change"
    REQUESTS_VIEW = "requests.view"
    REQUESTS_MANAGE = "requests.manage"
    MEDIATION_SUPERVISE = "mediation.supervise"


_MANAGE_MEMBERS = {
    Perm.DEVELOPMENT_MANAGE,
    Perm.MEETINGS_VIEW,
    Perm.MEETINGS_MANAGE,
    Perm.DUES_VIEW,
    Perm.DUES_MANAGE,
    Perm.MEMBERS_VIEW,
    Perm.MEMBERS_CHANGE,
    Perm.MEMBERS_REVEAL,
    Perm.MEMBERS_IMPORT,
    Perm.MEMBERS_EXPORT,
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ZONE_ADMIN: frozenset(
        {
            Perm.ORGS_VIEW,
            Perm.ORGS_CHANGE,
            Perm.AUDIT_VIEW,
            Perm.REQUIREMENTS_EDIT,
            Perm.DEVELOPMENT_APPROVE,
            Perm.COVERAGE_VIEW,
            Perm.COVERAGE_CHANGE,
            Perm.GRID_VIEW,
            Perm.GRID_CHANGE,
            Perm.REQUESTS_VIEW,
            Perm.REQUESTS_MANAGE,
            Perm.MEDIATION_SUPERVISE,
            *_MANAGE_MEMBERS,
        }
    ),
    # The higher committee approves admissions; a branch records the steps.
    Role.COMMITTEE_ADMIN: frozenset(
        {
            Perm.ORGS_VIEW,
            Perm.ORGS_CHANGE,
            Perm.DEVELOPMENT_APPROVE,
            Perm.COVERAGE_VIEW,
            Perm.COVERAGE_CHANGE,
            Perm.GRID_VIEW,
            Perm.GRID_CHANGE,
            Perm.REQUESTS_VIEW,
            *_MANAGE_MEMBERS,
        }
    ),
    Role.BRANCH_SECRETARY: frozenset({Perm.ORGS_VIEW, *_MANAGE_MEMBERS}),
    # An instructor sees the units assigned to them (apps.coverage.selectors.units_for), not a subtree;
    # the grant names the organization that appointed them.
    Role.INSTRUCTOR: frozenset(),
    # A grid leader (片长/网格长) keeps the grid of the community organization named in the grant and
    # follows the requests its households raise.
    Role.GRID_LEADER: frozenset({Perm.GRID_VIEW, Perm.GRID_CHANGE, Perm.REQUESTS_VIEW}),
}

# What a party member may do with their own record.
SELF_PERMISSIONS = frozenset({Perm.MEMBERS_VIEW, Perm.MEMBERS_REVEAL, Perm.DUES_VIEW, Perm.MEETINGS_VIEW})


@dataclass(frozen=True)
class Grant:
    role: str
    org_id: int
    org_path: str
    org_name: str


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    is_superuser: bool = False
    grants: tuple[Grant, ...] = ()
    member_id: int | None = None
    member_org_path: str = ""
    _cache: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    def paths(self, perm: str) -> tuple[str, ...]:
        """Subtree roots where `perm` holds, with nested roots folded into their ancestors."""
        if perm in self._cache:
            return self._cache[perm]
        candidates = sorted({g.org_path for g in self.grants if perm in ROLE_PERMISSIONS.get(g.role, ())})
        reduced: list[str] = []
        for path in candidates:
            if not any(path.startswith(kept) for kept in reduced):
                reduced.append(path)
        result = tuple(reduced)
        self._cache[perm] = result
        return result

    def has(self, perm: str) -> bool:
        """True when `perm` holds anywhere in the scope (used for menus; rows are filtered separately)."""
        return (
            self.is_superuser
            or bool(self.paths(perm))
            or (self.member_id is not None and perm in SELF_PERMISSIONS)
        )

    def covers_path(self, perm: str, path: str) -> bool:
        return self.is_superuser or any(path.startswith(p) for p in self.paths(perm))

    def org_q(self, perm: str, path_field: str = "path") -> Q:
        """A condition on organizations (or rows carrying an org path) inside the scope."""
        if self.is_superuser:
            return Q()
        paths = self.paths(perm)
        if not paths:
            return Q(pk__in=[])
        condition = Q()
        for path in paths:
            condition |= Q(**{f"{path_field}__startswith": path})
        return condition

    def member_q(self, perm: str, path_field: str = "org_path", self_field: str = "pk") -> Q:
        """A condition on member rows: the subtrees where `perm` holds, plus the user's own record."""
        if self.is_superuser:
            return Q()
        condition = self.org_q(perm, path_field) if self.paths(perm) else Q(pk__in=[])
        if self.member_id is not None and perm in SELF_PERMISSIONS:
            condition |= Q(**{self_field: self.member_id})
        return condition

    def root_paths_for_display(self) -> list[Grant]:
        return list(self.grants)


ANONYMOUS = Scope(user_id=None)


def get_scope(user: Any) -> Scope:
    """The user's scope, resolved once and cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_xf_scope", None)
    if cached is not None:
        return cached
    from apps.accounts.models import RoleGrant
    from apps.members.models import Member

    grants = tuple(
        Grant(role=g.role, org_id=g.org_id, org_path=g.org.path, org_name=g.org.name)
        for g in RoleGrant.objects.filter(user=user, org__is_active=True).select_related("org")
    )
    member = Member.objects.filter(user=user).values("pk", "org_path").first()
    scope = Scope(
        user_id=user.pk,
        is_superuser=bool(user.is_superuser),
        grants=grants,
        member_id=member["pk"] if member else None,
        member_org_path=member["org_path"] if member else "",
    )
    user._xf_scope = scope
    return scope


def forget_scope(users: Iterable[Any]) -> None:
    for user in users:
        if hasattr(user, "_xf_scope"):
            del user._xf_scope
