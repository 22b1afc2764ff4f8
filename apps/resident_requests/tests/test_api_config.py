"""The JSON API for category rules, departments and attachments: each works for who may use it,
refuses bad input without changing anything, and hides other scopes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.testing.factories import UserFactory
from apps.resident_requests.models import CategoryRule, Department, RequestAttachment

from .helpers import PNG

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_the_rules_are_listed_and_the_zone_changes_them(client, zone, admin_user, depts):
    client.force_login(depts["staff"]["CGK"])
    rules = {r["category"]: r for r in client.get("/api/v1/requests/rules").json()}
    assert len(rules) == 8 and rules["sanitation"]["working_days"] == 3
    assert rules["sanitation"]["department_name"] == "城管科" and rules["sanitation"]["label"] == "环境卫生"
    client.force_login(admin_user)
    pab = depts["dept"]["PAB"].pk
    response = client.put(
        "/api/v1/requests/rules/sanitation", {"working_days": 4, "department_id": pab}, content_type=JSON
    )
    assert response.status_code == 200 and response.json()["department_id"] == pab
    response = client.patch("/api/v1/requests/rules/sanitation", {"working_days": 6}, content_type=JSON)
    assert response.json()["working_days"] == 6 and response.json()["department_id"] == pab  # kept
    response = client.patch("/api/v1/requests/rules/sanitation", {"department_id": 0}, content_type=JSON)
    assert response.json()["department_id"] is None and response.json()["working_days"] == 6
    rule = CategoryRule.objects.get(category="sanitation")
    assert rule.working_days == 6 and rule.department_id is None and rule.updated_by == admin_user


@pytest.mark.parametrize(
    "body", [{"working_days": 0}, {"working_days": 61}, {"working_days": 3, "department_id": 99999}]
)
def test_a_bad_rule_is_refused_and_nothing_changes(client, zone, admin_user, depts, body):
    client.force_login(admin_user)
    response = client.patch("/api/v1/requests/rules/sanitation", body, content_type=JSON)
    assert response.status_code == 400 and response.json()["errors"][0]["message"]
    rule = CategoryRule.objects.get(category="sanitation")
    assert rule.working_days == 3 and rule.department.code == "CGK"
    assert (
        client.patch("/api/v1/requests/rules/nonsense", {"working_days": 3}, content_type=JSON).status_code
        == 404
    )


def test_only_the_zone_changes_rules(client, zone, admin_user, committee_user, depts):
    for user in (depts["staff"]["CGK"], committee_user):
        client.force_login(user)
        response = client.put("/api/v1/requests/rules/sanitation", {"working_days": 9}, content_type=JSON)
        assert response.status_code == 403
    assert CategoryRule.objects.get(category="sanitation").working_days == 3
    client.force_login(UserFactory(username="outsider"))
    assert client.get("/api/v1/requests/rules").status_code == 404


def test_the_zone_creates_and_edits_departments_with_their_staff(client, zone, admin_user, depts):
    client.force_login(admin_user)
    listed = {d["code"]: d for d in client.get("/api/v1/requests/departments").json()}
    assert listed["CGK"]["staff"] == ["cgk-staff"]
    UserFactory(username="wsj-1")
    response = client.post(
        "/api/v1/requests/departments",
        {"name": "卫生健康办", "code": "wsj", "phone": "0571-1", "staff": ["wsj-1"]},
        content_type=JSON,
    )
    assert response.status_code == 201 and response.json()["code"] == "WSJ"
    created = Department.objects.get(code="WSJ")
    assert list(created.staff.values_list("username", flat=True)) == ["wsj-1"]
    response = client.patch(
        f"/api/v1/requests/departments/{created.pk}",
        {"phone": "0571-2", "staff": ["wsj-1", "cgk-staff"], "is_active": False},
        content_type=JSON,
    )
    assert response.status_code == 200 and response.json()["staff"] == ["cgk-staff", "wsj-1"]
    created.refresh_from_db()
    assert created.name == "卫生健康办" and created.phone == "0571-2" and not created.is_active


def test_bad_departments_are_refused_and_nothing_changes(client, zone, admin_user, depts):
    client.force_login(admin_user)
    cgk = depts["dept"]["CGK"]
    count = Department.objects.count()
    for body in ({"name": "城管科", "code": "NEW"}, {"name": "新部门", "code": "带 空格"}, {"name": "", "code": "X1"},
                 {"name": "新部门", "code": "X2", "staff": ["no-such-user"]}):  # fmt: skip
        response = client.post("/api/v1/requests/departments", body, content_type=JSON)
        assert response.status_code in (400, 409), body
    assert Department.objects.count() == count
    response = client.patch(
        f"/api/v1/requests/departments/{cgk.pk}",
        {"name": "改名", "staff": ["no-such-user"]},
        content_type=JSON,
    )
    assert response.status_code == 400
    cgk.refresh_from_db()
    assert cgk.name == "城管科" and list(cgk.staff.values_list("username", flat=True)) == ["cgk-staff"]
    assert (
        client.patch("/api/v1/requests/departments/99999", {"phone": "1"}, content_type=JSON).status_code
        == 404
    )


def test_only_the_zone_edits_departments_and_others_see_no_staff(client, zone, admin_user, depts):
    staff = depts["staff"]["CGK"]
    client.force_login(staff)
    listed = client.get("/api/v1/requests/departments").json()
    assert listed and all(d["staff"] is None for d in listed)
    assert (
        client.post(
            "/api/v1/requests/departments", {"name": "新部门", "code": "NEW"}, content_type=JSON
        ).status_code
        == 403
    )
    cgk = depts["dept"]["CGK"]
    response = client.patch(f"/api/v1/requests/departments/{cgk.pk}", {"staff": []}, content_type=JSON)
    assert response.status_code == 403
    assert cgk.staff.filter(pk=staff.pk).exists() and not Department.objects.filter(code="NEW").exists()


def test_attachments_are_listed_downloaded_and_added_by_who_may_act(client, zone, admin_user, depts, world):
    loose = world["loose"]
    client.force_login(admin_user)
    listed = client.get(f"/api/v1/requests/{loose.pk}/attachments").json()
    assert [a["name"] for a in listed] == ["a.png"]
    download = client.get(listed[0]["download"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    # The department the request is routed to adds a photo of the site.
    a = world["a"]
    client.force_login(depts["staff"]["CGK"])
    response = client.post(
        f"/api/v1/requests/{a.pk}/attachments", {"files": [SimpleUploadedFile("现场.png", PNG, "image/png")]}
    )
    assert response.status_code == 201 and [x["name"] for x in response.json()] == ["现场.png"]
    assert list(a.attachments.values_list("name", flat=True)) == ["现场.png"]


def test_a_bad_attachment_is_refused_and_nothing_is_stored(client, zone, depts, world, settings):
    a = world["a"]
    client.force_login(depts["staff"]["CGK"])
    for files in (
        [SimpleUploadedFile("x.exe", b"MZ" + b"\x00" * 20)],
        [SimpleUploadedFile("fake.png", b"GIF89a")],
        [],
    ):
        response = client.post(f"/api/v1/requests/{a.pk}/attachments", {"files": files})
        assert response.status_code in (400, 422), files
    assert not a.attachments.exists()


def test_attachments_of_other_scopes_are_not_found_and_watchers_cannot_add(
    client, zone, committee_user, depts, grid, world
):
    loose_attachment = RequestAttachment.objects.get(request=world["loose"])
    client.force_login(depts["staff"]["CGK"])
    assert client.get(f"/api/v1/requests/{world['loose'].pk}/attachments").status_code == 404
    assert client.get(f"/api/v1/requests/attachments/{loose_attachment.pk}/download").status_code == 404
    upload = {"files": [SimpleUploadedFile("b.png", PNG, "image/png")]}
    assert client.post(f"/api/v1/requests/{world['b'].pk}/attachments", upload).status_code == 404
    # Committee A sees zone A's request but does not handle it.
    client.force_login(committee_user)
    assert client.get(f"/api/v1/requests/{world['a'].pk}/attachments").status_code == 200
    upload = {"files": [SimpleUploadedFile("c.png", PNG, "image/png")]}
    assert client.post(f"/api/v1/requests/{world['a'].pk}/attachments", upload).status_code == 403
    assert not world["a"].attachments.exists()
    client.logout()
    assert client.get(f"/api/v1/requests/attachments/{loose_attachment.pk}/download").status_code == 401


def test_staff_add_an_attachment_from_the_detail_page(client, zone, depts, world):
    a = world["a"]
    client.force_login(depts["staff"]["CGK"])
    assert 'data-testid="upload-attachment"' in client.get(f"/requests/{a.pk}/").content.decode()
    response = client.post(
        f"/requests/{a.pk}/attachments/",
        {"files": [SimpleUploadedFile("回执.png", PNG, "image/png")]},
        follow=True,
    )
    assert "已上传1个附件" in response.content.decode() and a.attachments.get().name == "回执.png"


def test_the_new_endpoints_are_documented_in_chinese(client, admin_user):
    client.force_login(admin_user)
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    expected = {
        ("/api/v1/requests/rules", "get"), ("/api/v1/requests/rules/{category}", "put"),
        ("/api/v1/requests/rules/{category}", "patch"), ("/api/v1/requests/departments", "get"),
        ("/api/v1/requests/departments", "post"), ("/api/v1/requests/departments/{department_id}", "patch"),
        ("/api/v1/requests/{request_id}/attachments", "get"), ("/api/v1/requests/{request_id}/attachments", "post"),
        ("/api/v1/requests/attachments/{attachment_id}/download", "get"),
    }  # fmt: skip
    for path, method in expected:
        summary = paths[path][method]["summary"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in summary), (path, summary)
