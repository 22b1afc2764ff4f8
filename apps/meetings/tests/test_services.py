import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.testing.factories import make_member, make_members, make_org
from apps.meetings.models import Attendance, MeetingAttachment, Requirement
from apps.meetings.selectors import branch_checklist, committee_table
from apps.meetings.services import (
    attendance_set,
    checkin,
    checkin_open,
    meeting_create,
    meeting_mark_held,
    requirement_update,
)
from apps.members.models import Member

TODAY = timezone.localdate()


def new_meeting(actor, org, kind="theme_day", date=TODAY, **extra):
    return meeting_create(
        actor=actor, org_id=org.pk, values={"meeting_type": kind, "topic": "学习党章", "date": date, **extra}
    )


def test_secretary_records_a_meeting_and_marks_it_held(zone, secretary_user):
    make_members(zone["a1"], 3)
    meeting = new_meeting(secretary_user, zone["a1"])
    attendance_set(
        actor=secretary_user,
        meeting_id=meeting.pk,
        member_id=Member.objects.first().pk,
        status="leave",
        reason="出差",
    )
    meeting_mark_held(actor=secretary_user, meeting_id=meeting.pk)
    statuses = sorted(Attendance.objects.values_list("status", flat=True))
    assert statuses == ["absent", "absent", "leave"]


def test_leave_needs_a_reason_and_outsiders_cannot_be_marked(zone, secretary_user):
    make_members(zone["a1"], 1)
    other = make_member(zone["a2"])
    meeting = new_meeting(secretary_user, zone["a1"])
    with pytest.raises(DomainError):
        attendance_set(
            actor=secretary_user,
            meeting_id=meeting.pk,
            member_id=Member.objects.filter(org=zone["a1"]).first().pk,
            status="leave",
        )
    with pytest.raises(DomainError):
        attendance_set(actor=secretary_user, meeting_id=meeting.pk, member_id=other.pk, status="present")


def test_a_meeting_in_the_future_cannot_be_marked_held(zone, secretary_user):
    meeting = new_meeting(secretary_user, zone["a1"], date=TODAY + dt.timedelta(days=3))
    with pytest.raises(DomainError):
        meeting_mark_held(actor=secretary_user, meeting_id=meeting.pk)


def test_secretary_cannot_record_for_another_branch(zone, secretary_user):
    with pytest.raises(Http404):
        new_meeting(secretary_user, zone["a2"])


def test_qr_sign_in_only_for_this_meeting_its_members_and_its_window(zone, secretary_user, member_user):
    meeting = new_meeting(secretary_user, zone["a1"])
    other = new_meeting(secretary_user, zone["a1"], kind="party_lecture")
    with pytest.raises(Http404):
        checkin(actor=member_user, code="")  # no code: nothing to sign in to
    meeting = checkin_open(actor=secretary_user, meeting_id=meeting.pk)
    record = checkin(actor=member_user, code=meeting.checkin_code)
    assert record.status == "present" and record.via_qr
    assert checkin(actor=member_user, code=meeting.checkin_code).pk == record.pk  # scanning twice is harmless
    with pytest.raises(Http404):
        checkin(actor=member_user, code=other.checkin_code or "nope")
    meeting.checkin_closes = timezone.now() - dt.timedelta(minutes=1)
    meeting.save(update_fields=["checkin_closes"])
    with pytest.raises(DomainError) as exc:
        checkin(actor=member_user, code=meeting.checkin_code)
    assert "签到" in exc.value.message


def test_members_of_another_branch_cannot_sign_in(zone, secretary_user):
    from apps.core.testing.factories import UserFactory

    outsider = UserFactory()
    make_member(zone["b1"], user=outsider)
    meeting = checkin_open(actor=secretary_user, meeting_id=new_meeting(secretary_user, zone["a1"]).pk)
    with pytest.raises(DomainError):
        checkin(actor=outsider, code=meeting.checkin_code)


def test_sign_in_opens_only_on_the_day(zone, secretary_user):
    meeting = new_meeting(secretary_user, zone["a1"], date=TODAY - dt.timedelta(days=2))
    with pytest.raises(DomainError):
        checkin_open(actor=secretary_user, meeting_id=meeting.pk)


def test_checklist_follows_the_records_and_the_editable_cadence(zone, secretary_user, admin_user):
    items = {i.requirement.meeting_type: i for i in branch_checklist(zone["a1"], on=TODAY, today=TODAY)}
    assert items["theme_day"].status in {"due"}
    meeting = new_meeting(secretary_user, zone["a1"], date=TODAY.replace(day=1))
    meeting_mark_held(actor=secretary_user, meeting_id=meeting.pk)
    items = {i.requirement.meeting_type: i for i in branch_checklist(zone["a1"], on=TODAY, today=TODAY)}
    assert items["theme_day"].status == "done" and items["theme_day"].held[0].pk == meeting.pk
    requirement = Requirement.objects.get(meeting_type="theme_day")
    requirement_update(
        actor=admin_user, requirement_id=requirement.pk, cadence="monthly", times=2, is_active=True
    )
    items = {i.requirement.meeting_type: i for i in branch_checklist(zone["a1"], on=TODAY, today=TODAY)}
    assert items["theme_day"].status == "due"
    last_month = TODAY.replace(day=1) - dt.timedelta(days=1)
    items = {i.requirement.meeting_type: i for i in branch_checklist(zone["a1"], on=last_month, today=TODAY)}
    assert items["theme_day"].status == "missed"
    assert items["committee_meeting"].applies is False  # no branch committee in the fixture


def test_only_the_zone_can_edit_cadences(zone, secretary_user):
    requirement = Requirement.objects.get(meeting_type="party_lecture")
    with pytest.raises(Http404):
        requirement_update(
            actor=secretary_user, requirement_id=requirement.pk, cadence="monthly", times=1, is_active=True
        )


def test_committee_table_counts_red_items_per_branch(zone, committee_user, secretary_user):
    last_month = TODAY.replace(day=1) - dt.timedelta(days=1)
    meeting = new_meeting(secretary_user, zone["a1"], date=last_month)
    meeting_mark_held(actor=secretary_user, meeting_id=meeting.pk)
    requirements, rows = committee_table(committee_user, zone["a"], on=last_month, today=TODAY)
    by_name = {r.org.name: r for r in rows}
    assert set(by_name) == {"甲一支部", "甲二支部"}
    theme = next(r for r in requirements if r.meeting_type == "theme_day")
    assert by_name["甲一支部"].lights[theme.pk] == "green"
    assert by_name["甲二支部"].lights[theme.pk] == "red"
    assert by_name["甲二支部"].red > by_name["甲一支部"].red


def test_a_branch_with_groups_is_expected_to_hold_group_meetings(zone):
    make_org("甲一第一党小组", "group", zone["a1"])
    items = {i.requirement.meeting_type: i for i in branch_checklist(zone["a1"], on=TODAY, today=TODAY)}
    assert items["group_meeting"].applies


def test_attachments_are_checked_by_content(zone, secretary_user, client_for):
    meeting = new_meeting(secretary_user, zone["a1"])
    client = client_for(secretary_user)
    fake = SimpleUploadedFile(
        "minutes.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    client.post(f"/meetings/{meeting.pk}/attachments/", {"file": fake})
    assert not MeetingAttachment.objects.exists()
    exe = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    client.post(f"/meetings/{meeting.pk}/attachments/", {"file": exe})
    assert not MeetingAttachment.objects.exists()
    pdf = SimpleUploadedFile("记录.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf")
    client.post(f"/meetings/{meeting.pk}/attachments/", {"file": pdf})
    item = MeetingAttachment.objects.get()
    response = client.get(f"/meetings/attachments/{item.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_attachments_and_meetings_of_another_scope_are_404(zone, secretary_user, admin_user, client_for):
    meeting = new_meeting(admin_user, zone["b1"])
    client = client_for(secretary_user)
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert client.post(f"/meetings/{meeting.pk}/held/").status_code == 404
    assert "学习党章" not in client.get("/meetings/").content.decode()
