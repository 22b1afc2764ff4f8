from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from apps.core.errors import DomainError
from apps.core.scoping import Perm
from apps.members import selectors, services
from apps.members.models import Member
from apps.orgs.selectors import orgs_for

router = Router(tags=["党员"])


class OrgRef(Schema):
    id: int
    name: str


class MemberOut(Schema):
    id: int
    name: str
    gender: str
    ethnicity: str
    birth_date: dt.date
    education: str
    phone_masked: str
    citizen_id_masked: str
    org: OrgRef
    party_group: OrgRef | None
    work_unit: str
    position: str
    status: str
    category: str
    application_date: dt.date | None
    activist_date: dt.date | None
    candidate_date: dt.date | None
    admission_date: dt.date
    full_membership_date: dt.date | None


class MemberPage(Schema):
    items: list[MemberOut]
    next_cursor: str | None
    prev_cursor: str | None
    count: int | None = Field(None, description="with_count=true 时返回的总数")


class MemberFilterIn(Schema):
    q: str = Field("", description="姓名前缀、拼音首字母（如 zs）、全拼、身份证后四位、完整身份证号或电话")
    org: int | None = Field(None, description="组织编号：含其全部下级组织")
    status: str = ""
    category: str = ""
    gender: str = ""
    age_band: str = ""
    education: str = ""
    join_year: int | None = None
    include_inactive: bool = False
    sort: str = selectors.DEFAULT_SORT
    cursor: str | None = None
    size: int = 20
    with_count: bool = False


class MemberIn(Schema):
    name: str
    citizen_id: str
    org_id: int
    admission_date: dt.date
    gender: str = ""
    ethnicity: str = "汉族"
    education: str = ""
    phone: str = ""
    party_group_id: int | None = None
    work_unit: str = ""
    position: str = ""
    application_date: dt.date | None = None
    activist_date: dt.date | None = None
    candidate_date: dt.date | None = None
    full_membership_date: dt.date | None = None
    category: str = "employed"


class MemberPatch(Schema):
    name: str | None = None
    citizen_id: str | None = None
    org_id: int | None = None
    admission_date: dt.date | None = None
    gender: str | None = None
    ethnicity: str | None = None
    education: str | None = None
    phone: str | None = None
    party_group_id: int | None = None
    work_unit: str | None = None
    position: str | None = None
    application_date: dt.date | None = None
    activist_date: dt.date | None = None
    candidate_date: dt.date | None = None
    full_membership_date: dt.date | None = None
    category: str | None = None
    reason: str = ""


class RevealIn(Schema):
    field: str = Field(description="citizen_id 或 phone")


class RevealOut(Schema):
    field: str
    value: str


def member_out(member: Member) -> dict[str, Any]:
    return {
        **{
            f: getattr(member, f)
            for f in (
                "name",
                "gender",
                "ethnicity",
                "birth_date",
                "education",
                "citizen_id_masked",
                "work_unit",
                "position",
                "status",
                "category",
                "application_date",
                "activist_date",
                "candidate_date",
                "admission_date",
                "full_membership_date",
            )
        },
        "id": member.pk,
        "phone_masked": member.phone_masked,
        "org": {"id": member.org_id, "name": member.org.name},
        "party_group": {"id": member.party_group_id, "name": member.party_group.name}
        if member.party_group
        else None,
    }


def _resolve_org(request: HttpRequest, org_id: int, field: str = "org_id"):
    org = orgs_for(request.user, Perm.MEMBERS_CHANGE).filter(pk=org_id).first()
    if org is None:
        raise DomainError("member.org_not_found", "组织不存在或不在您的管理范围", field=field)
    return org


def _resolve_group(request: HttpRequest, group_id: int | None):
    if not group_id:
        return None
    return _resolve_org(request, group_id, "party_group_id")


@router.get("", response=MemberPage, summary="党员列表（与页面相同的筛选与搜索，游标分页）")
def list_members(request: HttpRequest, filters: Query[MemberFilterIn]):
    parsed = selectors.MemberFilters.from_mapping(filters.dict())
    page = selectors.member_page(request.user, parsed, filters.cursor, filters.size)
    return {
        "items": [member_out(m) for m in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
        "count": selectors.member_count(request.user, parsed) if filters.with_count else None,
    }


@router.get("/{member_id}", response=MemberOut, summary="党员详情（证件号与电话为脱敏值）")
def get_member(request: HttpRequest, member_id: int):
    return member_out(selectors.access_member(request.user, member_id))


@router.post("", response={201: MemberOut}, summary="登记党员")
def create_member(request: HttpRequest, payload: MemberIn):
    values = payload.dict(exclude={"org_id", "party_group_id"})
    values["org"] = _resolve_org(request, payload.org_id)
    values["party_group"] = _resolve_group(request, payload.party_group_id)
    member = services.member_create(actor=request.user, values=values)
    return Status(201, member_out(selectors.access_member(request.user, member.pk)))


@router.patch("/{member_id}", response=MemberOut, summary="修改党员信息（只传要改的字段）")
def update_member(request: HttpRequest, member_id: int, payload: MemberPatch):
    selectors.access_member(request.user, member_id, Perm.MEMBERS_CHANGE)
    changes = payload.dict(exclude_unset=True)
    reason = changes.pop("reason", "")
    if "org_id" in changes:
        changes["org"] = _resolve_org(request, changes.pop("org_id"))
    if "party_group_id" in changes:
        changes["party_group"] = _resolve_group(request, changes.pop("party_group_id"))
    services.member_update(actor=request.user, member_id=member_id, changes=changes, reason=reason)
    return member_out(selectors.access_member(request.user, member_id))


@router.post("/{member_id}/reveal", response=RevealOut, summary="查看身份证号或电话明文（记入访问日志）")
def reveal(request: HttpRequest, member_id: int, payload: RevealIn):
    return {
        "field": payload.field,
        "value": services.member_reveal(actor=request.user, member_id=member_id, field=payload.field),
    }
