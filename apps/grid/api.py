"""The liaison grid in the JSON API: zones, groups, teams, households (phones masked), residents, liaisons,
visits, coverage and the lists behind each coverage figure, the PDFs, the Excel export and import. Every
change goes through apps.grid.services (same validation as the pages); everything is bounded by the caller's
scope, 404 outside it."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status, UploadedFile
from pydantic import Field

from apps.core.api import PageNumber
from apps.core.scoping import Perm
from apps.grid import files, selectors, services
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


# --- changes: zones, groups, teams ----------------------------------------------------------------


class ZoneIn(Schema):
    code: str = Field(description="片区编号（全局唯一，自动转大写）")
    name: str = Field(description="片区名称")
    org_id: int | None = Field(None, description="所属社区（村）党组织；须在调用者的片组户管理范围内")
    hotline: str = Field("", description="民情服务热线")
    note: str = ""
    is_active: bool | None = Field(None, description="启用；修改时不填则保持不变")
    leader_ids: list[int] | None = Field(None, description="片长（平台用户 id）；不填则不改动片长")


class ZoneSavedOut(ZoneOut):
    note: str
    leader_ids: list[int]


class GroupIn(Schema):
    code: str = Field(description="组编号（片区内唯一）")
    name: str
    leader_id: int | None = Field(None, description="组长（党员 id）")
    team_id: int | None = Field(None, description="服务团队（本片区的）")


class TeamIn(Schema):
    name: str
    speciality: str = Field("", description="服务内容")
    leader_id: int | None = Field(None, description="队长（党员 id）")
    member_ids: list[int] | None = Field(None, description="队员（党员 id）；不填则不改动队员")


class HouseholdIn(Schema):
    zone_id: int
    group_id: int = Field(description="本片区的服务组")
    address: str
    head_name: str = Field(description="户主姓名")
    code: str = Field("", description="户编号；新登记时留空自动编为“片区编号-组编号-序号”")
    phone: str = ""
    note: str = ""
    liaison_id: int | None = Field(
        None, description="联户党员（仅新登记时；之后用 PUT /households/{id}/liaison）"
    )
    is_active: bool | None = Field(None, description="在册；修改时不填则保持不变")


class ResidentIn(Schema):
    name: str
    relation: str = Field("", description="与户主关系（默认“户主”）")
    phone: str = ""
    birth_year: int | None = None
    tags: list[str] = Field(
        default_factory=list, description="关爱标签代码或名称，如 elderly_alone / 独居老人"
    )


class LiaisonIn(Schema):
    member_id: int | None = Field(description="联户党员（党员 id）；null 表示解除")


class BulkLiaisonIn(LiaisonIn):
    household_ids: list[int]


class LiaisonResultOut(Schema):
    changed: int = Field(description="实际变更的住户数")
    member_id: int | None
    member_name: str
    total: int = Field(description="该党员现联系的在册住户数")
    warning: str = Field(description="超过联系户数上限时的提示")


class PrintIn(Schema):
    full: bool = Field(
        False, description="true：打印完整电话（记入访问日志；联户党员打印本人联系卡时不记录）"
    )


class ImportOut(Schema):
    zones: int
    groups: int
    households: int
    rows: int


class ImportErrorOut(Schema):
    code: str
    message: str
    field: str | None
    sheet: str
    row: int


class ImportErrorsOut(Schema):
    rows: int
    errors: list[ImportErrorOut]


def _saved_zone(zone: Zone) -> dict[str, Any]:
    return {**_zone(zone), "note": zone.note, "leader_ids": sorted(zone.leaders.values_list("pk", flat=True))}


def _group(g: Any) -> dict[str, Any]:
    return {"id": g.pk, "code": g.code, "name": g.name, "leader_id": g.leader_id,
            "leader_name": g.leader.name if g.leader else "", "team_id": g.team_id}  # fmt: skip


def _team(t: Any) -> dict[str, Any]:
    return {"id": t.pk, "name": t.name, "speciality": t.speciality, "leader_id": t.leader_id,
            "member_ids": sorted(t.members.values_list("pk", flat=True))}  # fmt: skip


def _zone_values(payload: ZoneIn, current: Zone | None) -> dict[str, Any]:
    values: dict[str, Any] = {"code": payload.code, "name": payload.name, "org": payload.org_id,
                              "hotline": payload.hotline, "note": payload.note}  # fmt: skip
    values["is_active"] = (
        payload.is_active if payload.is_active is not None else (current.is_active if current else True)
    )
    if payload.leader_ids is not None:
        values["leaders"] = payload.leader_ids
    return values


@router.post("/zones", response={201: ZoneSavedOut}, summary="新建片区（可指定片长）")
def create_zone(request: HttpRequest, payload: ZoneIn):
    zone = services.zone_save(actor=request.user, values=_zone_values(payload, None))
    return Status(201, _saved_zone(zone))


@router.put(
    "/zones/{zone_id}", response=ZoneSavedOut, summary="修改片区（名称、编号、党组织、热线、启用、片长）"
)
def update_zone(request: HttpRequest, zone_id: int, payload: ZoneIn):
    zone = selectors.access_zone(request.user, zone_id, Perm.GRID_CHANGE)
    return _saved_zone(
        services.zone_save(actor=request.user, values=_zone_values(payload, zone), zone_id=zone.pk)
    )


@router.post("/zones/{zone_id}/groups", response={201: GroupOut}, summary="新建服务组")
def create_group(request: HttpRequest, zone_id: int, payload: GroupIn):
    zone = selectors.access_zone(request.user, zone_id, Perm.GRID_CHANGE)
    values = {
        "code": payload.code,
        "name": payload.name,
        "leader": payload.leader_id,
        "team": payload.team_id,
    }
    return Status(201, _group(services.group_save(actor=request.user, zone_id=zone.pk, values=values)))


@router.put("/groups/{group_id}", response=GroupOut, summary="修改服务组（编号、名称、组长、服务团队）")
def update_group(request: HttpRequest, group_id: int, payload: GroupIn):
    group = selectors.access_group(request.user, group_id, Perm.GRID_CHANGE)
    values = {
        "code": payload.code,
        "name": payload.name,
        "leader": payload.leader_id,
        "team": payload.team_id,
    }
    return _group(
        services.group_save(actor=request.user, zone_id=group.zone_id, values=values, group_id=group.pk)
    )


def _team_values(payload: TeamIn) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": payload.name,
        "speciality": payload.speciality,
        "leader": payload.leader_id,
    }
    if payload.member_ids is not None:
        values["members"] = payload.member_ids
    return values


@router.post("/zones/{zone_id}/teams", response={201: TeamOut}, summary="新建服务团队")
def create_team(request: HttpRequest, zone_id: int, payload: TeamIn):
    zone = selectors.access_zone(request.user, zone_id, Perm.GRID_CHANGE)
    return Status(
        201, _team(services.team_save(actor=request.user, zone_id=zone.pk, values=_team_values(payload)))
    )


@router.put("/teams/{team_id}", response=TeamOut, summary="修改服务团队（名称、服务内容、队长、队员）")
def update_team(request: HttpRequest, team_id: int, payload: TeamIn):
    team = selectors.access_team(request.user, team_id, Perm.GRID_CHANGE)
    saved = services.team_save(
        actor=request.user, zone_id=team.zone_id, values=_team_values(payload), team_id=team.pk
    )
    return _team(saved)


# --- changes: households, residents, liaisons, visits ---------------------------------------------


def _household_values(payload: HouseholdIn, current: Household | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "zone": payload.zone_id, "group": payload.group_id, "address": payload.address,
        "head_name": payload.head_name, "code": payload.code or (current.code if current else ""),
        "phone": payload.phone, "note": payload.note, "liaison": payload.liaison_id,
    }  # fmt: skip
    values["is_active"] = (
        payload.is_active if payload.is_active is not None else (current.is_active if current else True)
    )
    return values


def _saved_household(household: Household) -> dict[str, Any]:
    return _household(Household.objects.select_related("liaison").get(pk=household.pk))


@router.post("/households", response={201: HouseholdOut}, summary="登记住户（户编号可留空自动编号）")
def create_household(request: HttpRequest, payload: HouseholdIn):
    household = services.household_save(actor=request.user, values=_household_values(payload, None))
    return Status(201, _saved_household(household))


@router.put(
    "/households/{household_id}", response=HouseholdOut, summary="修改住户（住址、户主、电话、服务组、在册）"
)
def update_household(request: HttpRequest, household_id: int, payload: HouseholdIn):
    current = selectors.access_household(request.user, household_id, Perm.GRID_CHANGE)
    household = services.household_save(
        actor=request.user, values=_household_values(payload, current), household_id=current.pk
    )
    return _saved_household(household)


@router.post(
    "/households/{household_id}/move-out", response=HouseholdOut, summary="登记迁出（不再计入覆盖情况）"
)
def move_out(request: HttpRequest, household_id: int):
    return _saved_household(
        services.household_set_active(actor=request.user, household_id=household_id, active=False)
    )


@router.post(
    "/households/{household_id}/residents", response={201: ResidentOut}, summary="添加家庭成员（含关爱标签）"
)
def add_resident(request: HttpRequest, household_id: int, payload: ResidentIn):
    resident = services.resident_save(actor=request.user, household_id=household_id, values=payload.dict())
    return Status(201, _resident(resident))


@router.put(
    "/households/{household_id}/residents/{resident_id}", response=ResidentOut, summary="修改家庭成员"
)
def update_resident(request: HttpRequest, household_id: int, resident_id: int, payload: ResidentIn):
    selectors.access_household(request.user, household_id, Perm.GRID_CHANGE)
    resident = services.resident_save(
        actor=request.user, household_id=household_id, values=payload.dict(), resident_id=resident_id
    )
    return _resident(resident)


@router.delete(
    "/households/{household_id}/residents/{resident_id}", response={204: None}, summary="删除家庭成员"
)
def delete_resident(request: HttpRequest, household_id: int, resident_id: int):
    services.resident_delete(actor=request.user, resident_id=resident_id, household_id=household_id)
    return Status(204, None)


def _liaison_result(result: services.LiaisonResult) -> dict[str, Any]:
    return {"changed": result.changed, "member_id": result.member.pk if result.member else None,
            "member_name": result.member.name if result.member else "", "total": result.total,
            "warning": result.warning}  # fmt: skip


@router.put(
    "/households/{household_id}/liaison", response=LiaisonResultOut, summary="设置或解除住户的联户党员"
)
def set_liaison(request: HttpRequest, household_id: int, payload: LiaisonIn):
    selectors.access_household(request.user, household_id, Perm.GRID_CHANGE)
    result = services.liaison_assign(
        actor=request.user, household_ids=[household_id], member_id=payload.member_id
    )
    return _liaison_result(result)


@router.post(
    "/liaison-assignments", response=LiaisonResultOut, summary="批量设置或解除联户党员（多户设为同一名党员）"
)
def bulk_liaison(request: HttpRequest, payload: BulkLiaisonIn):
    result = services.liaison_assign(
        actor=request.user, household_ids=payload.household_ids, member_id=payload.member_id
    )
    return _liaison_result(result)


@router.delete("/visits/{visit_id}", response={204: None}, summary="删除走访记录（记录人或片区管理人员）")
def delete_visit(request: HttpRequest, visit_id: int):
    services.visit_delete(actor=request.user, visit_id=visit_id)
    return Status(204, None)


# --- files ----------------------------------------------------------------------------------------


def _file(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/liaisons/{member_id}/card", summary="民情联系卡 PDF（电话脱敏）")
def liaison_card(request: HttpRequest, member_id: int):
    _require(request)
    return _file(*files.liaison_card(request.user, member_id), PDF)


@router.post("/liaisons/{member_id}/card", summary="民情联系卡 PDF；full=true 打印完整电话（记入访问日志）")
def liaison_card_full(request: HttpRequest, member_id: int, payload: PrintIn):
    _require(request)
    return _file(*files.liaison_card(request.user, member_id, unmasked=payload.full), PDF)


@router.get("/households/{household_id}/file", summary="住户档案 PDF（电话脱敏）")
def household_file(request: HttpRequest, household_id: int):
    _require(request)
    return _file(*files.household_file(request.user, household_id), PDF)


@router.post(
    "/households/{household_id}/file", summary="住户档案 PDF；full=true 打印完整电话（记入访问日志）"
)
def household_file_full(request: HttpRequest, household_id: int, payload: PrintIn):
    _require(request)
    return _file(*files.household_file(request.user, household_id, unmasked=payload.full), PDF)


@router.get("/households-export", summary="导出住户 Excel（筛选与住户列表相同，电话脱敏，记入访问日志）")
def export_households(
    request: HttpRequest,
    q: str = "",
    zone: int | None = None,
    group: int | None = None,
    tag: str = "",
    liaison: int | None = None,
    no_liaison: bool = False,
    not_visited: bool = False,
    inactive: bool = False,
    sort: str = "code",
):
    _require(request)
    return _file(*files.households_workbook(request.user, request.GET), XLSX)


@router.post(
    "/households-export",
    summary="导出住户 Excel；full=true 导出完整电话（记入访问日志）。筛选条件放在查询参数中",
)
def export_households_full(request: HttpRequest, payload: PrintIn):
    _require(request)
    return _file(*files.households_workbook(request.user, request.GET, unmasked=payload.full), XLSX)


@router.post(
    "/import",
    response={201: ImportOut, 400: ImportErrorsOut},
    summary="Excel 导入片区、服务组、住户（multipart 字段 file；任一行有错则不导入，返回全部错误）",
)
def import_workbook(request: HttpRequest, file: UploadedFile = File(...)):  # noqa: B008 — ninja's File marker
    result = files.import_upload(request.user, file)
    if result.errors:
        return Status(400, {"rows": result.rows, "errors": [
            {"code": "grid.import_row", "message": f"“{sheet}”表第{row}行{f'“{column}”' if column else ''}：{reason}",
             "field": column or None, "sheet": sheet, "row": row}
            for sheet, row, column, reason in result.errors
        ]})  # fmt: skip
    return Status(201, {"zones": result.zones, "groups": result.groups, "households": result.households,
                        "rows": result.rows})  # fmt: skip
