from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from apps.core.api import PageNumber
from apps.transfers import services

router = Router(tags=["组织关系转接"])


class TransferOut(Schema):
    id: int
    kind: str
    number: str
    person_name: str
    member_id: int | None
    from_org_id: int | None
    from_external: str
    to_org_id: int | None
    to_external: str
    state: str
    due_date: dt.date | None
    issued_on: dt.date | None
    completed_on: dt.date | None


class RequestIn(Schema):
    member_id: int
    reason: str
    to_org_id: int | None = None
    to_external: str = ""


class IssueIn(Schema):
    dues_paid_to: dt.date
    valid_days: int = 90


class DateIn(Schema):
    on: dt.date | None = None


class ReasonIn(Schema):
    reason: str


def _out(t) -> dict:
    return {f: getattr(t, f) for f in TransferOut.model_fields}


@router.get("", response=list[TransferOut], summary="转接记录（本方为转出方或接收方）")
def list_transfers(request: HttpRequest, state: str = "", page: PageNumber = 1):
    qs = services.transfers_for(request.user).order_by("-created_at", "-id")
    if state:
        qs = qs.filter(state=state)
    start = (max(page, 1) - 1) * 50
    return [_out(t) for t in qs[start : start + 50]]


@router.post("", response={201: TransferOut}, summary="发起区内转接（to_org_id）或转出本区（to_external）")
def request_transfer(request: HttpRequest, payload: RequestIn):
    return Status(201, _out(services.transfer_request(actor=request.user, **payload.dict())))


@router.post("/{transfer_id}/issue", response=TransferOut, summary="转出方开具介绍信")
def issue(request: HttpRequest, transfer_id: int, payload: IssueIn):
    return _out(services.transfer_issue(actor=request.user, transfer_id=transfer_id, **payload.dict()))


@router.post("/{transfer_id}/receive", response=TransferOut, summary="接收方确认接收（区内转接、区外转入）")
def receive(request: HttpRequest, transfer_id: int, payload: DateIn):
    return _out(services.transfer_receive(actor=request.user, transfer_id=transfer_id, on=payload.on))


@router.post("/{transfer_id}/receipt", response=TransferOut, summary="转出本区：转出方登记回执")
def receipt(request: HttpRequest, transfer_id: int, payload: DateIn):
    return _out(services.transfer_confirm_receipt(actor=request.user, transfer_id=transfer_id, on=payload.on))


@router.post("/{transfer_id}/return", response=TransferOut, summary="接收方退回")
def return_transfer(request: HttpRequest, transfer_id: int, payload: ReasonIn):
    return _out(services.transfer_return(actor=request.user, transfer_id=transfer_id, reason=payload.reason))
