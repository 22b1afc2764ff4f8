"""Reads of organizations, always through the acting user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.core.scoping import Perm, get_scope
from apps.members.choices import INACTIVE_CATEGORIES, MemberStatus
from apps.orgs.models import CommitteeMember, Organization
from apps.orgs.rules import OrgWarning, org_warnings


def orgs_for(user: Any, perm: str = Perm.ORGS_VIEW) -> QuerySet[Organization]:
    scope = get_scope(user)
    return Organization.objects.filter(scope.org_q(perm))


def access_org(user: Any, org_id: int, perm: str = Perm.ORGS_VIEW) -> Organization:
    """The organization, if the user's scope covers it; 404 alike for missing and out of scope."""
    org = orgs_for(user, perm).select_related("parent").filter(pk=org_id).first()
    if org is None:
        raise Http404("组织不存在")
    return org


def _with_child_count(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    return qs.annotate(
        child_count=Count("children", filter=Q(children__is_active=True), distinct=True),
    )


def tree_roots(user: Any) -> list[Organization]:
    """The top of the user's tree: their grant roots (or the zone's roots for a superuser)."""
    scope = get_scope(user)
    if scope.is_superuser:
        qs = Organization.objects.filter(parent__isnull=True)
    else:
        paths = scope.paths(Perm.ORGS_VIEW)
        if not paths:
            return []
        qs = Organization.objects.filter(path__in=paths)
    return list(_with_child_count(qs.filter(is_active=True)).order_by("path"))


def tree_children(user: Any, parent_id: int) -> list[Organization]:
    parent = access_org(user, parent_id)
    qs = Organization.objects.filter(parent=parent, is_active=True)
    return list(_with_child_count(qs).order_by("org_type", "name"))


def search_orgs(user: Any, query: str, *, limit: int = 30, perm: str = Perm.ORGS_VIEW) -> list[Organization]:
    """Organizations in scope whose name contains the text, or whose pinyin initials start with it."""
    text = query.strip()
    if not text:
        return []
    condition = Q(name__contains=text) | Q(short_name__contains=text)
    if text.isascii() and text.isalpha():
        condition |= Q(name_initials__startswith=text.lower()) | Q(name_pinyin__startswith=text.lower())
    return list(orgs_for(user, perm).filter(condition, is_active=True).order_by("depth", "name")[:limit])


def search_all_branches(query: str, *, limit: int = 15) -> list[Organization]:
    """Member-holding organizations of the whole zone by name or initials (to pick a transfer's receiver)."""
    from apps.members.validation import MEMBER_HOLDING_TYPES

    text = query.strip()
    if not text:
        return []
    condition = Q(name__contains=text)
    if text.isascii() and text.isalpha():
        condition |= Q(name_initials__startswith=text.lower())
    return list(
        Organization.objects.filter(condition, is_active=True, org_type__in=MEMBER_HOLDING_TYPES).order_by(
            "depth", "name"
        )[:limit]
    )


def ancestors(org: Organization) -> list[Organization]:
    """The chain from the root down to the organization's parent (one query)."""
    step = 5
    paths = [org.path[: i * step] for i in range(1, len(org.path) // step)]
    if not paths:
        return []
    return list(Organization.objects.filter(path__in=paths).order_by("depth"))


def visible_ancestors(user: Any, org: Organization) -> list[Organization]:
    scope = get_scope(user)
    return [a for a in ancestors(org) if scope.covers_path(Perm.ORGS_VIEW, a.path)]


def current_committee(org: Organization, today: dt.date | None = None) -> list[CommitteeMember]:
    today = today or timezone.localdate()
    return list(
        CommitteeMember.objects.filter(org=org)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .order_by("role", "term_start")
    )


@dataclass(frozen=True)
class OrgFigures:
    total: int
    full: int
    probationary: int
    subtree_total: int
    sub_orgs: int


def member_figures(org: Organization) -> OrgFigures:
    """Member counts of the organization itself and of its whole subtree (two aggregate queries)."""
    from apps.members.models import Member

    active = ~Q(category__in=INACTIVE_CATEGORIES)
    own = Member.objects.filter(active, org=org).aggregate(
        total=Count("id"),
        full=Count("id", filter=Q(status=MemberStatus.FULL)),
        probationary=Count("id", filter=Q(status=MemberStatus.PROBATIONARY)),
    )
    subtree_total = Member.objects.filter(active, org_path__startswith=org.path).count()
    sub_orgs = (
        Organization.objects.filter(path__startswith=org.path, is_active=True).exclude(pk=org.pk).count()
    )
    return OrgFigures(
        total=own["total"],
        full=own["full"],
        probationary=own["probationary"],
        subtree_total=subtree_total,
        sub_orgs=sub_orgs,
    )


def direct_members(org: Organization, limit: int = 20) -> list[Any]:
    """The first members registered in the organization itself, by name (the page links to the rest)."""
    from apps.members.models import Member

    return list(
        Member.objects.filter(org=org)
        .exclude(category__in=INACTIVE_CATEGORIES)
        .order_by("name_pinyin", "id")[:limit]
    )


def warnings_for(
    org: Organization, figures: OrgFigures, committee_size: int, today: dt.date
) -> list[OrgWarning]:
    return org_warnings(
        org_type=org.org_type,
        full_members=figures.full,
        total_members=figures.total,
        committee_size=committee_size,
        last_election_on=org.last_election_on,
        founded_on=org.founded_on,
        end_date=org.end_date,
        is_active=org.is_active,
        today=today,
    )


def children_with_warnings(
    user: Any, org: Organization, today: dt.date
) -> list[tuple[Any, list[OrgWarning]]]:
    """The direct sub-organizations with their member counts and warnings (constant query count)."""
    from apps.members.models import Member

    children = list(
        _with_child_count(Organization.objects.filter(parent=org, is_active=True))
        .annotate(
            committee_size=Count(
                "committee",
                filter=Q(committee__term_end__isnull=True) | Q(committee__term_end__gte=today),
                distinct=True,
            )
        )
        .order_by("org_type", "name")
    )
    counts = {
        row["org"]: row
        for row in Member.objects.filter(org__in=[c.pk for c in children])
        .exclude(category__in=INACTIVE_CATEGORIES)
        .values("org")
        .annotate(total=Count("id"), full=Count("id", filter=Q(status=MemberStatus.FULL)))
    }
    result: list[tuple[Any, list[OrgWarning]]] = []
    for child in children:
        row = counts.get(child.pk, {"total": 0, "full": 0})
        child.member_total = row["total"]  # type: ignore[attr-defined]
        figures = OrgFigures(
            total=row["total"], full=row["full"], probationary=0, subtree_total=0, sub_orgs=0
        )
        result.append((child, warnings_for(child, figures, child.committee_size, today)))
    return result


def orgs_with_warnings_count(user: Any, today: dt.date) -> list[tuple[Any, list[OrgWarning]]]:
    """Every branch-level or committee organization in scope that has a danger or warning.

    Used by the home page; computed with two aggregate queries over the scope.
    """
    from apps.members.models import Member

    scope = get_scope(user)
    orgs = list(
        Organization.objects.filter(scope.org_q(Perm.ORGS_VIEW), is_active=True)
        .exclude(org_type="group")
        .annotate(
            committee_size=Count(
                "committee",
                filter=Q(committee__term_end__isnull=True) | Q(committee__term_end__gte=today),
                distinct=True,
            )
        )
        .only("id", "name", "org_type", "last_election_on", "founded_on", "end_date", "is_active", "path")
    )
    counts = {
        row["org"]: row
        for row in Member.objects.filter(scope.org_q(Perm.ORGS_VIEW, "org_path"))
        .exclude(category__in=INACTIVE_CATEGORIES)
        .values("org")
        .annotate(total=Count("id"), full=Count("id", filter=Q(status=MemberStatus.FULL)))
    }
    flagged: list[tuple[Any, list[OrgWarning]]] = []
    for org in orgs:
        row = counts.get(org.pk, {"total": 0, "full": 0})
        figures = OrgFigures(
            total=row["total"], full=row["full"], probationary=0, subtree_total=0, sub_orgs=0
        )
        warnings = [w for w in warnings_for(org, figures, org.committee_size, today) if w.level != "info"]
        if warnings:
            flagged.append((org, warnings))
    return flagged


def zone_root() -> Organization | None:
    """The zone's top organization (党工委): where alerts for bodies outside the party tree (mediation
    institutions, departments) are placed, so the zone's administrators see them too."""
    return Organization.objects.filter(parent__isnull=True, is_active=True).order_by("id").first()
