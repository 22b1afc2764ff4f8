from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from apps.core.scoping import Perm, get_scope
from apps.lostcontact import services
from apps.lostcontact.models import LostContactCase

router = Router(tags=["失联党员"])


class CaseOut(Schema):
    id: int
    member_id: int
    state: str
    opened_on: dt.date
    reason: str
    closed_on: dt.date | None
    removal_due: dt.date | None


class OpenIn(Schema):
    member_id: int
    reason: str
    on: dt.date | None = None


class NoteIn(Schema):
    note: str
    action: str = ""
    on: dt.date | None = None


def _out(c) -> dict:
    return {f: getattr(c, f) for f in CaseOut.model_fields}


@router.get("", response=list[CaseOut], summary="失联查找记录")
def list_cases(request: HttpRequest, state: str = ""):
    qs = LostContactCase.objects.filter(get_scope(request.user).org_q(Perm.MEMBERS_CHANGE, "org_path"))
    if state:
        qs = qs.filter(state=state)
    return [_out(c) for c in qs[:500]]


@router.post("", response={201: CaseOut}, summary="登记失联")
def open_case(request: HttpRequest, payload: OpenIn):
    return Status(201, _out(services.case_open(actor=request.user, **payload.dict())))


@router.post("/{case_id}/follow-ups", summary="记录查找")
def follow(request: HttpRequest, case_id: int, payload: NoteIn):
    f = services.follow_up(
        actor=request.user, case_id=case_id, action=payload.action, note=payload.note, on=payload.on
    )
    return {"id": f.pk, "on": f.on}


@router.post("/{case_id}/resolve", response=CaseOut, summary="恢复联系")
def resolve(request: HttpRequest, case_id: int, payload: NoteIn):
    return _out(services.case_resolve(actor=request.user, case_id=case_id, note=payload.note, on=payload.on))


@router.post("/{case_id}/suspend", response=CaseOut, summary="停止党籍（失联满6个月，经党组织决定）")
def suspend(request: HttpRequest, case_id: int, payload: NoteIn):
    return _out(
        services.case_suspend(actor=request.user, case_id=case_id, decision=payload.note, on=payload.on)
    )
