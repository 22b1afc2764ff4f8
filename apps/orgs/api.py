from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from apps.orgs import selectors

router = Router(tags=["党组织"])


class OrgNode(Schema):
    id: int
    name: str
    org_type: str
    org_type_label: str
    has_children: bool


class WarningOut(Schema):
    code: str
    level: str
    message: str


class CommitteeSeat(Schema):
    name: str
    role: str
    role_label: str
    term_start: dt.date
    term_end: dt.date | None


class OrgDetail(Schema):
    id: int
    name: str
    short_name: str
    org_type: str
    org_type_label: str
    parent_id: int | None
    unit_kind: str
    unit_name: str
    founded_on: dt.date | None
    formation_mode: str
    last_election_on: dt.date | None
    end_date: dt.date | None
    star_rating: int | None
    is_demonstration: bool
    is_strongest_branch: bool
    members_total: int
    members_full: int
    members_probationary: int
    subtree_members: int
    sub_orgs: int
    committee: list[CommitteeSeat]
    children: list[OrgNode]
    warnings: list[WarningOut]


def _node(org) -> dict:
    return {
        "id": org.pk,
        "name": org.name,
        "org_type": org.org_type,
        "org_type_label": org.get_org_type_display(),
        "has_children": org.has_children,
    }


@router.get("/tree", response=list[OrgNode], summary="组织树：不带 parent 返回顶层，带 parent 返回其下级")
def tree(request: HttpRequest, parent: int | None = None, q: str = ""):
    if q:
        return [_node(o) | {"has_children": False} for o in selectors.search_orgs(request.user, q)]
    orgs = selectors.tree_children(request.user, parent) if parent else selectors.tree_roots(request.user)
    return [_node(o) for o in orgs]


@router.get("/{org_id}", response=OrgDetail, summary="组织详情、委员会、下级组织与预警")
def detail(request: HttpRequest, org_id: int):
    org = selectors.access_org(request.user, org_id)
    today = timezone.localdate()
    figures = selectors.member_figures(org)
    committee = selectors.current_committee(org, today)
    children = selectors.children_with_warnings(request.user, org, today)
    return {
        **{
            f: getattr(org, f)
            for f in (
                "name",
                "short_name",
                "org_type",
                "parent_id",
                "unit_kind",
                "unit_name",
                "founded_on",
                "formation_mode",
                "last_election_on",
                "end_date",
                "star_rating",
                "is_demonstration",
                "is_strongest_branch",
            )
        },
        "id": org.pk,
        "org_type_label": org.get_org_type_display(),
        "members_total": figures.total,
        "members_full": figures.full,
        "members_probationary": figures.probationary,
        "subtree_members": figures.subtree_total,
        "sub_orgs": figures.sub_orgs,
        "committee": [
            {
                "name": s.name,
                "role": s.role,
                "role_label": s.get_role_display(),
                "term_start": s.term_start,
                "term_end": s.term_end,
            }
            for s in committee
        ],
        "children": [_node(c) for c, _ in children],
        "warnings": [w.__dict__ for w in selectors.warnings_for(org, figures, len(committee), today)],
    }
