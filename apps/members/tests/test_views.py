import openpyxl
import pytest

from apps.core.models import AccessAction, AccessLog, Job
from apps.core.testing.factories import make_member, make_members, member_values
from apps.core.testing.queries import assert_constant_queries
from apps.members.models import Member


def test_list_shows_the_scope_only(client_for, zone, committee_user):
    make_member(zone["a1"], name="甲方党员")
    make_member(zone["b1"], name="乙方党员")
    body = client_for(committee_user).get("/members/").content.decode()
    assert "甲方党员" in body and "乙方党员" not in body


def test_count_matches_the_scope(client_for, zone, committee_user):
    make_members(zone["a1"], 3)
    make_members(zone["b1"], 4)
    assert "共 3 人" in client_for(committee_user).get("/members/count/").content.decode()


def test_ids_and_phones_are_masked_on_the_list_and_detail(client_for, zone, secretary_user):
    values = member_values(zone["a1"])
    member = make_member(zone["a1"], citizen_id=values["citizen_id"], phone="13812345678")
    client = client_for(secretary_user)
    for url in ("/members/", f"/members/{member.pk}/"):
        body = client.get(url).content.decode()
        assert values["citizen_id"] not in body and "13812345678" not in body
        assert member.citizen_id_masked in body


@pytest.mark.parametrize("suffix", ["", "edit/"])
def test_member_outside_scope_answers_404(client_for, zone, secretary_user, suffix):
    other = make_member(zone["a2"])
    assert client_for(secretary_user).get(f"/members/{other.pk}/{suffix}").status_code == 404


def test_party_member_sees_only_their_own_record(client_for, zone, member_user):
    client = client_for(member_user)
    own = Member.objects.get(user=member_user)
    other = make_member(zone["a1"])
    assert client.get("/members/").url == f"/members/{own.pk}/"
    assert client.get(f"/members/{own.pk}/").status_code == 200
    assert client.get(f"/members/{other.pk}/").status_code == 404
    assert client.get("/api/v1/members").json()["items"][0]["id"] == own.pk
    assert client.get("/members/import/").status_code == 404


def test_reveal_shows_the_id_and_logs_it_with_the_address(client_for, zone, secretary_user):
    values = member_values(zone["a1"])
    member = make_member(zone["a1"], citizen_id=values["citizen_id"])
    response = client_for(secretary_user).post(
        f"/members/{member.pk}/reveal/citizen_id/", REMOTE_ADDR="10.1.2.3"
    )
    assert values["citizen_id"] in response.content.decode()
    log = AccessLog.objects.get(action=AccessAction.REVEAL_CITIZEN_ID)
    assert log.ip_address == "10.1.2.3" and log.target_id == member.pk


def test_reveal_outside_scope_is_404_and_not_logged(client_for, zone, secretary_user):
    other = make_member(zone["b1"])
    assert client_for(secretary_user).post(f"/members/{other.pk}/reveal/citizen_id/").status_code == 404
    assert not AccessLog.objects.exists()


def test_access_log_is_for_auditors_only(client_for, zone, admin_user, secretary_user):
    member = make_member(zone["a1"], name="被查看")
    client_for(secretary_user).post(f"/members/{member.pk}/reveal/phone/")
    assert client_for(secretary_user).get("/core/access-log/").status_code == 404
    body = client_for(admin_user).get("/core/access-log/").content.decode()
    assert "被查看" in body and "查看电话明文" in body


def test_create_form_saves_and_reports_errors_by_field(client_for, zone, secretary_user):
    client = client_for(secretary_user)
    values = member_values(zone["a1"])
    data = {
        "name": values["name"],
        "citizen_id": values["citizen_id"],
        "ethnicity": "汉族",
        "org": zone["a1"].pk,
        "admission_date": values["admission_date"].isoformat(),
        "category": "employed",
    }
    assert client.post("/members/new/", data).status_code == 302
    bad = data | {"citizen_id": values["citizen_id"][:-1] + ("0" if values["citizen_id"][-1] != "0" else "1")}
    body = client.post("/members/new/", bad).content.decode()
    assert "校验位不正确" in body
    other_branch = data | {"org": zone["a2"].pk, "citizen_id": member_values(zone["a1"])["citizen_id"]}
    assert "不在您的管理范围" in client.post("/members/new/", other_branch).content.decode()
    assert Member.objects.count() == 1


def test_edit_records_history_with_the_reason(client_for, zone, secretary_user):
    member = make_member(zone["a1"], name="旧名")
    client = client_for(secretary_user)
    data = client.get(f"/members/{member.pk}/edit/").context["form"].initial
    post = {
        k: (v.isoformat() if hasattr(v, "isoformat") else (v if v is not None else ""))
        for k, v in data.items()
        if k not in {"party_group"}
    }
    post.update({"name": "新名", "org": zone["a1"].pk, "reason": "更正姓名"})
    assert client.post(f"/members/{member.pk}/edit/", post).status_code == 302
    body = client.get(f"/members/{member.pk}/").content.decode()
    assert "旧名 → 新名" in body and "更正姓名" in body


def test_export_masked_by_default_and_audited(
    client_for, zone, secretary_user, django_capture_on_commit_callbacks
):
    make_members(zone["a1"], 3)
    make_members(zone["a2"], 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary_user).post("/members/export/", {})
    job = Job.objects.get(kind="members.export")
    assert response.url == f"/core/jobs/{job.pk}/"
    assert job.status == "done" and job.result["rows"] == 3
    sheet = openpyxl.load_workbook(job.output_file).active
    ids = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(ids) == 3 and all("********" in i for i in ids)
    assert AccessLog.objects.get().action == AccessAction.EXPORT_MASKED
    download = client_for(secretary_user).get(f"/core/jobs/{job.pk}/download/")
    assert download.status_code == 200


def test_unmasked_export_is_logged_as_such(
    client_for, zone, secretary_user, django_capture_on_commit_callbacks
):
    make_members(zone["a1"], 2)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(secretary_user).post("/members/export/", {"unmasked": "on", "q": ""})
    job = Job.objects.get(kind="members.export")
    sheet = openpyxl.load_workbook(job.output_file).active
    assert all("*" not in row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert AccessLog.objects.get().action == AccessAction.EXPORT_UNMASKED


def test_another_users_job_is_invisible(client_for, zone, secretary_user, committee_user):
    client_for(secretary_user).post("/members/export/", {})
    job = Job.objects.get()
    client = client_for(committee_user)
    assert client.get(f"/core/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/core/jobs/{job.pk}/download/").status_code == 404


def test_member_list_queries_do_not_grow_with_rows(client_for, zone, admin_user):
    make_members(zone["a1"], 5)
    assert_constant_queries(
        client_for(admin_user), "/members/?q=&sort=name", lambda: make_members(zone["a2"], 40)
    )


def test_member_detail_queries_do_not_grow_with_history(client_for, zone, admin_user):
    from apps.members.services import member_update

    member = make_member(zone["a1"])

    def grow():
        for i in range(5):
            member_update(
                actor=admin_user, member_id=member.pk, changes={"work_unit": f"单位{i}"}, reason=f"第{i}次"
            )

    assert_constant_queries(client_for(admin_user), f"/members/{member.pk}/", grow)


def test_edit_assigns_a_party_group_of_the_branch(client_for, zone, secretary_user):
    from apps.core.testing.factories import make_org

    group = make_org("甲一第一党小组", "group", zone["a1"])
    member = make_member(zone["a1"])
    client = client_for(secretary_user)
    initial = client.get(f"/members/{member.pk}/edit/").context["form"].initial
    post = {
        k: (v.isoformat() if hasattr(v, "isoformat") else ("" if v is None else v))
        for k, v in initial.items()
    }
    post.update({"org": zone["a1"].pk, "party_group": group.pk, "reason": "编入党小组"})
    assert client.post(f"/members/{member.pk}/edit/", post).status_code == 302
    assert Member.objects.get(pk=member.pk).party_group_id == group.pk
