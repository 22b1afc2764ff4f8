from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from apps.core.api import PageNumber
from apps.development import selectors, services

router = Router(tags=["发展党员"])


class ProspectOut(Schema):
    id: int
    name: str
    org_id: int
    stage: str
    citizen_id_masked: str
    application_date: dt.date
    next_step: str
    due: dt.date | None
    overdue: bool


class RegisterIn(Schema):
    org_id: int
    name: str
    citizen_id: str
    application_date: dt.date
    phone: str = ""
    work_unit: str = ""


class StepIn(Schema):
    on: dt.date | None = None
    by: str = ""
    contact_ids: list[int] = []
    review_date: dt.date | None = None
    training_hours: int = 0
    introducer_ids: list[int] = []
    publicity_start: dt.date | None = None
    eligible: int = 0
    present: int = 0
    yes: int = 0
    months: int = 0
    reason: str = ""


def _out(p) -> dict:
    n = selectors.next_step(p, timezone.localdate())
    return {
        "id": p.pk, "name": p.name, "org_id": p.org_id, "stage": p.stage, "citizen_id_masked": p.citizen_id_masked,
        "application_date": p.application_date, "next_step": n.label, "due": n.due, "overdue": n.overdue,
    }  # fmt: skip


@router.get("", response=list[ProspectOut], summary="发展对象（权限范围内，含下一步与期限）")
def list_prospects(request: HttpRequest, stage: str = "", page: PageNumber = 1):
    qs = selectors.prospects_for(request.user).order_by("stage", "application_date", "id")
    if stage:
        qs = qs.filter(stage=stage)
    start = (max(page, 1) - 1) * 50
    return [_out(p) for p in qs[start : start + 50]]


class ApprovalOut(Schema):
    id: int
    prospect_id: int
    name: str
    branch_id: int
    committee_id: int
    state: str
    meeting_date: dt.date
    due_date: dt.date | None
    decided_on: dt.date | None
    note: str


@router.get(
    "/approvals",
    response=list[ApprovalOut],
    summary="接收预备党员审批事项（本党委审批范围内；state: pending / approved / returned）",
)
def list_approvals(request: HttpRequest, state: str = "pending", page: PageNumber = 1):
    qs = services.approvals_for(request.user).select_related("prospect").order_by("due_date", "id")
    if state:
        qs = qs.filter(state=state)
    start = (max(page, 1) - 1) * 50
    return [
        {
            "id": a.pk,
            "prospect_id": a.prospect_id,
            "name": a.prospect.name,
            "branch_id": a.prospect.org_id,
            "committee_id": a.org_id,
            "state": a.state,
            "meeting_date": a.meeting_date,
            "due_date": a.due_date,
            "decided_on": a.decided_on,
            "note": a.note,
        }
        for a in qs[start : start + 50]
    ]


@router.post("", response={201: ProspectOut}, summary="登记入党申请")
def register(request: HttpRequest, payload: RegisterIn):
    return Status(201, _out(services.prospect_register(actor=request.user, **payload.dict())))


def _need(value, field: str):  # type: ignore[no-untyped-def]
    from apps.core.errors import DomainError

    if value is None:
        raise DomainError("development.field_required", "缺少必填项", field=field)
    return value


@router.post(
    "/{prospect_id}/steps/{name}",
    response=ProspectOut,
    summary="办理发展步骤：talk / activist / candidate / prepare / vote / approve / return / extend / full / stop",
)
def step(request: HttpRequest, prospect_id: int, name: str, payload: StepIn):
    a, pid = request.user, prospect_id
    calls = {
        "talk": lambda: services.record_talk(actor=a, prospect_id=pid, on=_need(payload.on, "on"), by=payload.by),
        "activist": lambda: services.make_activist(actor=a, prospect_id=pid, on=_need(payload.on, "on"), contact_ids=payload.contact_ids),
        "candidate": lambda: services.make_candidate(actor=a, prospect_id=pid, on=_need(payload.on, "on")),
        "prepare": lambda: services.prepare_admission(
            actor=a, prospect_id=pid, review_date=_need(payload.review_date, "review_date"), training_hours=payload.training_hours,
            introducer_ids=payload.introducer_ids, publicity_start=_need(payload.publicity_start, "publicity_start"),
        ),
        "vote": lambda: services.branch_meeting_vote(actor=a, prospect_id=pid, on=_need(payload.on, "on"), eligible=payload.eligible, present=payload.present, yes=payload.yes),
        "approve": lambda: services.approve_admission(actor=a, prospect_id=pid, on=_need(payload.on, "on")),
        "return": lambda: services.return_admission(actor=a, prospect_id=pid, reason=payload.reason),
        "extend": lambda: services.extend_probation(actor=a, prospect_id=pid, months=payload.months, reason=payload.reason),
        "full": lambda: services.make_full(actor=a, prospect_id=pid, on=_need(payload.on, "on")),
        "stop": lambda: services.stop(actor=a, prospect_id=pid, reason=payload.reason),
    }  # fmt: skip
    if name not in calls:
        from django.http import Http404

        raise Http404
    return _out(calls[name]())
