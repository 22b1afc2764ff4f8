import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.models import AccessAction, AccessLog, Job
from apps.core.testing.factories import make_member, member_values
from apps.members.excel import COLUMNS
from apps.members.models import Member, MemberOrgPeriod

HEADERS = [h for h, _ in COLUMNS]


def row_for(values, org_name):
    return [
        values["name"],
        values["citizen_id"],
        "",
        "汉族",
        None,
        "大学本科",
        values["phone"],
        org_name,
        values["admission_date"].isoformat(),
        values["full_membership_date"].isoformat() if values["full_membership_date"] else "",
        "在职",
        "测试单位",
    ]


def workbook(rows, headers=HEADERS):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(
        "党员.xlsx",
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@pytest.fixture
def upload(client_for, secretary_user, django_capture_on_commit_callbacks):
    client = client_for(secretary_user)

    def send(file):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/members/import/", {"file": file})
        return response, Job.objects.filter(kind="members.import").order_by("-id").first()

    def confirm(job):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/core/jobs/{job.pk}/confirm/")
        job.refresh_from_db()
        return job

    send.confirm = confirm
    send.client = client
    return send


def test_template_downloads_with_the_standard_columns(client_for, secretary_user):
    response = client_for(secretary_user).get("/members/import/template.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value.rstrip("*") for c in sheet[1]] == HEADERS


def test_preview_lists_new_rows_and_writes_nothing(upload, zone):
    rows = [row_for(member_values(zone["a1"]), "甲一支部") for _ in range(3)]
    response, job = upload(workbook(rows))
    assert response.status_code == 302
    assert job.status == "ready" and job.result["new"] == 3 and job.result["errors_count"] == 0
    assert Member.objects.count() == 0


def test_confirm_writes_every_row_in_one_go(upload, zone):
    _, job = upload(workbook([row_for(member_values(zone["a1"]), "甲一支部") for _ in range(4)]))
    job = upload.confirm(job)
    assert job.status == "done"
    assert Member.objects.filter(org=zone["a1"]).count() == 4
    assert MemberOrgPeriod.objects.count() == 4
    assert Member.history.filter(history_change_reason__startswith="Excel导入").count() == 4
    assert AccessLog.objects.filter(action=AccessAction.IMPORT).count() == 1


def test_error_rows_name_the_column_and_reason_and_block_the_commit(upload, zone):
    good = member_values(zone["a1"])
    bad = member_values(zone["a1"])
    bad_id = bad["citizen_id"][:-1] + ("0" if bad["citizen_id"][-1] != "0" else "1")
    rows = [
        row_for(good, "甲一支部"),
        row_for(bad, "甲一支部"),
        row_for(member_values(zone["a1"]), "乙一支部"),
    ]
    rows[1][1] = bad_id
    _, job = upload(workbook(rows))
    errors = {(e["row"], x["column"]) for e in job.result["errors"] for x in e["errors"]}
    assert (3, "身份证号") in errors
    assert (4, "所在党组织") in errors
    assert job.result["errors_count"] == 2
    job = upload.confirm(job)
    assert job.status == "ready"
    assert Member.objects.count() == 0


def test_existing_members_are_updated_not_duplicated(upload, zone):
    existing = make_member(zone["a1"], name="旧名字")
    from apps.core import crypto

    values = member_values(zone["a1"], citizen_id=crypto.decrypt(existing.citizen_id_encrypted))
    values["name"] = "新名字"
    _, job = upload(workbook([row_for(values, "甲一支部")]))
    assert job.result["update"] == 1 and job.result["new"] == 0
    upload.confirm(job)
    assert Member.objects.count() == 1
    assert Member.objects.get().name == "新名字"


def test_a_member_registered_outside_the_scope_is_an_error(upload, zone):
    elsewhere = make_member(zone["b1"])
    from apps.core import crypto

    values = member_values(zone["a1"], citizen_id=crypto.decrypt(elsewhere.citizen_id_encrypted))
    _, job = upload(workbook([row_for(values, "甲一支部")]))
    assert job.result["errors_count"] == 1
    assert "权限范围之外" in str(job.result["errors"])


def test_duplicate_ids_inside_the_file_are_errors(upload, zone):
    values = member_values(zone["a1"])
    _, job = upload(workbook([row_for(values, "甲一支部"), row_for(values, "甲一支部")]))
    assert job.result["errors_count"] == 1
    assert "与第2行的身份证号重复" in str(job.result["errors"])


def test_if_data_changed_after_the_preview_nothing_is_written(upload, zone):
    first, second = member_values(zone["a1"]), member_values(zone["a1"])
    _, job = upload(workbook([row_for(first, "甲一支部"), row_for(second, "甲一支部")]))
    make_member(zone["b1"], citizen_id=second["citizen_id"])  # registered elsewhere meanwhile
    job = upload.confirm(job)
    assert job.status == "failed"
    assert Member.objects.filter(org=zone["a1"]).count() == 0


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("a.xls", b"\xd0\xcf\x11\xe0junk"), "只支持 .xlsx"),
        (SimpleUploadedFile("a.xlsx", b"<script>alert(1)</script>"), "不是有效的 Excel"),
        (SimpleUploadedFile("a.xlsx", b""), "空"),
    ],
)
def test_files_that_are_not_workbooks_are_refused_before_parsing(upload, file, message):
    response, job = upload(file)
    assert job is None
    assert message in response.content.decode()


def test_a_workbook_without_the_required_columns_fails_with_the_missing_names(upload):
    _, job = upload(workbook([["张三"]], headers=["姓名"]))
    assert job.status == "failed"
    assert "身份证号" in job.result["fatal"]


def test_id_stored_as_a_number_is_explained(upload, zone):
    values = member_values(zone["a1"])
    row = row_for(values, "甲一支部")
    row[1] = 330106199001011234
    _, job = upload(workbook([row]))
    assert "文本格式" in str(job.result["errors"])
