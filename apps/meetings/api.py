from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import Field

from apps.core.api import PageNumber
from apps.core.scoping import Perm
from apps.meetings import selectors, services
from apps.orgs.selectors import access_org

router = Router(tags=["组织生活"])


class MeetingIn(Schema):
    org_id: int
    meeting_type: str
    topic: str
    date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str = ""
    host: str = ""
    minutes: str = ""


class MeetingOut(Schema):
    id: int
    org_id: int
    meeting_type: str
    topic: str
    date: dt.date
    status: str
    place: str
    host: str


class AttendanceIn(Schema):
    member_id: int
    status: str = Field(description="present / leave / absent")
    reason: str = ""


class CheckinIn(Schema):
    code: str


class ChecklistItemOut(Schema):
    requirement: str
    source: str = Field(
        description="meeting，或由其他记录判定的检查：transfers / records / dues / development / pioneer / election / ledger"
    )
    meeting_type: str
    cadence: str
    times: int
    period_start: dt.date
    period_end: dt.date
    status: str
    light: str
    applies: bool
    evidence_meeting_ids: list[int]
    note: str = Field(description="由记录判定的事项未完成的原因")
    evidence_link: str = Field(description="佐证记录所在页面")


def _out(m) -> dict:
    return {
        f: getattr(m, f) for f in ("id", "org_id", "meeting_type", "topic", "date", "status", "place", "host")
    }


@router.get("", response=list[MeetingOut], summary="会议与活动（权限范围内；党员为本支部）")
def list_meetings(request: HttpRequest, org: int | None = None, page: PageNumber = 1):
    qs = selectors.meetings_for(request.user).order_by("-date", "-id")
    if org:
        qs = qs.filter(org_path__startswith=access_org(request.user, org, Perm.MEETINGS_VIEW).path)
    start = (max(page, 1) - 1) * 50
    return [_out(m) for m in qs[start : start + 50]]


@router.post("", response={201: MeetingOut}, summary="登记会议/活动")
def create(request: HttpRequest, payload: MeetingIn):
    values = payload.dict(exclude={"org_id"})
    return Status(
        201, _out(services.meeting_create(actor=request.user, org_id=payload.org_id, values=values))
    )


@router.post("/{meeting_id}/held", response=MeetingOut, summary="登记为已召开（未签到者记为缺席）")
def held(request: HttpRequest, meeting_id: int):
    return _out(services.meeting_mark_held(actor=request.user, meeting_id=meeting_id))


@router.post("/{meeting_id}/attendance", summary="登记出席、请假或缺席")
def attendance(request: HttpRequest, meeting_id: int, payload: AttendanceIn):
    record = services.attendance_set(actor=request.user, meeting_id=meeting_id, **payload.dict())
    return {"member_id": record.member_id, "status": record.status}


@router.post("/checkin", summary="党员扫码签到（签到码来自会议二维码）")
def checkin(request: HttpRequest, payload: CheckinIn):
    record = services.checkin(actor=request.user, code=payload.code)
    return {"meeting_id": record.meeting_id, "status": record.status}


@router.get("/checklist", response=list[ChecklistItemOut], summary="党支部经常性工作清单（某日所在周期）")
def checklist(request: HttpRequest, org: int, on: dt.date | None = None):
    branch = access_org(request.user, org, Perm.MEETINGS_VIEW)
    today = timezone.localdate()
    return [
        {
            "requirement": i.requirement.name,
            "source": i.requirement.source,
            "meeting_type": i.requirement.meeting_type,
            "cadence": i.requirement.cadence,
            "times": i.requirement.times,
            "period_start": i.period_start,
            "period_end": i.period_end,
            "status": i.status,
            "light": i.light,
            "applies": i.applies,
            "evidence_meeting_ids": [m.pk for m in i.held],
            "note": i.note,
            "evidence_link": i.link,
        }
        for i in selectors.branch_checklist(branch, on=on or today, today=today)
    ]
