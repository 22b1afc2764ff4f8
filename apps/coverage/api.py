from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from apps.core.api import PageNumber
from apps.core.errors import DomainError
from apps.core.scoping import Perm
from apps.coverage import selectors, services
from apps.coverage.choices import ParkType
from apps.orgs.selectors import access_org

router = Router(tags=["两新组织覆盖"])


class RatesOut(Schema):
    total: int
    own: int
    joint: int
    instructor: int
    uncovered: int
    own_rate: Decimal = Field(description="单建率 = 单建 ÷ 总数（4位小数）")
    joint_rate: Decimal = Field(description="联建率 = 联建 ÷ 总数")
    org_rate: Decimal = Field(description="组织覆盖率 = (单建 + 联建) ÷ 总数")
    work_rate: Decimal = Field(description="工作覆盖率 = (单建 + 联建 + 指导员覆盖) ÷ 总数")


class GroupOut(RatesOut):
    key: str | None
    label: str


class UnitOut(Schema):
    id: int
    kind: str
    name: str
    credit_code: str
    sector: str
    size_class: str
    above_size: bool
    employees: int
    party_members: int
    park_id: int | None
    org_id: int
    status: str
    covering_org_id: int | None
    formation_mode: str
    instructor_id: int | None
    established_on: dt.date
    closed_on: dt.date | None


class UnitIn(Schema):
    kind: str = Field(description="enterprise / social")
    name: str
    credit_code: str
    sector: str = Field(description="GB/T 4754 门类字母 A–T")
    size_class: str = Field(description="large / medium / small / micro")
    above_size: bool = False
    employees: int = 0
    party_members: int = 0
    park: int | None = Field(None, description="所在园区；不在园区时给 org")
    org: int | None = Field(None, description="属地党组织（不在园区时）")
    established_on: dt.date
    address: str = ""
    status: str = Field("none", description="own / joint / instructor / none")
    covering_org: int | None = None
    formation_mode: str = ""
    instructor: int | None = None
    liaison: str = ""
    status_since: dt.date | None = None


class StatusIn(Schema):
    status: str
    on: dt.date
    covering_org: int | None = None
    formation_mode: str = ""
    instructor: int | None = None
    liaison: str = ""
    note: str = ""


class VisitIn(Schema):
    visited_on: dt.date
    content: str


class ParkOut(Schema):
    id: int
    name: str
    park_type: str
    org_id: int


def _require(request: HttpRequest) -> None:
    if not selectors.may_view_coverage(request.user):
        raise Http404


def _scope(request: HttpRequest, park: int | None, park_type: str, org: int | None) -> Any:
    if park is not None:
        return selectors.access_park(request.user, park)
    if park_type:
        if park_type not in ParkType.values:
            raise DomainError("coverage.park_type", "园区类型不正确", field="park_type")
        return park_type
    if org is not None:
        return access_org(request.user, org, Perm.COVERAGE_VIEW)
    return None


def _unit_out(u: Any) -> dict[str, Any]:
    return {f: getattr(u, f) for f in UnitOut.model_fields}


def _values(payload: Schema) -> dict[str, Any]:
    return {k: ("" if v is None else v) for k, v in payload.dict().items()}


@router.get(
    "/rates", response=RatesOut, summary="覆盖率（权限范围内；可按园区、园区类型、党组织、日期、类别）"
)
def rates(
    request: HttpRequest,
    park: int | None = None,
    park_type: str = "",
    org: int | None = None,
    on: dt.date | None = None,
    kind: str = "",
):
    _require(request)
    scope = _scope(request, park, park_type, org)
    return selectors.coverage_rates(scope, on, kind=kind or None, units=selectors.units_for(request.user))


@router.get(
    "/breakdown",
    response=list[GroupOut],
    summary="分组覆盖率：by = park_type / park / org / sector / size_class / above_size / kind",
)
def breakdown(request: HttpRequest, by: str = "park_type", on: dt.date | None = None, kind: str = ""):
    _require(request)
    if by not in selectors.GROUPS:
        raise DomainError("coverage.group", "分组方式不正确", field="by")
    rows = selectors.coverage_breakdown(by, units=selectors.units_for(request.user), on=on, kind=kind or None)
    return [{"key": None if r.key is None else str(r.key), "label": r.label, **r.figures} for r in rows]


@router.get("/units", response=list[UnitOut], summary="两新组织（与页面相同的筛选，分页）")
def list_units(request: HttpRequest, page: PageNumber = 1):
    _require(request)
    qs = selectors.filter_units(selectors.units_for(request.user), request.GET).order_by("name", "id")
    start = (max(page, 1) - 1) * 50
    return [_unit_out(u) for u in qs[start : start + 50]]


@router.get("/units/{unit_id}", response=UnitOut, summary="单位详情")
def get_unit(request: HttpRequest, unit_id: int):
    _require(request)
    return _unit_out(selectors.access_unit(request.user, unit_id))


@router.post("/units", response={201: UnitOut}, summary="登记单位（含党建状态）")
def create_unit(request: HttpRequest, payload: UnitIn):
    return Status(201, _unit_out(services.unit_create(actor=request.user, values=_values(payload))))


@router.post("/units/{unit_id}/status", response=UnitOut, summary="变更党建状态（自某日起）")
def set_status(request: HttpRequest, unit_id: int, payload: StatusIn):
    values = _values(payload)
    unit = services.unit_set_status(
        actor=request.user, unit_id=unit_id, values=values, on=payload.on, note=payload.note
    )
    return _unit_out(unit)


@router.post("/units/{unit_id}/visits", response={201: dict}, summary="登记指导员走访")
def add_visit(request: HttpRequest, unit_id: int, payload: VisitIn):
    visit = services.visit_record(
        actor=request.user, unit_id=unit_id, visited_on=payload.visited_on, content=payload.content
    )
    return Status(201, {"id": visit.pk, "visited_on": visit.visited_on})


@router.get("/parks", response=list[ParkOut], summary="园区（权限范围内）")
def list_parks(request: HttpRequest):
    _require(request)
    return list(
        selectors.parks_for(request.user).order_by("name").values("id", "name", "park_type", "org_id")
    )
