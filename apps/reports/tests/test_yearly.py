"""The yearly report: built in the background, scoped, kept for download as Excel and PDF."""

import datetime as dt
import shutil
import subprocess
from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook

from apps.core.models import Job
from apps.core.testing.factories import make_members
from apps.coverage import services as coverage
from apps.coverage.rules import make_credit_code
from apps.reports.yearly import build_sections

YEAR = timezone.localdate().year


def test_the_sections_count_the_scope_only(zone, admin_user, committee_user):
    make_members(
        zone["a1"], 4, admission_date=dt.date(YEAR, 1, 2), full_membership_date=None, status="probationary"
    )
    make_members(zone["b1"], 6)
    park = coverage.park_save(
        actor=admin_user, values={"name": "园区", "park_type": "industrial", "org": zone["a"].pk}
    )
    coverage.unit_create(
        actor=admin_user,
        values={
            "kind": "enterprise",
            "name": "某企业",
            "credit_code": make_credit_code(77),
            "sector": "C",
            "size_class": "small",
            "park": park.pk,
            "established_on": "2010-01-01",
        },
    )
    sections = {s.title: s for s in build_sections(committee_user, YEAR, None)}
    flows = dict(sections["一、党员总量与变动"].rows)
    assert flows["本年发展党员（接收预备党员）"] == 4
    structure = sections["二、党员结构（统计时）"].rows
    assert structure[0] == ["党员总数", "", 4]
    coverage_rows = sections["四、两新组织党建覆盖（年末）"].rows
    assert coverage_rows[-1][:2] == ["合计", 1] and coverage_rows[-1][6] == "0.0%"
    whole = {s.title: s for s in build_sections(admin_user, YEAR, None)}
    assert whole["二、党员结构（统计时）"].rows[0][2] == 10


def test_a_report_job_gives_an_excel_and_a_pdf_to_its_creator_only(
    zone, admin_user, committee_user, client_for, django_capture_on_commit_callbacks
):
    make_members(zone["a1"], 3)
    client = client_for(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/", {"year": str(YEAR), "org": ""})
    job = Job.objects.get(kind="reports.yearly")
    assert response.status_code == 302 and job.status == "done"
    xlsx = b"".join(client.get(f"/core/jobs/{job.pk}/download/?file=xlsx").streaming_content)
    sheet = load_workbook(BytesIO(xlsx)).active
    assert f"{YEAR}年党内统计报表" in sheet["A1"].value
    pdf = b"".join(client.get(f"/core/jobs/{job.pk}/download/?file=pdf").streaming_content)
    assert pdf.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(
            [pdftotext, "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "两新组织党建覆盖" in text
    assert client.get(f"/core/jobs/{job.pk}/download/?file=doc").status_code == 404
    assert "党内统计报表" in client.get("/reports/").content.decode()
    other = client_for(committee_user)
    assert other.get(f"/core/jobs/{job.pk}/download/?file=pdf").status_code == 404


def test_a_bad_year_or_an_organization_outside_the_scope_starts_nothing(zone, committee_user, client_for):
    client = client_for(committee_user)
    client.post("/reports/", {"year": "1899"})
    assert client.post("/reports/", {"year": str(YEAR), "org": zone["b"].pk}).status_code == 404
    assert not Job.objects.exists()


def test_a_member_cannot_open_reports(member_user, client_for):
    assert client_for(member_user).get("/reports/").status_code == 404


def test_the_api_gives_the_dashboard_figures_and_builds_a_report(
    zone, admin_user, committee_user, client, django_capture_on_commit_callbacks
):
    make_members(zone["a1"], 2)
    make_members(zone["b1"], 5)
    client.force_login(committee_user)
    stats = {s["code"]: s for s in client.get("/api/v1/statistics").json()}
    assert stats["members.total"]["value"] == 2 and stats["members.total"]["link"] == "/members/"
    assert client.get(f"/api/v1/statistics?org={zone['b'].pk}").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/api/v1/reports/yearly", {"year": YEAR}, content_type="application/json")
    assert started.status_code == 202
    job = client.get(f"/api/v1/jobs/{started.json()['id']}").json()
    assert job["status"] == "done" and set(job["files"]) == {"xlsx", "pdf"}
    assert client.get(job["files"]["pdf"]).status_code == 200
    client.force_login(admin_user)
    assert client.get(f"/api/v1/jobs/{started.json()['id']}").status_code == 404
