"""The residents' pages without a login: the form (rate limit, human check, honeypot, double post,
uploads, script in fields), the receipt, tracking by receipt code and rating once — pages and API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.resident_requests import services
from apps.resident_requests.models import RequestAttachment, ResidentRequest

from .helpers import VALUES, answer_of, public_request, solved

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SCRIPT = "<script>alert('x')</script>"


def _form(client):  # type: ignore[no-untyped-def]
    page = client.get("/requests/submit/")
    assert page.status_code == 200
    html = page.content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    question = re.search(r"验证：([^<]+?)\s*<span", html).group(1)
    return token, answer_of(question)


def _post(client, **overrides):  # type: ignore[no-untyped-def]
    token, answer = _form(client)
    data = {**VALUES, "token": token, "answer": answer, "website": "", **overrides}
    return client.post("/requests/submit/", data)


def test_a_resident_submits_the_form_and_gets_a_receipt_code(client):
    response = _post(client, content="多图说明", files=[SimpleUploadedFile("现场.png", PNG, "image/png")])
    assert response.status_code == 200
    code = re.search(r'data-testid="receipt-code">(\w+)<', response.content.decode()).group(1)
    stored = ResidentRequest.objects.get(receipt_code=code)
    assert (
        stored.channel == "public"
        and stored.state == "submitted"
        and stored.org_path == ""
        and stored.created_by is None
    )
    attachment = stored.attachments.get()
    assert attachment.name == "现场.png" and Path(attachment.path).read_bytes() == PNG
    assert "static" not in attachment.path and "media" not in attachment.path.split("/private/")[0]


def test_the_public_pages_have_no_staff_menu_and_fit_a_phone(client, admin_user):
    client.force_login(admin_user)
    html = client.get("/requests/submit/").content.decode()
    assert 'name="viewport"' in html and "xf-sidebar" not in html and "民情直通车" in html


def test_a_logged_in_resident_finds_their_own_request_and_no_other(client, member_user):
    public_request(title="别人的诉求")
    client.force_login(member_user)
    assert _post(client, title="我自己的诉求").status_code == 200
    mine = ResidentRequest.objects.get(title="我自己的诉求")
    assert mine.created_by == member_user
    html = client.get("/requests/?tab=all").content.decode()
    assert "我自己的诉求" in html and "别人的诉求" not in html
    assert client.get(f"/requests/{mine.pk}/").status_code == 200
    other = ResidentRequest.objects.get(title="别人的诉求")
    assert client.get(f"/requests/{other.pk}/").status_code == 404
    assert 'data-testid="route-request"' not in client.get(f"/requests/{mine.pk}/").content.decode()


def test_a_wrong_answer_is_refused_and_nothing_is_stored(client):
    token, answer = _form(client)
    response = client.post("/requests/submit/", {**VALUES, "token": token, "answer": str(int(answer) + 1)})
    assert response.status_code == 400 and "验证题答案不正确" in response.content.decode()
    assert client.post("/requests/submit/", {**VALUES, "token": "forged", "answer": "3"}).status_code == 400
    assert ResidentRequest.objects.count() == 0


def test_the_same_form_posted_twice_is_stored_once_with_the_same_receipt(client):
    token, answer = _form(client)
    data = {**VALUES, "token": token, "answer": answer}
    first = client.post("/requests/submit/", data).content.decode()
    second = client.post("/requests/submit/", data).content.decode()
    code = re.search(r'data-testid="receipt-code">(\w+)<', first).group(1)
    assert code in second
    assert ResidentRequest.objects.count() == 1


def test_a_concurrent_double_post_finds_the_first_row(db):
    token, answer = solved()
    first, created = services.submit_public(values=VALUES, token=token, answer=answer)
    again, created_again = services.submit_public(
        values={**VALUES, "title": "改过的标题"}, token=token, answer=answer
    )
    assert created and not created_again and again.pk == first.pk
    assert ResidentRequest.objects.count() == 1


def test_the_honeypot_refuses_robots_and_stores_nothing(client):
    response = _post(client, website="http://spam.example")
    assert response.status_code == 400 and "提交未通过校验" in response.content.decode()
    assert ResidentRequest.objects.count() == 0


def test_too_many_submissions_from_one_address_are_told_to_wait(client, settings):
    settings.XF_PUBLIC_RATE_LIMIT = 2
    assert _post(client).status_code == 200
    assert _post(client, title="第二件").status_code == 200
    third = _post(client, title="第三件")
    assert third.status_code == 429 and "提交过于频繁" in third.content.decode()
    assert ResidentRequest.objects.count() == 2


def test_script_in_every_field_is_shown_as_text(client, admin_user, depts):
    response = _post(
        client, submitter_name=SCRIPT[:50], address=SCRIPT, title=SCRIPT, content=SCRIPT + "内容",
    )  # fmt: skip
    html = response.content.decode()
    assert SCRIPT not in html and "&lt;script&gt;" in html
    r = ResidentRequest.objects.get()
    services.route(actor=admin_user, request_id=r.pk, department_id=depts["dept"]["CGK"].pk)
    services.accept(actor=depts["staff"]["CGK"], request_id=r.pk)
    services.reply(actor=depts["staff"]["CGK"], request_id=r.pk, text=SCRIPT)
    tracked = client.post("/requests/track/", {"code": r.receipt_code}).content.decode()
    assert SCRIPT not in tracked and "&lt;script&gt;" in tracked
    client.force_login(admin_user)
    for url in (f"/requests/{r.pk}/", "/requests/?tab=all"):
        page = client.get(url).content.decode()
        assert SCRIPT not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("name", "content", "size_note"),
    [
        ("evil.html", b"<html><script>alert(1)</script></html>", "type"),
        ("photo.png", b"MZ\x90\x00 not really a png", "content"),
        ("big.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024 + 1), "size"),
    ],
)
def test_a_malicious_or_oversized_upload_is_refused_and_nothing_is_stored(
    client, settings, name, content, size_note
):
    good = SimpleUploadedFile("ok.png", PNG, "image/png")
    bad = SimpleUploadedFile(name, content, "application/octet-stream")
    response = _post(client, files=[good, bad])
    assert response.status_code == 400
    assert ResidentRequest.objects.count() == 0 and RequestAttachment.objects.count() == 0
    private = Path(settings.PRIVATE_ROOT) / "requests"
    assert not private.exists() or not any(private.iterdir())  # the good file written first was removed too


def test_more_than_three_files_are_refused(client):
    files = [SimpleUploadedFile(f"p{i}.png", PNG, "image/png") for i in range(4)]
    response = _post(client, files=files)
    assert response.status_code == 400 and "最多上传3个附件" in response.content.decode()
    assert ResidentRequest.objects.count() == 0


def test_overlong_fields_and_a_bad_phone_are_refused(client):
    assert "不能超过80个字" in _post(client, title="长" * 81).content.decode()
    assert "电话号码格式不正确" in _post(client, submitter_phone="12345").content.decode()
    assert ResidentRequest.objects.count() == 0


def test_tracking_shows_public_wording_without_staff_names_and_rating_works_once(client, admin_user, depts):
    r = public_request()
    services.route(
        actor=admin_user, request_id=r.pk, department_id=depts["dept"]["CGK"].pk, note="内部备注：请科长关注"
    )
    services.accept(actor=depts["staff"]["CGK"], request_id=r.pk)
    services.reply(actor=depts["staff"]["CGK"], request_id=r.pk, text="已清运")
    html = client.post("/requests/track/", {"code": " " + r.receipt_code.lower() + " "}).content.decode()
    assert "已答复，待您评价" in html and "已转交职能部门" in html and "已清运" in html
    assert (
        "城管科工作人员" not in html and "内部备注" not in html and depts["staff"]["CGK"].username not in html
    )
    assert 'data-testid="rate-form"' in html
    rated = client.post("/requests/track/rate/", {"code": r.receipt_code, "rating": "5", "comment": "满意"})
    assert (
        "感谢您的评价" in rated.content.decode() and 'data-testid="rate-form"' not in rated.content.decode()
    )
    again = client.post("/requests/track/rate/", {"code": r.receipt_code, "rating": "1"})
    assert again.status_code == 409
    r.refresh_from_db()
    assert r.rating == 5 and r.state == "closed"


def test_a_rating_before_the_reply_or_out_of_range_is_refused(client):
    r = public_request()
    assert client.post("/requests/track/rate/", {"code": r.receipt_code, "rating": "5"}).status_code == 409
    r.state = "replied"
    r.save()
    assert client.post("/requests/track/rate/", {"code": r.receipt_code, "rating": "9"}).status_code == 400
    assert ResidentRequest.objects.get(pk=r.pk).rating is None


def test_unknown_and_malformed_codes_get_the_same_neutral_answer(client):
    public_request()
    for code in ("SQ2345678923", "x", "' OR 1=1 --", ""):
        html = client.post("/requests/track/", {"code": code}).content.decode()
        assert "未找到该受理编号的诉求" in html or code == ""


def test_lookups_are_rate_limited(client, settings):
    settings.XF_PUBLIC_RATE_LIMIT = 3
    for _ in range(3):
        assert client.post("/requests/track/", {"code": "SQ2345678923"}).status_code == 200
    limited = client.post("/requests/track/", {"code": "SQ2345678923"})
    assert limited.status_code == 429 and "提交过于频繁" in limited.content.decode()
    assert client.get("/api/v1/requests/public/SQ2345678923").status_code == 429


def test_the_rating_form_is_no_way_around_the_lookup_limit(client, settings):
    settings.XF_PUBLIC_RATE_LIMIT = 2
    r = public_request(title="路灯不亮", content="小区东门路灯坏了一个星期")
    for _ in range(2):
        client.post("/requests/track/", {"code": "SQ2345678923"})
    refused = client.post("/requests/track/rate/", {"code": r.receipt_code, "rating": "5"})
    assert refused.status_code == 429 and "小区东门路灯" not in refused.content.decode()


def test_the_public_api_submits_once_per_challenge_tracks_and_rates(client, admin_user, depts):
    challenge = client.get("/api/v1/requests/public/challenge").json()
    body = {**VALUES, "token": challenge["token"], "answer": answer_of(challenge["question"])}
    first = client.post("/api/v1/requests/public", body, content_type="application/json")
    assert first.status_code == 201 and first.json()["created"] is True
    again = client.post("/api/v1/requests/public", body, content_type="application/json")
    assert again.status_code == 200 and again.json() == {
        "receipt_code": first.json()["receipt_code"],
        "created": False,
    }
    assert ResidentRequest.objects.count() == 1
    wrong = client.post(
        "/api/v1/requests/public",
        {**body, "token": client.get("/api/v1/requests/public/challenge").json()["token"], "answer": "99"},
        content_type="application/json",
    )
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "answer"
    code = first.json()["receipt_code"]
    tracked = client.get(f"/api/v1/requests/public/{code}").json()
    assert (
        tracked["state"] == "submitted"
        and tracked["can_rate"] is False
        and tracked["history"][0]["label"] == "诉求已受理登记"
    )
    assert client.get("/api/v1/requests/public/SQ2345678923").status_code == 404
    r = ResidentRequest.objects.get(receipt_code=code)
    services.route(actor=admin_user, request_id=r.pk, department_id=depts["dept"]["CGK"].pk)
    services.accept(actor=depts["staff"]["CGK"], request_id=r.pk)
    services.reply(actor=depts["staff"]["CGK"], request_id=r.pk, text="已处理")
    rated = client.post(
        f"/api/v1/requests/public/{code}/rating", {"rating": 3}, content_type="application/json"
    )
    assert rated.status_code == 200 and rated.json()["state"] == "closed"
    assert (
        client.post(
            f"/api/v1/requests/public/{code}/rating", {"rating": 3}, content_type="application/json"
        ).status_code
        == 409
    )


def test_the_public_api_is_rate_limited(client, settings):
    settings.XF_PUBLIC_RATE_LIMIT = 1

    def post():  # type: ignore[no-untyped-def]
        challenge = client.get("/api/v1/requests/public/challenge").json()
        return client.post(
            "/api/v1/requests/public",
            {**VALUES, "token": challenge["token"], "answer": answer_of(challenge["question"])},
            content_type="application/json",
        )

    assert post().status_code == 201
    limited = post()
    assert limited.status_code == 429 and limited.json()["errors"][0]["message"] == "提交过于频繁，请稍后再试"


def test_a_rating_without_a_star_is_refused_with_a_clear_message_and_the_form_asks_for_one(client):
    r = public_request()
    ResidentRequest.objects.filter(pk=r.pk).update(state="replied", reply="已清运")
    form = client.post("/requests/track/", {"code": r.receipt_code}).content.decode()
    assert 'data-testid="rating-hint"' in form and "请先点选星级" in form
    assert form.count('name="rating"') == 5 and form.count(" required>") >= 5
    refused = client.post("/requests/track/rate/", {"code": r.receipt_code, "comment": "还行"})
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "请先点选满意度星级（1～5颗星）再提交评价" in html and 'data-testid="rate-form"' in html
    stored = ResidentRequest.objects.get(pk=r.pk)
    assert stored.rating is None and stored.state == "replied"
