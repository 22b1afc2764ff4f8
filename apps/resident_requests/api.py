"""民情诉求与工作联系单的 JSON 接口。

工作人员接口按调用者的范围返回数据（诉求管理员看全部并分派；部门工作人员看分派给本部门的诉求和
有本部门分项的联系单；片区/党委看组织路径在其范围内的诉求；联户党员看自己代办的诉求）。
群众接口（/public/…）无需登录：先取验证题，再连同答案提交；凭受理编号查询和评价；均按来源地址限流。
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from apps.core.api import PageNumber
from apps.core.public import new_challenge, rate_limit
from apps.resident_requests import selectors, services
from apps.resident_requests.flow import PUBLIC_STATES, REQUEST_FLOW
from apps.resident_requests.history import public_history, request_history
from apps.resident_requests.models import ResidentRequest, WorkOrder, WorkOrderPart

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
    due_date: dt.date | None = Field(description="办理期限")
    escalation_level: int = Field(description="督办等级：0 正常 / 1 黄色 / 2 红色")
    reply: str
    replied_at: dt.datetime | None
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
    channel = values.pop("channel")
    values["zone"] = str(values["zone"] or "")
    created = services.submit_staff(
        actor=request.user, channel=channel, values=values, household_id=household_id
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
