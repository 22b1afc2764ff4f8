import datetime as dt

from django.test import Client
from django.utils import timezone

from apps.core.testing.factories import make_members, make_org
from apps.core.testing.queries import assert_constant_queries
from apps.meetings.models import Attendance, Meeting
from apps.meetings.services import meeting_create, meeting_mark_held

TODAY = timezone.localdate()


def test_secretary_creates_opens_sign_in_and_member_signs_in_by_the_link(
    client_for, zone, secretary_user, member_user
):
    client = client_for(secretary_user)
    response = client.post(
        f"/meetings/new/?org={zone['a1'].pk}",
        {"org": zone["a1"].pk, "meeting_type": "theme_day", "topic": "主题党日", "date": TODAY.isoformat()},
    )
    meeting = Meeting.objects.get()
    assert response.url == f"/meetings/{meeting.pk}/"
    client.post(f"/meetings/{meeting.pk}/checkin/open/")
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    meeting.refresh_from_db()
    assert "<svg" in page and meeting.checkin_code in page
    phone = Client()
    phone.force_login(member_user)
    assert "确认签到" in phone.get(f"/meetings/checkin/{meeting.checkin_code}/").content.decode()
    assert "签到成功" in phone.post(f"/meetings/checkin/{meeting.checkin_code}/").content.decode()
    assert Attendance.objects.get().via_qr
    assert phone.get("/meetings/checkin/not-a-code/").status_code == 404


def test_member_sees_own_attendance_history(client_for, zone, secretary_user, member_user):
    meeting = meeting_create(
        actor=secretary_user,
        org_id=zone["a1"].pk,
        values={"meeting_type": "party_lecture", "topic": "专题党课", "date": TODAY},
    )
    meeting_mark_held(actor=secretary_user, meeting_id=meeting.pk)
    body = client_for(member_user).get("/meetings/").content.decode()
    assert "专题党课" in body and "缺席" in body


def test_committee_checklist_page_sorted_by_red(client_for, zone, committee_user):
    body = (
        client_for(committee_user).get(f"/meetings/checklist/?org={zone['a'].pk}&sort=red").content.decode()
    )
    assert "甲一支部" in body and "乙一支部" not in body
    assert client_for(committee_user).get(f"/meetings/checklist/?org={zone['b'].pk}").status_code == 404


def test_list_and_committee_table_queries_do_not_grow(client_for, zone, admin_user):
    client = client_for(admin_user)

    def grow():
        for i in range(4):
            branch = make_org(f"新支部{i}", "branch", zone["b"])
            make_members(branch, 2)
            meeting = meeting_create(
                actor=admin_user,
                org_id=branch.pk,
                values={
                    "meeting_type": "theme_day",
                    "topic": f"活动{i}",
                    "date": TODAY - dt.timedelta(days=1),
                },
            )
            meeting_mark_held(actor=admin_user, meeting_id=meeting.pk)

    grow()  # start from a non-empty list: an empty page skips its row query
    assert_constant_queries(client, "/meetings/", grow)
    assert_constant_queries(client, f"/meetings/checklist/?org={zone['root'].pk}", grow)


def test_api_create_held_checklist_and_scope(client_for, zone, secretary_user):
    client = client_for(secretary_user)
    created = client.post(
        "/api/v1/meetings",
        {
            "org_id": zone["a1"].pk,
            "meeting_type": "theme_day",
            "topic": "主题党日",
            "date": TODAY.isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    meeting_id = created.json()["id"]
    assert client.post(f"/api/v1/meetings/{meeting_id}/held").json()["status"] == "held"
    items = {
        i["meeting_type"]: i for i in client.get(f"/api/v1/meetings/checklist?org={zone['a1'].pk}").json()
    }
    assert items["theme_day"]["status"] == "done" and items["theme_day"]["evidence_meeting_ids"] == [
        meeting_id
    ]
    outside = client.post(
        "/api/v1/meetings",
        {"org_id": zone["b1"].pk, "meeting_type": "theme_day", "topic": "x", "date": TODAY.isoformat()},
        content_type="application/json",
    )
    assert outside.status_code == 404
    bad = client.post("/api/v1/meetings/checkin", {"code": "wrong"}, content_type="application/json")
    assert bad.status_code == 404
