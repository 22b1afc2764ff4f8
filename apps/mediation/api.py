"""Mediation in the JSON API: cases and their actions, the bulletin, institutions; and the public
application and tracking used by residents without an account."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status, UploadedFile
from pydantic import Field

from apps.core.api import PageNumber
from apps.core.errors import DomainError
from apps.core.public import new_challenge, normalise_receipt, rate_limit, verify_challenge
from apps.core.uploads import stored_file_response
from apps.core.workflow import history
from apps.mediation import documents, selectors, services
from apps.mediation.flow import CASE_FLOW
from apps.mediation.models import Case, Mediator

router = Router(tags=["矛盾纠纷多元化解"])


class BulletinOut(Schema):
    received: int
    accepted: int
    rejected: int
    mediated: int = Field(description="已受理且调解成功或调解不成结案的案件")
    successful: int
    judicially_confirmed: int
    mediation_rate: float = Field(description="调解率 = 调解结案 ÷ 受理（4位小数）")
    success_rate: float = Field(description="调解成功率 = 调解成功 ÷ 调解结案（4位小数）")
    average_response_days: float | None = Field(description="收案到受理或不予受理的平均工作日")
    late: int = Field(description="未在时限内响应的案件数")
    open: int
    overdue_institutions: list[int] = Field(description="有案件未在时限内响应的机构 id")


class InstitutionOut(Schema):
    id: int
    name: str
    kind: str
    supervisor_id: int | None
    online: bool
    limit_accept: int
    limit_assign: int
    limit_mediate: int
    is_active: bool


class CaseOut(Schema):
    id: int
    receipt: str
    number: str
    source: str
    institution_id: int
    institution: str
    dispute_type: str
    amount: Decimal | None
    applicant_name: str
    applicant_phone: str = Field(description="脱敏")
    state: str
    state_label: str
    due_date: dt.date | None
    received_on: dt.date
    respond_by: dt.date
    responded_on: dt.date | None
    response_days: int | None
    accepted_on: dt.date | None
    mediator_id: int | None
    closed_on: dt.date | None


class CaseDetailOut(CaseOut):
    facts: str
    claims: str
    reject_reason: str
    agreement: str
    parties: list[dict[str, Any]]
    sessions: list[dict[str, Any]]
    history: list[dict[str, Any]]
    judicial: dict[str, Any] | None


class DisputeIn(Schema):
    """The dispute and its parties, as an application or a registration gives them."""

    institution: int
    dispute_type: str
    amount: Decimal | None = None
    facts: str
    claims: str
    applicant_name: str
    applicant_phone: str
    applicant_address: str = ""
    respondent_name: str
    respondent_phone: str = ""
    respondent_address: str = ""


class CaseIn(DisputeIn):
    source: str = Field(description="walk_in / court / police / grid / other")
    referred_by: str = ""
    received_on: dt.date | None = None


class ActionIn(Schema):
    action: str = Field(
        description="accept / reject / assign / session / succeed / fail / withdraw / judicial / court_accept / confirm / dismiss"
    )
    on: dt.date | None = None
    reason: str = ""
    mediator: int | None = None
    held_on: dt.date | None = None
    mode: str = "onsite"
    place: str = ""
    participants: str = ""
    summary: str = ""
    agreement: str = ""
    performance: str = ""
    court: str = ""
    court_number: str = ""


class ChallengeOut(Schema):
    question: str
    token: str


class ApplyIn(DisputeIn):
    token: str = Field(description="GET /mediation/public/challenge 返回的 token")
    answer: str


class ReceiptOut(Schema):
    receipt: str
    institution: str
    respond_by: dt.date


class TrackOut(Schema):
    receipt: str
    number: str
    institution: str
    state: str
    state_label: str
    mediator: str
    reject_reason: str
    steps: list[dict[str, Any]]


def _require(request: HttpRequest) -> None:
    if not selectors.may_view_mediation(request.user):
        raise Http404


def _case_out(c: Case) -> dict[str, Any]:
    return {
        "id": c.pk, "receipt": c.receipt, "number": c.number, "source": c.source, "institution_id": c.institution_id,
        "institution": c.institution.name, "dispute_type": c.dispute_type, "amount": c.amount, "applicant_name": c.applicant_name,
        "applicant_phone": c.applicant_phone_masked, "state": c.state, "state_label": c.get_state_display(), "due_date": c.due_date,
        "received_on": c.received_on, "respond_by": c.respond_by, "responded_on": c.responded_on, "response_days": c.response_days,
        "accepted_on": c.accepted_on, "mediator_id": c.mediator_id, "closed_on": c.closed_on,
    }  # fmt: skip


def _detail_out(c: Case) -> dict[str, Any]:
    judicial = getattr(c, "judicial", None) if hasattr(c, "judicial") else None
    return _case_out(c) | {
        "facts": c.facts, "claims": c.claims, "reject_reason": c.reject_reason, "agreement": c.agreement,
        "parties": [{"role": p.role, "name": p.name, "phone": p.phone_masked, "address": p.address} for p in c.parties.all()],
        "sessions": [{"held_on": s.held_on, "mode": s.mode, "place": s.place, "summary": s.summary} for s in c.sessions.all()],
        "history": [{"at": e["at"], "label": e["label"], "to": e["to"], "note": e["note"]} for e in history(c, CASE_FLOW, opened="收案")],
        "judicial": {"court": judicial.court, "applied_on": judicial.applied_on, "state": judicial.state, "court_number": judicial.court_number,
                     "decided_on": judicial.decided_on} if judicial else None,
    }  # fmt: skip


@router.get("/bulletin", response=BulletinOut, summary="调解工作通报（按收案日期统计）")
def bulletin(request: HttpRequest, start: dt.date, end: dt.date, institution: int | None = None):
    _require(request)
    if end < start:
        raise DomainError("mediation.period", "结束日期不能早于开始日期", field="end")
    chosen = selectors.access_institution(request.user, institution) if institution else None
    return selectors.scoped_bulletin(request.user, start, end, chosen)


@router.get("/institutions", response=list[InstitutionOut], summary="可查看的调解机构")
def institutions(request: HttpRequest):
    _require(request)
    return list(selectors.institutions_for(request.user).order_by("kind", "name"))


@router.get("/cases", response=list[CaseOut], summary="调解案件（工作台账，与页面相同的筛选，每页50件）")
def cases(
    request: HttpRequest, state: str = "", institution: int | None = None, dispute_type: str = "", source: str = "",
    start: dt.date | None = None, end: dt.date | None = None, q: str = "", overdue: bool = False, page: PageNumber = 1,
):  # fmt: skip
    _require(request)
    f = selectors.LedgerFilters(state=state, institution=institution, dispute_type=dispute_type, source=source, start=start, end=end, q=q[:50], overdue=overdue)  # fmt: skip
    offset = (max(page, 1) - 1) * 50
    return [_case_out(c) for c in selectors.ledger(request.user, f)[offset : offset + 50]]


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="案件详情（含当事人、调解记录、办理记录）")
def case_detail(request: HttpRequest, case_id: int):
    _require(request)
    return _detail_out(selectors.access_case(request.user, case_id))


@router.post("/cases", response={201: CaseOut}, summary="登记委派、移交或来访案件")
def case_create(request: HttpRequest, payload: CaseIn):
    _require(request)
    values = payload.dict()
    values["received_on"] = values["received_on"] or None
    return Status(201, _case_out(services.register_case(request.user, values)))


def _act(request: HttpRequest, case_id: int, p: ActionIn) -> None:
    u = request.user
    if p.action == "accept":
        services.accept(u, case_id, on=p.on)
    elif p.action == "reject":
        services.reject(u, case_id, p.reason, on=p.on)
    elif p.action == "assign":
        services.assign(u, case_id, p.mediator)
    elif p.action == "session":
        services.record_session(u, case_id, {"held_on": p.held_on, "mode": p.mode, "place": p.place, "participants": p.participants, "summary": p.summary})  # fmt: skip
    elif p.action == "succeed":
        services.succeed(u, case_id, p.agreement, p.performance, on=p.on)
    elif p.action == "fail":
        services.fail(u, case_id, p.reason, on=p.on)
    elif p.action == "withdraw":
        services.withdraw(u, case_id, p.reason, on=p.on)
    elif p.action == "judicial":
        services.apply_judicial(u, case_id, p.court, on=p.on)
    elif p.action in services.JUDICIAL_ACTIONS:
        services.judicial_decide(u, case_id, p.action, court_number=p.court_number, note=p.reason, on=p.on)
    else:
        raise DomainError("mediation.action", "不支持的操作", field="action")


@router.post(
    "/cases/{case_id}/actions",
    response=CaseDetailOut,
    summary="办理案件：受理、不予受理、分派、记录调解、结案、司法确认",
)
def case_action(request: HttpRequest, case_id: int, payload: ActionIn):
    _require(request)
    _act(request, case_id, payload)
    return _detail_out(selectors.access_case(request.user, case_id))


@router.get("/public/challenge", auth=None, response=ChallengeOut, summary="群众申请：获取验证题")
def public_challenge(request: HttpRequest):
    c = new_challenge()
    return {"question": c.question, "token": c.token}


@router.post(
    "/public/apply",
    auth=None,
    response={201: ReceiptOut, 200: ReceiptOut},
    summary="群众网上申请调解（限频，需回答验证题；重复提交返回同一回执码）",
)
def public_apply(request: HttpRequest, payload: ApplyIn):
    rate_limit(request, "mediation-apply")
    key = verify_challenge(payload.token, payload.answer)
    case, created = services.apply_online(payload.dict(), [], submission_key=key)
    out = {"receipt": case.receipt, "institution": case.institution.name, "respond_by": case.respond_by}
    return Status(201 if created else 200, out)


@router.get("/public/track/{receipt}", auth=None, response=TrackOut, summary="凭回执码查询办理进度")
def public_track(request: HttpRequest, receipt: str):
    rate_limit(request, "mediation-track", limit=30)
    case = selectors.case_by_receipt(normalise_receipt(receipt))
    if case is None:
        raise Http404
    steps = selectors.public_steps(case)
    return {
        "receipt": case.receipt, "number": case.number, "institution": case.institution.name, "state": case.state,
        "state_label": case.get_state_display(), "mediator": case.mediator.name if case.mediator else "",
        "reject_reason": case.reject_reason, "steps": steps,
    }  # fmt: skip


class InstitutionIn(Schema):
    name: str
    kind: str = Field(description="center / street / community / trade / lawyer / court")
    supervisor: int | None = None
    phone: str = ""
    address: str = ""
    scope_note: str = ""
    online: bool = True
    is_active: bool = True
    limit_accept: int = Field(3, description="受理时限（工作日，1–90）")
    limit_assign: int = Field(2, description="分派时限（工作日，1–90）")
    limit_mediate: int = Field(22, description="调解时限（工作日，1–90）")


class MediatorIn(Schema):
    name: str
    kind: str = Field("part_time", description="full_time / part_time / lawyer / invited")
    phone: str = ""
    speciality: str = ""
    username: str = Field("", description="登录账号（可空）")
    is_admin: bool = False
    is_active: bool = True


class MediatorOut(Schema):
    id: int
    institution_id: int
    name: str
    kind: str
    speciality: str
    is_admin: bool
    is_active: bool
    username: str | None


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    by_applicant: bool


class ReferIn(Schema):
    institution: int
    dispute_type: str
    respondent_name: str
    respondent_phone: str = ""
    amount: Decimal | None = None


def _mediator_out(m: Mediator) -> dict[str, Any]:
    return {"id": m.pk, "institution_id": m.institution_id, "name": m.name, "kind": m.kind, "speciality": m.speciality,
            "is_admin": m.is_admin, "is_active": m.is_active, "username": m.user.username if m.user_id and m.user else None}  # fmt: skip


def _values(payload: Schema) -> dict[str, Any]:
    return {k: ("" if v is None else v) for k, v in payload.dict().items()}


@router.post("/institutions", response={201: InstitutionOut}, summary="新增调解机构（开发区管理员）")
def institution_create(request: HttpRequest, payload: InstitutionIn):
    _require(request)
    return Status(201, services.institution_save(request.user, _values(payload)))


@router.put(
    "/institutions/{institution_id}",
    response=InstitutionOut,
    summary="修改调解机构（开发区管理员或主管单位）",
)
def institution_update(request: HttpRequest, institution_id: int, payload: InstitutionIn):
    _require(request)
    institution = selectors.access_institution(request.user, institution_id)
    return services.institution_save(request.user, _values(payload), institution)


@router.get("/institutions/{institution_id}/mediators", response=list[MediatorOut], summary="机构的调解员")
def mediators(request: HttpRequest, institution_id: int):
    _require(request)
    institution = selectors.access_institution(request.user, institution_id)
    return [_mediator_out(m) for m in institution.mediators.select_related("user")]


@router.post(
    "/institutions/{institution_id}/mediators",
    response={201: MediatorOut},
    summary="添加调解员（机构管理员或主管单位）",
)
def mediator_create(request: HttpRequest, institution_id: int, payload: MediatorIn):
    _require(request)
    institution = selectors.access_institution(request.user, institution_id)
    return Status(201, _mediator_out(services.mediator_save(request.user, institution, _values(payload))))


@router.put(
    "/institutions/{institution_id}/mediators/{mediator_id}",
    response=MediatorOut,
    summary="修改调解员（含离岗、机构管理员）",
)
def mediator_update(request: HttpRequest, institution_id: int, mediator_id: int, payload: MediatorIn):
    _require(request)
    institution = selectors.access_institution(request.user, institution_id)
    existing = institution.mediators.filter(pk=mediator_id).first()
    if existing is None:
        raise Http404
    return _mediator_out(services.mediator_save(request.user, institution, _values(payload), existing))


def _ledger_filters(state: str, institution: int | None, dispute_type: str, source: str, start: dt.date | None,
                    end: dt.date | None, q: str, overdue: bool) -> selectors.LedgerFilters:  # fmt: skip
    return selectors.LedgerFilters(state=state, institution=institution, dispute_type=dispute_type, source=source, start=start, end=end, q=q[:50], overdue=overdue)  # fmt: skip


@router.get("/ledger.xlsx", summary="导出工作台账（Excel，与列表相同的筛选，不含电话）")
def ledger_export(
    request: HttpRequest, state: str = "", institution: int | None = None, dispute_type: str = "", source: str = "",
    start: dt.date | None = None, end: dt.date | None = None, q: str = "", overdue: bool = False,
):  # fmt: skip
    _require(request)
    qs = selectors.ledger(
        request.user, _ledger_filters(state, institution, dispute_type, source, start, end, q, overdue)
    )
    if qs.count() > documents.EXPORT_LIMIT:
        raise DomainError(
            "mediation.export_limit", f"超过单次导出上限 {documents.EXPORT_LIMIT} 件，请缩小时间范围"
        )
    response = HttpResponse(
        documents.ledger_export(request.user, qs, documents.EXPORT_LIMIT), content_type=documents.XLSX
    )
    response["Content-Disposition"] = "attachment; filename=mediation-ledger.xlsx"
    return response


@router.get("/bulletin.{fmt}", summary="调解工作通报下载（fmt 为 xlsx 或 pdf）")
def bulletin_download(
    request: HttpRequest, fmt: str, start: dt.date, end: dt.date, institution: int | None = None
):
    _require(request)
    if fmt not in ("xlsx", "pdf") or end < start:
        raise DomainError(
            "mediation.bulletin_format", "格式应为 xlsx 或 pdf，且结束日期不早于开始日期", field="fmt"
        )
    chosen = selectors.access_institution(request.user, institution) if institution else None
    report = documents.bulletin_report(request.user, start, end, chosen)
    body, kind = (report.pdf(), "application/pdf") if fmt == "pdf" else (report.xlsx(), documents.XLSX)
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f"attachment; filename={report.filename}.{fmt}"
    return response


@router.get("/cases/{case_id}/agreement.pdf", summary="人民调解协议书（PDF，调解成功的案件）")
def agreement_pdf(request: HttpRequest, case_id: int):
    _require(request)
    case = selectors.access_case(request.user, case_id)
    if case.state != "success":
        raise Http404
    return HttpResponse(documents.agreement_pdf(case), content_type="application/pdf")


@router.get("/cases/{case_id}/attachments", response=list[AttachmentOut], summary="案件材料")
def attachments(request: HttpRequest, case_id: int):
    _require(request)
    return list(selectors.access_case(request.user, case_id).attachments.all())


@router.get("/cases/{case_id}/attachments/{attachment_id}", summary="下载案件材料")
def attachment_download(request: HttpRequest, case_id: int, attachment_id: int):
    _require(request)
    item = selectors.access_case(request.user, case_id).attachments.filter(pk=attachment_id).first()
    if item is None:
        raise Http404
    return stored_file_response(item.path, item.name, item.content_type)


@router.post(
    "/cases/{case_id}/attachments",
    response={201: list[AttachmentOut]},
    summary="上传案件材料（PDF、图片、Word、Excel，单个不超过10MB）",
)
def attachment_upload(request: HttpRequest, case_id: int, files: list[UploadedFile] = File(...)):  # noqa: B008 — ninja's File marker
    _require(request)
    services.add_attachments(request.user, case_id, list(files))
    return Status(201, list(selectors.access_case(request.user, case_id).attachments.all()))


@router.post(
    "/refer/{request_id}",
    response={201: CaseOut},
    summary="把办理中的民情诉求转人民调解（同时答复群众调解回执码）",
)
def refer(request: HttpRequest, request_id: int, payload: ReferIn):
    case = services.refer_request(request.user, request_id, _values(payload))
    return Status(201, _case_out(case))
