"""民情诉求与工作联系单的 JSON 接口。

工作人员接口按调用者的范围返回数据（诉求管理员看全部并分派；部门工作人员看分派给本部门的诉求和
有本部门分项的联系单；片区/党委看组织路径在其范围内的诉求；联户党员看自己代办的诉求）。
群众接口（/public/…）无需登录：先取验证题，再连同答案提交；凭受理编号查询和评价；均按来源地址限流。
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from apps.core.api import PageNumber
from apps.core.public import new_challenge, rate_limit
from apps.core.uploads import stored_file_response
from apps.resident_requests import selectors, services
from apps.resident_requests.choices import Category
from apps.resident_requests.flow import PUBLIC_STATES, REQUEST_FLOW
from apps.resident_requests.history import public_history, request_history
from apps.resident_requests.models import (
    CategoryRule,
    Department,
    RequestAttachment,
    ResidentRequest,
    WorkOrder,
    WorkOrderPart,
)

router = Router(tags=["民情诉求"])
PAGE_SIZE = 50


class RequestOut(Schema):
    id: int
    receipt_code: str = Field(description="受理编号")
    channel: str = Field(
        description="来源渠道：public 网上提交 / liaison 联户党员代办 / hotline 热线 / visit 走访"
    )
    category: str = Field(description="类别代码")
    title: str
    content: str
    submitter_name: str
    submitter_phone: str = Field(description="联系电话（脱敏）")
    address: str
    zone_id: int | None
    household_id: int | None
    department_id: int | None = Field(description="承办部门")
    state: str = Field(
        description="状态：submitted 待分派 / routed 已分派待受理 / handling 办理中 / work_order 联系单办理中 / replied 已答复 / closed 已办结 / rejected 不予受理"
    )
    state_label: str
    due_date: dt.date | None = Field(description="办理期限（答复、办结后仍保留，用于判断是否按期答复）")
    escalation_level: int = Field(description="督办等级：0 正常 / 1 黄色 / 2 红色（答复后保留，表示曾督办）")
    reply: str
    replied_at: dt.datetime | None
    rating_due: dt.date | None = Field(description="评价截止日期（已答复时），逾期未评价自动办结")
    visit_id: int | None = Field(description="来源走访记录（由走访登记时）")
    rating: int | None = Field(description="满意度 1–5 星")
    received_on: dt.date


class EventOut(Schema):
    at: dt.datetime
    label: str
    to: str
    note: str
    actor: str | None


class RequestDetailOut(RequestOut):
    history: list[EventOut]


class PartOut(Schema):
    id: int
    department_id: int
    task: str
    working_days: int
    state: str = Field(description="pending 待签收 / working 办理中 / done 已完成 / returned 已退回")
    due_date: dt.date | None
    escalation_level: int
    reply: str
    done_on: dt.date | None


class WorkOrderOut(Schema):
    id: int
    number: str = Field(description="联系单编号，如 LXD-2026-0001")
    request_id: int
    title: str
    content: str
    lead_department_id: int
    state: str = Field(description="working 各部门办理中 / ready 待牵头部门答复 / sent 已答复")
    combined_reply: str
    parts: list[PartOut]


def _order_out(o: WorkOrder, parts: list[WorkOrderPart]) -> dict[str, Any]:
    data = {f: getattr(o, f) for f in WorkOrderOut.model_fields if f != "parts"}
    data["parts"] = [{f: getattr(p, f) for f in PartOut.model_fields} for p in parts]
    return data


def _out(r: ResidentRequest) -> dict[str, Any]:
    data = {f: getattr(r, f) for f in RequestOut.model_fields if f not in ("submitter_phone", "state_label")}
    data["submitter_phone"] = r.phone_masked
    data["state_label"] = REQUEST_FLOW.state(r.state).label
    return data


@router.get("", response=list[RequestOut], summary="诉求列表（按权限范围）")
def list_requests(
    request: HttpRequest, tab: str = "all", q: str = "", category: str = "", channel: str = "",
    department: str = "", zone: str = "", page: PageNumber = 1,
):  # fmt: skip
    """tab：todo 待分派 / handling 办理中 / replied 已答复 / closed 已办结 / overdue 超期 / all 全部；q 搜索受理编号、标题、诉求人。"""
    from django.utils import timezone

    qs = selectors.filter_requests(
        selectors.requests_for(request.user),
        {"q": q, "category": category, "channel": channel, "department": department, "zone": zone},
    )
    if tab in selectors.TABS:
        qs = qs.filter(selectors.TABS[tab][1](timezone.localdate()))
    start = (max(page, 1) - 1) * PAGE_SIZE
    return [_out(r) for r in qs.order_by("-received_on", "-id")[start : start + PAGE_SIZE]]


@router.get("/work-orders", response=list[WorkOrderOut], summary="工作联系单列表")
def list_work_orders(request: HttpRequest, state: str = "", page: PageNumber = 1):
    qs = selectors.work_orders_for(request.user)
    if state:
        qs = qs.filter(state=state)
    start = (max(page, 1) - 1) * PAGE_SIZE
    orders = list(qs.order_by("-created_at", "-id")[start : start + PAGE_SIZE])
    parts: dict[int, list[WorkOrderPart]] = {}
    for p in WorkOrderPart.objects.filter(work_order__in=orders).order_by("id"):
        parts.setdefault(p.work_order_id, []).append(p)
    return [_order_out(o, parts.get(o.pk, [])) for o in orders]


@router.get("/{int:request_id}", response=RequestDetailOut, summary="诉求详情与办理记录")
def get_request(request: HttpRequest, request_id: int):
    r = selectors.access_request(request.user, request_id)
    history = [{**e, "actor": str(e["actor"]) if e["actor"] else None} for e in request_history(r)]
    return {**_out(r), "history": history}


class RouteIn(Schema):
    department_id: int = Field(description="承办部门")
    note: str = ""


class NoteIn(Schema):
    note: str = Field(description="原因（退回、不予受理时必填）")


class ReplyIn(Schema):
    reply: str = Field(description="答复内容（2000字以内）")


class StaffRequestIn(Schema):
    channel: str = Field(description="hotline 热线 / visit 走访 / liaison 联户党员代办（须给 household_id）")
    household_id: int | None = None
    visit_id: int | None = Field(None, description="来源走访记录，须是 household_id 住户的记录")
    zone: int | None = None
    submitter_name: str = ""
    submitter_phone: str = ""
    address: str = ""
    category: str
    title: str
    content: str


@router.post("", response={201: RequestOut}, summary="工作人员登记诉求（热线、走访、代住户提交）")
def create_request(request: HttpRequest, payload: StaffRequestIn):
    values = payload.dict()
    household_id = values.pop("household_id")
    visit_id = values.pop("visit_id")
    channel = values.pop("channel")
    values["zone"] = str(values["zone"] or "")
    created = services.submit_staff(
        actor=request.user, channel=channel, values=values, household_id=household_id, visit_id=visit_id
    )
    return Status(201, _out(created))


@router.post("/{int:request_id}/route", response=RequestOut, summary="分派至承办部门（诉求管理员）")
def route(request: HttpRequest, request_id: int, payload: RouteIn):
    return _out(
        services.route(
            actor=request.user, request_id=request_id, department_id=payload.department_id, note=payload.note
        )
    )


@router.post("/{int:request_id}/accept", response=RequestOut, summary="承办部门受理")
def accept(request: HttpRequest, request_id: int):
    return _out(services.accept(actor=request.user, request_id=request_id))


@router.post("/{int:request_id}/reply", response=RequestOut, summary="承办部门答复群众")
def reply(request: HttpRequest, request_id: int, payload: ReplyIn):
    return _out(services.reply(actor=request.user, request_id=request_id, text=payload.reply))


@router.post("/{int:request_id}/return", response=RequestOut, summary="退回重新分派（须填原因）")
def return_request(request: HttpRequest, request_id: int, payload: NoteIn):
    return _out(services.return_request(actor=request.user, request_id=request_id, reason=payload.note))


@router.post("/{int:request_id}/reject", response=RequestOut, summary="不予受理（须填原因，诉求管理员）")
def reject(request: HttpRequest, request_id: int, payload: NoteIn):
    return _out(services.reject(actor=request.user, request_id=request_id, reason=payload.note))


@router.post("/{int:request_id}/close", response=RequestOut, summary="答复后直接办结（诉求管理员）")
def close(request: HttpRequest, request_id: int):
    return _out(services.close(actor=request.user, request_id=request_id))


# ---------------------------------------------------------------- work orders


class PartIn(Schema):
    department_id: int
    task: str
    working_days: int = 5


class WorkOrderIn(Schema):
    title: str
    content: str
    lead_department_id: int
    parts: list[PartIn] = Field(description="每个承办部门一项，至少两项")


@router.post(
    "/{int:request_id}/work-order", response={201: WorkOrderOut}, summary="转为工作联系单（诉求管理员）"
)
def create_work_order(request: HttpRequest, request_id: int, payload: WorkOrderIn):
    order = services.to_work_order(
        actor=request.user, request_id=request_id, title=payload.title, content=payload.content,
        lead_department_id=payload.lead_department_id, parts=[p.dict() for p in payload.parts],
    )  # fmt: skip
    return Status(201, _order_out(order, list(order.parts.order_by("id"))))


@router.get("/work-orders/{int:work_order_id}", response=WorkOrderOut, summary="工作联系单详情")
def get_work_order(request: HttpRequest, work_order_id: int):
    order = selectors.access_work_order(request.user, work_order_id)
    return _order_out(order, list(order.parts.order_by("id")))


class PartActionIn(Schema):
    reply: str = Field("", description="办结时的办理结果")
    note: str = Field("", description="退回原因")


@router.post(
    "/parts/{int:part_id}/{action}",
    response=PartOut,
    summary="联系单分项：sign 签收 / complete 办结 / return 退回",
)
def part_action(request: HttpRequest, part_id: int, action: str, payload: PartActionIn):
    if action == "sign":
        part = services.part_sign(actor=request.user, part_id=part_id)
    elif action == "complete":
        part = services.part_complete(actor=request.user, part_id=part_id, text=payload.reply)
    elif action == "return":
        part = services.part_return(actor=request.user, part_id=part_id, reason=payload.note)
    else:
        raise Http404
    return {f: getattr(part, f) for f in PartOut.model_fields}


@router.post("/work-orders/{int:work_order_id}/send", response=WorkOrderOut, summary="牵头部门汇总答复群众")
def send_work_order(request: HttpRequest, work_order_id: int, payload: ReplyIn):
    order = services.work_order_send(actor=request.user, work_order_id=work_order_id, text=payload.reply)
    return _order_out(order, list(order.parts.order_by("id")))


# ---------------------------------------------------------------- attachments


class AttachmentOut(Schema):
    id: int
    name: str = Field(description="文件名")
    size: int = Field(description="字节数")
    content_type: str
    uploaded_at: dt.datetime
    download: str = Field(description="下载地址（需登录，按诉求的查看权限）")


def _attachment_out(a: RequestAttachment) -> dict[str, Any]:
    return {
        "id": a.pk, "name": a.name, "size": a.size, "content_type": a.content_type, "uploaded_at": a.uploaded_at,
        "download": f"/api/v1/requests/attachments/{a.pk}/download",
    }  # fmt: skip


@router.get("/{int:request_id}/attachments", response=list[AttachmentOut], summary="诉求附件列表")
def list_attachments(request: HttpRequest, request_id: int):
    r = selectors.access_request(request.user, request_id)
    return [_attachment_out(a) for a in r.attachments.order_by("id")]


@router.post(
    "/{int:request_id}/attachments",
    response={201: list[AttachmentOut]},
    summary="上传诉求附件（诉求管理员、承办部门；PDF/JPG/PNG/.docx/.xlsx，每个不超过 5 MB）",
)
def upload_attachments(request: HttpRequest, request_id: int, files: File[list[UploadedFile]]):
    added = services.add_attachments(actor=request.user, request_id=request_id, files=files)
    return Status(201, [_attachment_out(a) for a in added])


@router.get("/attachments/{int:attachment_id}/download", summary="下载诉求附件（按诉求的查看权限）")
def download_attachment(request: HttpRequest, attachment_id: int):
    found = RequestAttachment.objects.filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    selectors.access_request(request.user, found.request_id)
    return stored_file_response(found.path, found.name, found.content_type)


# ---------------------------------------------------------------- category rules and departments


class RuleOut(Schema):
    category: str = Field(description="类别代码")
    label: str = Field(description="类别名称")
    working_days: int = Field(description="办理时限（工作日）")
    department_id: int | None = Field(description="默认承办部门")
    department_name: str | None
    updated_at: dt.datetime | None


class RuleIn(Schema):
    working_days: int = Field(description="办理时限，1–60 个工作日")
    department_id: int | None = Field(None, description="默认承办部门，空为不设默认部门")


class RulePatch(Schema):
    working_days: int | None = Field(None, description="办理时限，1–60 个工作日")
    department_id: int | None = Field(None, description="默认承办部门；不传则不变，传 0 为不设默认部门")


def _rule_out(category: str, rule: CategoryRule | None) -> dict[str, Any]:
    return {
        "category": category, "label": Category(category).label,
        "working_days": rule.working_days if rule else services.DEFAULT_WORKING_DAYS,
        "department_id": rule.department_id if rule else None,
        "department_name": rule.department.name if rule and rule.department else None,
        "updated_at": rule.updated_at if rule else None,
    }  # fmt: skip


def _require_viewer(request: HttpRequest) -> None:
    if not selectors.may_view_requests(request.user):
        raise Http404


@router.get("/rules", response=list[RuleOut], summary="诉求类别的办理时限与默认承办部门")
def list_rules(request: HttpRequest):
    _require_viewer(request)
    existing = {r.category: r for r in CategoryRule.objects.select_related("department")}
    return [_rule_out(value, existing.get(value)) for value in Category.values]


def _known_category(category: str) -> str:
    if category not in Category.values:
        raise Http404
    return category


@router.put("/rules/{category}", response=RuleOut, summary="设置类别的办理时限和默认承办部门（诉求管理员）")
def put_rule(request: HttpRequest, category: str, payload: RuleIn):
    rule = services.rule_save(
        actor=request.user, category=_known_category(category), working_days=payload.working_days,
        department_id=payload.department_id,
    )  # fmt: skip
    return _rule_out(category, CategoryRule.objects.select_related("department").get(pk=rule.pk))


@router.patch("/rules/{category}", response=RuleOut, summary="修改类别的办理时限或默认承办部门（诉求管理员）")
def patch_rule(request: HttpRequest, category: str, payload: RulePatch):
    current = services.rule_for(_known_category(category))
    values = payload.dict(exclude_unset=True)
    days = values.get("working_days", current.working_days if current else services.DEFAULT_WORKING_DAYS)
    department_id = values.get("department_id", current.department_id if current else None)
    rule = services.rule_save(
        actor=request.user, category=category, working_days=days, department_id=department_id
    )
    return _rule_out(category, CategoryRule.objects.select_related("department").get(pk=rule.pk))


class DepartmentOut(Schema):
    id: int
    name: str = Field(description="部门名称")
    code: str = Field(description="部门代码")
    phone: str = Field(description="办公电话")
    is_active: bool = Field(description="启用；停用的部门不能再被分派")
    staff: list[str] | None = Field(description="工作人员用户名（仅诉求管理员可见）")


class DepartmentIn(Schema):
    name: str
    code: str = Field(description="字母、数字和连字符")
    phone: str = ""
    is_active: bool = True
    staff: list[str] = Field(default_factory=list, description="工作人员用户名")


class DepartmentPatch(Schema):
    name: str | None = None
    code: str | None = None
    phone: str | None = None
    is_active: bool | None = None
    staff: list[str] | None = Field(None, description="工作人员用户名（整体替换）；不传则不变")


def _department_out(d: Department, manager: bool) -> dict[str, Any]:
    return {
        "id": d.pk, "name": d.name, "code": d.code, "phone": d.phone, "is_active": d.is_active,
        "staff": sorted(u.username for u in d.staff.all()) if manager else None,
    }  # fmt: skip


@router.get("/departments", response=list[DepartmentOut], summary="职能部门列表")
def list_departments(request: HttpRequest):
    _require_viewer(request)
    manager = selectors.is_manager(request.user)
    qs = Department.objects.order_by("-is_active", "code")
    if manager:
        qs = qs.prefetch_related("staff")
    return [_department_out(d, manager) for d in qs]


def _department_values(values: dict[str, Any]) -> dict[str, Any]:
    if "is_active" in values:
        values["is_active"] = "1" if values["is_active"] else "0"
    return values


@router.post("/departments", response={201: DepartmentOut}, summary="新增职能部门（诉求管理员）")
def create_department(request: HttpRequest, payload: DepartmentIn):
    saved = services.department_save(actor=request.user, values=_department_values(payload.dict()))
    return Status(201, _department_out(saved, True))


@router.patch(
    "/departments/{int:department_id}",
    response=DepartmentOut,
    summary="修改职能部门及其工作人员（诉求管理员）",
)
def update_department(request: HttpRequest, department_id: int, payload: DepartmentPatch):
    services.require_manager(request.user)
    current = Department.objects.filter(pk=department_id).first()
    if current is None:
        raise Http404
    values = {
        "name": current.name,
        "code": current.code,
        "phone": current.phone,
        "is_active": current.is_active,
    }
    values.update({k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None})
    saved = services.department_save(
        actor=request.user, values=_department_values(values), department_id=department_id
    )
    return _department_out(saved, True)


# ---------------------------------------------------------------- public


class ChallengeOut(Schema):
    question: str = Field(description="验证题，如“7 加 5 等于几？”")
    token: str = Field(description="提交时原样带回；同一 token 重复提交只登记一次")


class PublicIn(Schema):
    token: str
    answer: str = Field(description="验证题答案")
    submitter_name: str
    submitter_phone: str
    zone: int | None = Field(None, description="所在社区（片区），可不填")
    address: str = ""
    category: str = Field(
        description="sanitation 环境卫生 / property 物业管理 / municipal 市政设施 / security 治安安全 / neighbour 邻里纠纷 / welfare 社会保障 / employment 就业创业 / other 其他"
    )
    title: str
    content: str
    website: str = Field("", description="留空（防机器人字段）")


class ReceiptOut(Schema):
    receipt_code: str = Field(description="受理编号，凭此查询和评价")
    created: bool = Field(description="false 表示同一表单已提交过，返回首次登记的编号")


class PublicEventOut(Schema):
    at: dt.datetime
    label: str
    note: str


class TrackOut(Schema):
    receipt_code: str
    title: str
    category: str
    state: str
    state_label: str
    received_on: dt.date
    reply: str
    replied_at: dt.datetime | None
    rating: int | None
    can_rate: bool
    history: list[PublicEventOut]


class RatingIn(Schema):
    rating: int = Field(description="1–5 星")
    comment: str = ""


@router.get("/public/challenge", response=ChallengeOut, auth=None, summary="群众提交：获取验证题")
def public_challenge(request: HttpRequest):
    challenge = new_challenge()
    return {"question": challenge.question, "token": challenge.token}


@router.post(
    "/public",
    response={201: ReceiptOut, 200: ReceiptOut},
    auth=None,
    summary="群众提交诉求（限流，需答对验证题）",
)
def public_submit(request: HttpRequest, payload: PublicIn):
    rate_limit(request, "requests.submit")
    values = payload.dict()
    values["zone"] = str(values["zone"] or "")
    created_request, created = services.submit_public(
        values=values, token=payload.token, answer=payload.answer, trap=payload.website
    )
    body = {"receipt_code": created_request.receipt_code, "created": created}
    return Status(201 if created else 200, body)


def _track_out(r: ResidentRequest) -> dict[str, Any]:
    return {
        "receipt_code": r.receipt_code, "title": r.title, "category": r.category, "state": r.state,
        "state_label": PUBLIC_STATES.get(r.state, ""), "received_on": r.received_on, "reply": r.reply,
        "replied_at": r.replied_at, "rating": r.rating, "can_rate": r.state == "replied" and r.rating is None,
        "history": public_history(r),
    }  # fmt: skip


@router.get("/public/{code}", response=TrackOut, auth=None, summary="群众凭受理编号查询进度（限流）")
def public_track(request: HttpRequest, code: str):
    rate_limit(request, "requests.track")
    found = services.find_by_receipt(code)
    if found is None:
        raise Http404
    return _track_out(found)


@router.post(
    "/public/{code}/rating", response=TrackOut, auth=None, summary="群众评价答复（每件只能评价一次）"
)
def public_rate(request: HttpRequest, code: str, payload: RatingIn):
    rate_limit(request, "requests.track")
    return _track_out(services.rate(code=code, rating=payload.rating, comment=payload.comment))
