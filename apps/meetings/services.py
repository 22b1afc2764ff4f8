"""Every change to meetings, attendance, sign-in codes and the cadence requirements."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.scoping import Perm, get_scope
from apps.meetings.models import (
    Attendance,
    AttendanceStatus,
    Cadence,
    Meeting,
    MeetingStatus,
    MeetingType,
    Requirement,
)
from apps.members.models import Member
from apps.orgs.selectors import access_org

FIELDS = ("meeting_type", "topic", "date", "start_time", "end_time", "place", "host", "minutes")
CHECKIN_MINUTES = 120


def access_meeting(actor: Any, meeting_id: int, perm: str = Perm.MEETINGS_VIEW) -> Meeting:
    scope = get_scope(actor)
    condition = scope.org_q(perm, "org_path")
    if scope.member_id is not None and perm == Perm.MEETINGS_VIEW:
        # A member sees the meetings of their own organization.
        condition |= Q(org_path=scope.member_org_path) if scope.member_org_path else Q(pk__in=[])
    meeting = Meeting.objects.filter(condition, pk=meeting_id).select_related("org").first()
    if meeting is None:
        raise Http404("会议不存在")
    return meeting


def _validate(values: dict[str, Any]) -> None:
    if values.get("meeting_type") not in MeetingType.values:
        raise DomainError("meeting.type_invalid", "请选择会议类型", field="meeting_type")
    if not (values.get("topic") or "").strip():
        raise DomainError("meeting.topic_required", "请填写主题", field="topic")
    if not isinstance(values.get("date"), dt.date):
        raise DomainError("meeting.date_required", "请填写日期", field="date")
    start, end = values.get("start_time"), values.get("end_time")
    if start and end and end <= start:
        raise DomainError("meeting.time_order", "结束时间应晚于开始时间", field="end_time")


@transaction.atomic
def meeting_create(*, actor: Any, org_id: int, values: dict[str, Any]) -> Meeting:
    org = access_org(actor, org_id, Perm.MEETINGS_MANAGE)
    _validate(values)
    meeting = Meeting(org=org, org_path=org.path, created_by_id=getattr(actor, "pk", None))
    for field in FIELDS:
        if field in values:
            setattr(
                meeting,
                field,
                values[field]
                if values[field] is not None
                else ("" if field in {"place", "host", "minutes"} else None),
            )
    meeting.topic = meeting.topic.strip()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(*, actor: Any, meeting_id: int, values: dict[str, Any]) -> Meeting:
    meeting = access_meeting(actor, meeting_id, Perm.MEETINGS_MANAGE)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    merged = {f: getattr(meeting, f) for f in FIELDS} | values
    _validate(merged)
    if meeting.status == MeetingStatus.HELD and merged["date"] > timezone.localdate():
        raise DomainError("meeting.held_future", "已召开的会议日期不能晚于今天", field="date")
    changed = [f for f in FIELDS if f in values and getattr(meeting, f) != values[f]]
    for field in changed:
        setattr(
            meeting,
            field,
            values[field]
            if values[field] is not None
            else ("" if field in {"place", "host", "minutes"} else None),
        )
    if changed:
        meeting.save(update_fields=[*changed, "updated_at"])
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor: Any, meeting_id: int, minutes: str = "") -> Meeting:
    """Records that the meeting took place (it then counts for the checklist); absentees are marked absent."""
    meeting = access_meeting(actor, meeting_id, Perm.MEETINGS_MANAGE)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError("meeting.cancelled", "会议已取消", field="status")
    if meeting.date > timezone.localdate():
        raise DomainError("meeting.held_future", "会议日期未到，不能登记为已召开", field="date")
    meeting.status = MeetingStatus.HELD
    fields = ["status", "updated_at"]
    if minutes.strip():
        meeting.minutes = minutes.strip()
        fields.append("minutes")
    meeting.save(update_fields=fields)
    recorded = set(meeting.attendance.values_list("member_id", flat=True))
    absent = expected_members(meeting).exclude(pk__in=recorded).values_list("pk", flat=True)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=pk, status=AttendanceStatus.ABSENT) for pk in absent]
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting_id: int) -> Meeting:
    meeting = access_meeting(actor, meeting_id, Perm.MEETINGS_MANAGE)
    if meeting.status == MeetingStatus.HELD:
        raise DomainError("meeting.already_held", "已召开的会议不能取消", field="status")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED, checkin_code="")
    meeting.refresh_from_db()
    return meeting


def expected_members(meeting: Meeting) -> Any:
    """Who is expected: the members of the organization (and, for a committee's meeting, its subtree)."""
    from apps.members.choices import INACTIVE_CATEGORIES

    qs = Member.objects.exclude(category__in=INACTIVE_CATEGORIES)
    if meeting.org.is_branch:
        return qs.filter(org_id=meeting.org_id)
    return qs.filter(org_path__startswith=meeting.org_path)


@transaction.atomic
def attendance_set(
    *, actor: Any, meeting_id: int, member_id: int, status: str, reason: str = ""
) -> Attendance:
    meeting = access_meeting(actor, meeting_id, Perm.MEETINGS_MANAGE)
    if status not in AttendanceStatus.values:
        raise DomainError("attendance.status_invalid", "出席状态不正确", field="status")
    if status == AttendanceStatus.LEAVE and not reason.strip():
        raise DomainError("attendance.reason_required", "请假须填写事由", field="reason")
    if not expected_members(meeting).filter(pk=member_id).exists():
        raise DomainError("attendance.not_member", "该党员不属于本组织", field="member")
    record, _ = Attendance.objects.update_or_create(
        meeting=meeting,
        member_id=member_id,
        defaults={"status": status, "reason": reason.strip()[:200], "via_qr": False},
    )
    return record


@transaction.atomic
def checkin_open(*, actor: Any, meeting_id: int, minutes: int = CHECKIN_MINUTES) -> Meeting:
    """Opens QR sign-in for the meeting now, for `minutes`, with a fresh code that only this meeting accepts."""
    meeting = access_meeting(actor, meeting_id, Perm.MEETINGS_MANAGE)
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError("meeting.cancelled", "会议已取消", field="status")
    if meeting.date != timezone.localdate():
        raise DomainError("checkin.not_today", "只能在会议当天开启扫码签到", field="date")
    if not 10 <= minutes <= 480:
        raise DomainError("checkin.window", "签到时长应在10至480分钟之间", field="minutes")
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(
        checkin_code=secrets.token_urlsafe(18),
        checkin_opens=now,
        checkin_closes=now + dt.timedelta(minutes=minutes),
    )
    meeting.refresh_from_db()
    return meeting


def meeting_for_code(code: str) -> Meeting:
    meeting = (
        Meeting.objects.filter(checkin_code=code).exclude(checkin_code="").select_related("org").first()
        if code
        else None
    )
    if meeting is None:
        raise Http404("签到码无效")
    return meeting


@transaction.atomic
def checkin(*, actor: Any, code: str) -> Attendance:
    """A member signs in by the meeting's QR code, within its window, once."""
    meeting = meeting_for_code(code)
    scope = get_scope(actor)
    if scope.member_id is None:
        raise DomainError("checkin.no_member", "当前账号未关联党员档案，无法签到")
    now = timezone.now()
    if (
        meeting.checkin_opens is None
        or meeting.checkin_closes is None
        or not meeting.checkin_opens <= now <= meeting.checkin_closes
    ):
        raise DomainError("checkin.closed", "不在签到时间内：签到已结束或尚未开始")
    if not expected_members(meeting).filter(pk=scope.member_id).exists():
        raise DomainError("checkin.not_member", "您不是本组织党员，无需在此签到")
    try:
        with transaction.atomic():
            record, created = Attendance.objects.get_or_create(
                meeting=meeting,
                member_id=scope.member_id,
                defaults={"status": AttendanceStatus.PRESENT, "via_qr": True},
            )
    except IntegrityError:
        record, created = Attendance.objects.get(meeting=meeting, member_id=scope.member_id), False
    if not created and record.status != AttendanceStatus.PRESENT:
        record.status, record.via_qr, record.reason = AttendanceStatus.PRESENT, True, ""
        record.save(update_fields=["status", "via_qr", "reason", "recorded_at"])
    return record


@transaction.atomic
def requirement_update(
    *, actor: Any, requirement_id: int, cadence: str, times: int, is_active: bool, evidence: str = ""
) -> Requirement:
    if not get_scope(actor).has(Perm.REQUIREMENTS_EDIT):
        raise Http404
    requirement = Requirement.objects.select_for_update().filter(pk=requirement_id).first()
    if requirement is None:
        raise Http404
    if cadence not in Cadence.values:
        raise DomainError("requirement.cadence_invalid", "周期不正确", field="cadence")
    if not 1 <= times <= 12:
        raise DomainError("requirement.times_invalid", "每周期次数应为1至12", field="times")
    requirement.cadence, requirement.times, requirement.is_active = cadence, times, is_active
    requirement.evidence = evidence.strip()[:200] or requirement.evidence
    requirement.updated_by_id = getattr(actor, "pk", None)
    requirement.save()
    return requirement
