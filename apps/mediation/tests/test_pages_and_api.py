"""Mediation over HTTP: the public application and tracking, scopes of pages and API, uploads, the
bulletin's downloads, overdue alerts and the ledger's query count."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from apps.alerts.selectors import alerts_for
from apps.alerts.store import refresh_alerts
from apps.core.models import AccessLog
from apps.core.public import new_challenge
from apps.core.scoping import Role
from apps.core.testing.factories import UserFactory, grant
from apps.mediation import services
from apps.mediation.models import Attachment, Case
from apps.mediation.tests.helpers import application, institution, mediator, received_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(zone):
    center = institution("开发区矛调中心", "center")
    xiasha = institution("下沙街道人民调解委员会", "street", center)
    baiyang = institution("白杨街道人民调解委员会", "street", center)
    xs_user, xs = mediator(xiasha, "xs-admin", admin=True)
    by_user, _by = mediator(baiyang, "by-admin", admin=True)
    center_user, _ = mediator(center, "center")
    return {"center": center, "xiasha": xiasha, "baiyang": baiyang, "xs": xs_user, "xs_mediator": xs, "by": by_user, "center_user": center_user, "zone": zone}  # fmt: skip


def _apply(client: Client, inst, *, answer: str | None = None, **overrides):
    challenge = new_challenge()
    right = challenge.question.split(" 加 ")
    total = int(right[0]) + int(right[1].split(" ")[0])
    data = application(inst, **overrides) | {
        "token": challenge.token,
        "answer": answer if answer is not None else str(total),
    }
    return client.post("/mediation/apply/", data), data


def test_a_resident_applies_online_and_follows_the_case_by_its_receipt(client, world):
    response, _ = _apply(client, world["xiasha"])
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.receipt in response.content.decode()
    track = client.post("/mediation/track/", {"receipt": case.receipt.lower()})
    assert "已收案，待受理" in track.content.decode()
    assert client.post("/mediation/track/", {"receipt": "TJXXXXXXXXXX"}).context["error"].startswith("未找到")


def test_a_wrong_answer_to_the_human_check_stores_nothing(client, world):
    response, _ = _apply(client, world["xiasha"], answer="999")
    assert "验证题答案不正确" in response.content.decode()
    assert not Case.objects.exists()


def test_the_same_form_posted_twice_is_stored_once(client, world):
    first, data = _apply(client, world["xiasha"])
    second = client.post("/mediation/apply/", data)
    assert Case.objects.count() == 1
    receipt = Case.objects.get().receipt
    assert receipt in first.content.decode() and receipt in second.content.decode()


def test_the_hidden_field_only_robots_fill_is_refused(client, world):
    _apply(client, world["xiasha"], website="http://spam.example")
    assert not Case.objects.exists()


def test_applications_beyond_the_rate_limit_are_refused(client, world, settings):
    settings.XF_PUBLIC_RATE_LIMIT = 2
    for _ in range(2):
        _apply(client, world["xiasha"])
    refused, _ = _apply(client, world["xiasha"])
    assert refused.status_code == 429 and "提交过于频繁" in refused.content.decode()
    assert Case.objects.count() == 2


def test_script_typed_into_a_field_is_shown_as_text(client, world, client_for):
    _apply(
        client,
        world["xiasha"],
        facts="<script>alert('x')</script> 楼上漏水导致墙面受损严重",
        applicant_name="<b>张三</b>",
    )
    case = Case.objects.get()
    page = client_for(world["xs"]).get(f"/mediation/{case.pk}/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "&lt;b&gt;张三" in page


def test_a_disguised_or_oversized_upload_is_refused_and_nothing_is_stored(client, world, settings):
    exe = SimpleUploadedFile("证据.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response, _ = _apply(client, world["xiasha"], files=exe)
    assert "文件内容与扩展名不符" in response.content.decode()
    big = SimpleUploadedFile(
        "照片.jpg", b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024 + 1), content_type="image/jpeg"
    )
    response, _ = _apply(client, world["xiasha"], files=big)
    assert "不能超过" in response.content.decode()
    assert not Case.objects.exists() and not Attachment.objects.exists()


def test_an_attachment_is_served_only_to_who_may_see_the_case(client, world, client_for, settings):
    pdf = SimpleUploadedFile("协议.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    _apply(client, world["xiasha"], files=pdf)
    case = Case.objects.get()
    item = Attachment.objects.get()
    assert (
        Path(item.path).resolve().parent.parent.parent == Path(settings.PRIVATE_ROOT).resolve()
    )  # private/mediation/<case>/
    assert Path(item.path).name != "协议.pdf"  # stored under a random name
    url = f"/mediation/{case.pk}/files/{item.pk}/"
    assert client_for(world["xs"]).get(url).status_code == 200
    assert Client().get(url).status_code == 302  # to the login page
    other = Client()
    other.force_login(world["by"])
    assert other.get(url).status_code == 404


def test_each_institution_sees_its_cases_and_the_center_sees_all_it_supervises(world, client_for):
    mine = received_case(world["xiasha"], key="x")
    theirs = received_case(world["baiyang"], key="y")
    xs = client_for(world["xs"])
    page = xs.get("/mediation/")
    assert [c.pk for c in page.context["page"].object_list] == [mine.pk]
    assert xs.get(f"/mediation/{theirs.pk}/").status_code == 404
    assert xs.get(f"/api/v1/mediation/cases/{theirs.pk}").status_code == 404
    assert [c["id"] for c in xs.get("/api/v1/mediation/cases").json()] == [mine.pk]
    center = Client()
    center.force_login(world["center_user"])
    assert {c["id"] for c in center.get("/api/v1/mediation/cases").json()} == {mine.pk, theirs.pk}


def test_a_party_member_without_a_mediation_role_sees_no_mediation(world, member_user, client_for):
    received_case(world["xiasha"], key="x")
    c = client_for(member_user)
    assert c.get("/mediation/").status_code == 404
    assert c.get("/api/v1/mediation/cases").status_code == 404


def test_the_zone_administrator_sees_every_institution(world, admin_user, client_for):
    received_case(world["xiasha"], key="x")
    received_case(world["baiyang"], key="y")
    assert len(client_for(admin_user).get("/api/v1/mediation/cases").json()) == 2


def test_a_mediator_works_a_case_through_the_pages(world, client_for):
    case = received_case(world["xiasha"], key="x")
    c = client_for(world["xs"])
    c.post(f"/mediation/{case.pk}/accept/")
    c.post(f"/mediation/{case.pk}/assign/", {"mediator": world["xs_mediator"].pk})
    c.post(f"/mediation/{case.pk}/session/", {"held_on": timezone.localdate().isoformat(), "mode": "video", "summary": "线上视频调解，双方达成一致"})  # fmt: skip
    c.post(f"/mediation/{case.pk}/succeed/", {"agreement": "王建国一次性赔偿陈晓梅维修费1000元。"})
    case.refresh_from_db()
    assert case.state == "success"
    pdf = c.get(f"/mediation/{case.pk}/agreement.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    download = Client().post("/mediation/track/", {"receipt": case.receipt, "download": "agreement"})
    assert download.content.startswith(b"%PDF-")


def test_a_refused_action_shows_its_reason_and_changes_nothing(world, client_for):
    case = received_case(world["xiasha"], key="x")
    response = client_for(world["xs"]).post(f"/mediation/{case.pk}/reject/", {"reason": ""}, follow=True)
    assert "不予受理须填写原因" in response.content.decode()
    assert Case.objects.get(pk=case.pk).state == "received"


def test_the_bulletin_page_and_its_excel_and_pdf(world, client_for):
    case = received_case(world["xiasha"], key="x")
    services.accept(world["xs"], case.pk)
    c = client_for(world["center_user"])
    today = timezone.localdate().isoformat()
    page = c.get(f"/mediation/bulletin/?start={today}&end={today}")
    assert page.context["total"]["received"] == 1 and page.context["total"]["accepted"] == 1
    assert [inst.name for inst, _f in page.context["rows"]] == [
        "下沙街道人民调解委员会",
        "白杨街道人民调解委员会",
    ]
    xlsx = c.get(f"/mediation/bulletin/?start={today}&end={today}&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[2][:3] == ("调解机构", "收案", "受理") and values[3][:3] == ("下沙街道人民调解委员会", 1, 1)
    assert c.get(f"/mediation/bulletin/?start={today}&end={today}&format=pdf").content.startswith(b"%PDF-")
    api = c.get(f"/api/v1/mediation/bulletin?start={today}&end={today}").json()
    assert api["received"] == 1 and api["mediation_rate"] == 0.0


def test_the_ledger_exports_to_excel_and_the_export_is_logged(world, client_for):
    received_case(world["xiasha"], key="x")
    response = client_for(world["xs"]).get("/mediation/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "案号" and rows[1][6] == "陈晓梅" and len(rows) == 2
    assert AccessLog.objects.filter(target_type="mediation.ledger").exists()


def test_the_ledger_page_runs_the_same_queries_for_many_cases(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(3):
        received_case(world["xiasha"], key=f"a{n}")
    c = client_for(world["xs"])
    c.get("/mediation/")  # the session and the menu's lookups settle on the first view
    with CaptureQueriesContext(connection) as few:
        c.get("/mediation/")
    for n in range(25):
        received_case(world["xiasha"], key=f"b{n}")
    with CaptureQueriesContext(connection) as many:
        assert len(c.get("/mediation/").context["page"].object_list) == 28
    assert len(many) == len(few) <= 25


def test_an_overdue_case_alerts_its_institution_and_supervisor_but_no_one_else(world):
    received_case(world["xiasha"], key="late", on=timezone.localdate() - dt.timedelta(days=20))
    refresh_alerts()
    assert alerts_for(world["xs"]).filter(kind="mediation_overdue").count() == 1
    assert alerts_for(world["center_user"]).filter(kind="mediation_overdue").count() == 1
    assert alerts_for(world["by"]).filter(kind="mediation_overdue").count() == 0


def test_the_public_api_applies_once_per_challenge_and_tracks(world):
    api = Client()
    challenge = api.get("/api/v1/mediation/public/challenge").json()
    a, b = challenge["question"].split(" 加 ")
    answer = str(int(a) + int(b.split(" ")[0]))
    body = application(world["xiasha"]) | {
        "token": challenge["token"],
        "answer": answer,
        "institution": world["xiasha"].pk,
        "amount": None,
    }
    first = api.post("/api/v1/mediation/public/apply", body, content_type="application/json")
    again = api.post("/api/v1/mediation/public/apply", body, content_type="application/json")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["receipt"] == again.json()["receipt"] and Case.objects.count() == 1
    tracked = api.get(f"/api/v1/mediation/public/track/{first.json()['receipt']}").json()
    assert tracked["state"] == "received" and tracked["steps"][0]["label"] == "提交申请"
    wrong = api.post(
        "/api/v1/mediation/public/apply", body | {"answer": "100"}, content_type="application/json"
    )
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["code"] == "public.challenge_wrong"


def test_the_api_moves_a_case_and_refuses_an_unknown_action(world, client_for):
    case = received_case(world["xiasha"], key="x")
    c = client_for(world["xs"])
    moved = c.post(
        f"/api/v1/mediation/cases/{case.pk}/actions", {"action": "accept"}, content_type="application/json"
    )
    assert moved.status_code == 200 and moved.json()["state"] == "accepted"
    bad = c.post(
        f"/api/v1/mediation/cases/{case.pk}/actions", {"action": "explode"}, content_type="application/json"
    )
    assert bad.status_code == 400


def test_staff_register_a_court_referral(world, client_for):
    c = client_for(world["xs"])
    data = application(world["xiasha"]) | {
        "source": "court",
        "referred_by": "开发区人民法院",
        "received_on": timezone.localdate().isoformat(),
    }
    response = c.post("/mediation/new/", data)
    case = Case.objects.get()
    assert response.status_code == 302 and case.source == "court" and case.referred_by == "开发区人民法院"
    missing = c.post("/mediation/new/", data | {"referred_by": ""})
    assert "请填写移交单位" in missing.content.decode() and Case.objects.count() == 1


def test_institution_limits_are_validated_and_only_the_zone_adds_institutions(world, admin_user, client_for):
    zone = client_for(admin_user)
    bad = zone.post("/mediation/institutions/new/", {"name": "新调委会", "kind": "community", "limit_accept": "0", "limit_assign": "2", "limit_mediate": "22"})  # fmt: skip
    assert "受理时限应为 1 到 90 个工作日" in bad.content.decode()
    zone.post("/mediation/institutions/new/", {"name": "新调委会", "kind": "community", "limit_accept": "5", "limit_assign": "2", "limit_mediate": "22", "is_active": "1", "online": "1"})  # fmt: skip
    assert world["xiasha"].__class__.objects.filter(name="新调委会", limit_accept=5).exists()
    assert Client().get("/mediation/institutions/new/").status_code == 302
    other = Client()
    other.force_login(world["xs"])
    assert other.get("/mediation/institutions/new/").status_code == 404


def test_a_grid_leader_without_a_mediation_role_cannot_open_the_bulletin(world, zone, client_for):
    leader = grant(UserFactory(username="grid-leader"), Role.GRID_LEADER, zone["a"])
    assert client_for(leader).get("/mediation/bulletin/").status_code == 404


def test_a_logged_in_resident_finds_their_own_applications_without_the_code(world):
    resident = UserFactory(username="resident")
    other = UserFactory(username="neighbour")
    c = Client()
    c.force_login(resident)
    _apply(c, world["xiasha"])
    mine = Case.objects.get()
    assert mine.applicant_user == resident
    page = c.get("/mediation/track/")
    assert [m.pk for m in page.context["mine"]] == [mine.pk] and mine.receipt in page.content.decode()
    stranger = Client()
    stranger.force_login(other)
    assert stranger.get("/mediation/track/").context["mine"] == []
    assert stranger.get("/mediation/").status_code == 404  # the ledger stays the institutions'


def test_a_name_that_looks_like_a_formula_is_exported_as_text(world, client_for):
    received_case(
        world["xiasha"], key="x", applicant_name='=HYPERLINK("http://x","a")', respondent_name="@SUM(1)"
    )
    response = client_for(world["xs"]).get("/mediation/?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    applicant, respondent = sheet.cell(row=2, column=7), sheet.cell(row=2, column=8)
    assert applicant.data_type == "s" and applicant.value.startswith("'=")
    assert respondent.data_type == "s" and respondent.value == "'@SUM(1)"


def test_a_refused_file_leaves_no_other_file_of_the_same_application_on_disk(client, world, settings):
    good = SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff" + b"0" * 100, content_type="image/jpeg")
    bad = SimpleUploadedFile("证据.pdf", b"MZ not a pdf", content_type="application/pdf")
    response, _ = _apply(client, world["xiasha"], files=[good, bad])
    assert "文件内容与扩展名不符" in response.content.decode()
    private = Path(settings.PRIVATE_ROOT)
    assert not Case.objects.exists() and not [p for p in private.rglob("*") if p.is_file()]


def test_an_institution_admin_edits_a_mediator_and_takes_them_off_duty(world, client_for):
    from apps.mediation.models import Mediator

    _user, colleague = mediator(world["xiasha"], "xs-colleague", name="吴调解")
    c = client_for(world["xs"])
    c.post(f"/mediation/institutions/{world['xiasha'].pk}/mediators/", {"mediator": colleague.pk, "name": "吴秀英", "kind": "lawyer", "is_admin": "1"})  # fmt: skip
    colleague = Mediator.objects.get(pk=colleague.pk)
    assert (colleague.name, colleague.kind, colleague.is_admin, colleague.is_active) == (
        "吴秀英",
        "lawyer",
        True,
        False,
    )
    case = received_case(world["xiasha"], key="x")
    services.accept(world["xs"], case.pk)
    refused = c.post(f"/mediation/{case.pk}/assign/", {"mediator": colleague.pk}, follow=True)
    assert "请选择本机构在岗的调解员" in refused.content.decode()


def test_a_mediator_sees_the_body_that_supervises_their_institution(world, client_for):
    page = client_for(world["xs"]).get(f"/mediation/institutions/{world['xiasha'].pk}/")
    assert page.context["supervisors"][0] == world["center"]
    assert "开发区矛调中心" in page.content.decode()


def test_the_bulletin_workbook_keeps_rates_as_numbers(world, client_for):
    case = received_case(world["xiasha"], key="x")
    services.accept(world["xs"], case.pk)
    services.assign(world["xs"], case.pk, world["xs_mediator"].pk)
    services.fail(world["xs"], case.pk, "双方分歧较大")
    today = timezone.localdate().isoformat()
    xlsx = client_for(world["center_user"]).get(f"/mediation/bulletin/?start={today}&end={today}&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rate = sheet.cell(row=4, column=7)
    assert rate.value == 1.0 and rate.number_format == "0.0%"


def test_the_overdue_alert_clears_as_soon_as_the_case_moves_on(world):
    late = received_case(world["xiasha"], key="late", on=timezone.localdate() - dt.timedelta(days=20))
    refresh_alerts()
    assert alerts_for(world["xs"]).filter(kind="mediation_overdue", resolved_at__isnull=True).count() == 1
    services.accept(world["xs"], late.pk)
    assert alerts_for(world["xs"]).filter(kind="mediation_overdue", resolved_at__isnull=True).count() == 0


def test_the_api_manages_institutions_and_mediators_within_scope(world, admin_user, client_for):
    zone = client_for(admin_user)
    body = {
        "name": "开发区婚姻家庭纠纷调解委员会",
        "kind": "trade",
        "supervisor": world["center"].pk,
        "limit_accept": 5,
    }
    created = zone.post("/api/v1/mediation/institutions", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["limit_accept"] == 5
    bad = zone.post(
        "/api/v1/mediation/institutions",
        body | {"name": "另一个", "limit_accept": 0},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "limit_accept"
    xs = Client()
    xs.force_login(world["xs"])
    added = xs.post(f"/api/v1/mediation/institutions/{world['xiasha'].pk}/mediators", {"name": "郑调解", "kind": "invited"}, content_type="application/json")  # fmt: skip
    assert added.status_code == 201
    off = xs.put(f"/api/v1/mediation/institutions/{world['xiasha'].pk}/mediators/{added.json()['id']}", {"name": "郑调解", "is_active": False}, content_type="application/json")  # fmt: skip
    assert off.json()["is_active"] is False
    foreign = xs.post(f"/api/v1/mediation/institutions/{world['baiyang'].pk}/mediators", {"name": "外人"}, content_type="application/json")  # fmt: skip
    assert foreign.status_code == 404
    assert (
        xs.post(
            "/api/v1/mediation/institutions", body | {"name": "越权"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_the_api_downloads_the_ledger_bulletin_agreement_and_attachments(world, client_for):
    case = received_case(world["xiasha"], key="x")
    c = client_for(world["xs"])
    today = timezone.localdate().isoformat()
    assert c.get("/api/v1/mediation/ledger.xlsx")["Content-Type"].startswith("application/vnd.openxmlformats")
    assert c.get(f"/api/v1/mediation/bulletin.pdf?start={today}&end={today}").content.startswith(b"%PDF-")
    assert c.get(f"/api/v1/mediation/bulletin.csv?start={today}&end={today}").status_code == 400
    assert c.get(f"/api/v1/mediation/cases/{case.pk}/agreement.pdf").status_code == 404  # not yet successful
    pdf = SimpleUploadedFile("笔录.pdf", b"%PDF-1.4 record", content_type="application/pdf")
    uploaded = c.post(f"/api/v1/mediation/cases/{case.pk}/attachments", {"files": [pdf]})
    assert uploaded.status_code == 201 and uploaded.json()[0]["name"] == "笔录.pdf"
    got = c.get(f"/api/v1/mediation/cases/{case.pk}/attachments/{uploaded.json()[0]['id']}")
    assert b"".join(got.streaming_content).startswith(b"%PDF-")
    other = Client()
    other.force_login(world["by"])
    assert other.get(f"/api/v1/mediation/cases/{case.pk}/attachments").status_code == 404


def test_a_mediators_alert_inbox_offers_only_the_kinds_they_receive(world, client_for):
    received_case(world["xiasha"], key="late", on=timezone.localdate() - dt.timedelta(days=20))
    refresh_alerts()
    page = client_for(world["xs"]).get("/alerts/")
    assert [k for k, _label in page.context["kinds"]] == ["mediation_overdue"]
    assert "三会一课" not in page.content.decode()
