"""The liaison grid in the JSON API: zones, households (phones masked), residents, visits, coverage and
the lists behind each coverage figure. Everything is bounded by the caller's scope; 404 outside it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from apps.core.api import PageNumber
from apps.grid import selectors, services
from apps.grid.models import Household, Resident, Zone

router = Router(tags=["片组户民情联系"])
PAGE_SIZE = 50


class CoverageOut(Schema):
    households: int = Field(description="在册住户数")
    without_liaison: int = Field(description="未落实联户党员的住户数")
    liaisons_over_limit: int = Field(
        description="联系住户数超过上限（XF_GRID_LIAISON_LIMIT，默认10）的党员人数"
    )
    not_visited: int = Field(description="从未走访或最近走访早于 今天 − 走访周期（默认30天）的住户数")


class ZoneOut(Schema):
    id: int
    code: str
    name: str
    org_id: int
    hotline: str
    is_active: bool


class GroupOut(Schema):
    id: int
    code: str
    name: str
    leader_id: int | None
    leader_name: str
    team_id: int | None


class TeamOut(Schema):
    id: int
    name: str
    speciality: str
    leader_id: int | None
    member_ids: list[int]


class ZoneDetailOut(ZoneOut):
    leaders: list[str]
    groups: list[GroupOut]
    teams: list[TeamOut]
    coverage: CoverageOut


class HouseholdOut(Schema):
    id: int
    code: str
    zone_id: int
    group_id: int
    address: str
    head_name: str
    phone_masked: str
    liaison_id: int | None
    liaison_name: str
    last_visited_on: dt.date | None
    is_active: bool


class ResidentOut(Schema):
    id: int
    name: str
    relation: str
    phone_masked: str
    birth_year: int | None
    tags: list[str] = Field(description="关爱标签代码：elderly_alone 独居老人、disabled 残疾人……")


class HouseholdDetailOut(HouseholdOut):
    zone_name: str
    group_name: str
    hotline: str
    residents: list[ResidentOut]


class HouseholdPage(Schema):
    count: int
    page: int
    results: list[HouseholdOut]


class VisitIn(Schema):
    visited_on: dt.date
    kind: str = Field("home", description="home 入户走访 / phone 电话联系 / talk 民情恳谈会 / other 其他")
    content: str
    needs: str = ""


class VisitOut(Schema):
    id: int
    household_id: int
    visited_on: dt.date
    kind: str
    content: str
    needs: str
    liaison_id: int | None
    last_visited_on: dt.date | None


class LiaisonOut(Schema):
    member_id: int
    name: str
    org_name: str
    households: int
    last_visit: dt.date | None


def _require(request: HttpRequest) -> None:
    if not selectors.may_view_grid(request.user):
        raise Http404


def _require_oversee(request: HttpRequest) -> None:
    if not selectors.may_oversee(request.user):
        raise Http404


def _household(h: Household) -> dict[str, Any]:
    return {
        "id": h.pk, "code": h.code, "zone_id": h.zone_id, "group_id": h.group_id, "address": h.address,
        "head_name": h.head_name, "phone_masked": h.phone_masked, "liaison_id": h.liaison_id,
        "liaison_name": h.liaison.name if h.liaison else "", "last_visited_on": h.last_visited_on, "is_active": h.is_active,
    }  # fmt: skip


def _resident(r: Resident) -> dict[str, Any]:
    return {"id": r.pk, "name": r.name, "relation": r.relation, "phone_masked": r.phone_masked,
            "birth_year": r.birth_year, "tags": r.tag_codes}  # fmt: skip


def _zone(z: Zone) -> dict[str, Any]:
    return {
        "id": z.pk,
        "code": z.code,
        "name": z.name,
        "org_id": z.org_id,
        "hotline": z.hotline,
        "is_active": z.is_active,
    }


def _page(request: HttpRequest, params: Any, page: int, **forced: str) -> dict[str, Any]:
    data = dict(params.items())
    data.update(forced)
    filters = selectors.HouseholdFilters.from_mapping(data)
    qs = selectors.filter_households(selectors.households_for(request.user), filters).select_related(
        "liaison"
    )
    page = max(page, 1)
    start = (page - 1) * PAGE_SIZE
    return {
        "count": qs.count(),
        "page": page,
        "results": [_household(h) for h in qs[start : start + PAGE_SIZE]],
    }


@router.get("/zones", response=list[ZoneOut], summary="片区（权限范围内）")
def list_zones(request: HttpRequest, q: str = "", include_inactive: bool = False):
    _require(request)
    qs = selectors.zones_for(request.user)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if q:
        qs = qs.filter(name__contains=q)
    return [_zone(z) for z in qs.order_by("code")[:2000]]


@router.get("/zones/{zone_id}", response=ZoneDetailOut, summary="片区详情：服务组、服务团队、片长与覆盖情况")
def get_zone(request: HttpRequest, zone_id: int):
    _require(request)
    zone = selectors.access_zone(request.user, zone_id)
    return {
        **_zone(zone),
        "leaders": [str(u) for u in zone.leaders.order_by("username")],
        "groups": [
            {
                "id": g.pk,
                "code": g.code,
                "name": g.name,
                "leader_id": g.leader_id,
                "leader_name": g.leader.name if g.leader else "",
                "team_id": g.team_id,
            }
            for g in zone.groups.select_related("leader").order_by("code")
        ],
        "teams": [
            {
                "id": t.pk,
                "name": t.name,
                "speciality": t.speciality,
                "leader_id": t.leader_id,
                "member_ids": [m.pk for m in t.members.all()],
            }
            for t in zone.teams.prefetch_related("members").order_by("name")
        ],
        "coverage": selectors.grid_coverage(zone),
    }


@router.get("/households", response=HouseholdPage, summary="住户（分页，每页50；筛选与页面相同，电话脱敏）")
def list_households(
    request: HttpRequest,
    page: PageNumber = 1,
    q: str = "",
    zone: int | None = None,
    group: int | None = None,
    tag: str = "",
    liaison: int | None = None,
    no_liaison: bool = False,
    not_visited: bool = False,
    sort: str = "code",
):
    _require(request)
    return _page(request, request.GET, page)


@router.get("/households/{household_id}", response=HouseholdDetailOut, summary="住户详情（电话脱敏）")
def get_household(request: HttpRequest, household_id: int):
    _require(request)
    h = selectors.access_household(request.user, household_id)
    return {
        **_household(h), "zone_name": h.zone.name, "group_name": h.group.name, "hotline": h.zone.hotline,
        "residents": [_resident(r) for r in h.residents.all()],
    }  # fmt: skip


@router.get(
    "/households/{household_id}/residents", response=list[ResidentOut], summary="住户的家庭成员（电话脱敏）"
)
def list_residents(request: HttpRequest, household_id: int):
    _require(request)
    h = selectors.access_household(request.user, household_id)
    return [_resident(r) for r in h.residents.all()]


@router.post("/households/{household_id}/visits", response={201: VisitOut}, summary="记录走访（民情日志）")
def add_visit(request: HttpRequest, household_id: int, payload: VisitIn):
    visit = services.visit_record(actor=request.user, household_id=household_id, values=payload.dict())
    last = Household.objects.filter(pk=visit.household_id).values_list("last_visited_on", flat=True).first()
    return Status(
        201,
        {"id": visit.pk, "household_id": visit.household_id, "visited_on": visit.visited_on, "kind": visit.kind,
         "content": visit.content, "needs": visit.needs, "liaison_id": visit.liaison_id, "last_visited_on": last},
    )  # fmt: skip


@router.get("/coverage", response=CoverageOut, summary="覆盖情况：某片区，或权限范围内全部片区")
def coverage(
    request: HttpRequest,
    zone: int | None = None,
    window_days: Annotated[int, Field(ge=0, le=3650)] | None = None,
):
    _require_oversee(request)
    return selectors.grid_coverage_for(request.user, zone, window_days=window_days)


@router.get("/coverage/without-liaison", response=HouseholdPage, summary="未落实联户党员的住户")
def without_liaison(request: HttpRequest, zone: int | None = None, page: PageNumber = 1):
    _require_oversee(request)
    if zone is not None:
        selectors.access_zone(request.user, zone)
    return _page(request, {"zone": zone or ""}, page, no_liaison="1")


@router.get(
    "/coverage/not-visited", response=HouseholdPage, summary="走访周期内未走访的住户（最久未走访的在前）"
)
def not_visited(request: HttpRequest, zone: int | None = None, page: PageNumber = 1):
    _require_oversee(request)
    if zone is not None:
        selectors.access_zone(request.user, zone)
    return _page(request, {"zone": zone or ""}, page, not_visited="1", sort="last_visited_on")


@router.get("/coverage/liaisons-over-limit", response=list[LiaisonOut], summary="联系住户数超过上限的党员")
def over_limit(request: HttpRequest, zone: int | None = None, page: PageNumber = 1):
    _require_oversee(request)
    if zone is not None:
        selectors.access_zone(request.user, zone)
    households = selectors.households_for(request.user).filter(
        zone__in=selectors.zones_for(request.user).values("pk")
    )
    start = (max(page, 1) - 1) * PAGE_SIZE
    rows = list(selectors.liaisons_over_limit(households, zone=zone)[start : start + PAGE_SIZE])
    members = selectors.members_by_id([r["liaison_id"] for r in rows])
    return [
        {"member_id": r["liaison_id"], "name": members[r["liaison_id"]].name, "org_name": members[r["liaison_id"]].org.name,
         "households": r["n"], "last_visit": r["last_visit"]}
        for r in rows if r["liaison_id"] in members
    ]  # fmt: skip


@router.get("/mine", response=list[HouseholdOut], summary="我联系的住户（联户党员）")
def mine(request: HttpRequest):
    return [
        _household(h)
        for h in selectors.my_households(request.user).select_related("liaison").order_by("code")
    ]
