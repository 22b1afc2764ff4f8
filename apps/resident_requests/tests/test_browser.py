"""The request journey in a real browser: a resident on a phone-sized window submits a request and
tracks it by its receipt code; the zone routes it, the department accepts and replies; the resident
rates the reply."""

from __future__ import annotations

import re

import pytest

from apps.core.scoping import Role
from apps.core.testing.factories import UserFactory, grant, make_org
from apps.core.tests.test_browser_journeys import browser, open_page, shot  # noqa: F401
from apps.resident_requests.models import Department, ResidentRequest
from apps.resident_requests.services import ensure_defaults

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def street(transactional_db):
    from apps.grid.models import Group, Zone

    ensure_defaults()
    root = make_org("杭州经济技术开发区党工委", "working_committee")
    street_org = make_org("下沙街道党工委", "street_committee", root)
    community = make_org("上沙社区党委", "committee", street_org)
    zone = Zone.objects.create(org=community, org_path=community.path, code="XS-SS01", name="上沙社区第一片")
    Group.objects.create(zone=zone, code="1", name="上沙花苑1组")
    admin = grant(UserFactory(username="admin-req", display_name="街道诉求管理员"), Role.ZONE_ADMIN, root)
    clerk = UserFactory(username="cgk-clerk", display_name="城管科工作人员")
    Department.objects.get(code="CGK").staff.add(clerk)
    return {"admin": admin, "clerk": clerk, "zone": zone}


def test_a_resident_submits_on_a_phone_staff_handle_it_and_the_resident_rates_it(open_page, street):  # noqa: F811
    phone = open_page(phone=True)
    phone.goto(f"{phone.base}/requests/submit/")
    phone.fill("#f-name", "陈阿姨")
    phone.fill("#f-phone", "13812345678")
    phone.select_option("#f-zone", str(street["zone"].pk))
    phone.fill("#f-address", "上沙花苑3幢楼下")
    phone.select_option("#f-category", "sanitation")
    phone.fill("#f-title", "楼下垃圾桶满了没人清运")
    phone.fill("#f-content", "连续三天没有清运，气味很大，希望尽快处理。")
    question = phone.inner_text("label[for=f-answer]")
    a, b = (int(n) for n in re.findall(r"\d+", question)[:2])
    phone.fill("#f-answer", str(a + b))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    shot(phone, "requests-submit")
    phone.click("[data-testid=submit-request]")
    code = phone.inner_text("[data-testid=receipt-code]").strip()
    assert ResidentRequest.objects.get(receipt_code=code).zone == street["zone"]

    phone.goto(f"{phone.base}/requests/track/")
    phone.fill("[data-testid=track-code]", code.lower())
    phone.click("[data-testid=track-submit]")
    assert "已登记，待分派" in phone.inner_text("[data-testid=track-state]")

    staff = open_page(street["admin"])
    staff.goto(f"{staff.base}/requests/")
    staff.wait_for_selector(f"[data-testid=request-table] >> text={code}")
    shot(staff, "requests-list")
    staff.click(f"[data-testid=request-table] >> text={code}")
    assert "城管科（默认）" in staff.inner_text("[data-testid=route-department]")
    staff.click("[data-testid=route-request]")
    staff.wait_for_selector("[data-testid=request-state] >> text=已分派待受理")

    clerk = open_page(street["clerk"])
    clerk.goto(f"{clerk.base}/requests/department/")
    clerk.click(f"[data-testid=request-table] >> text={code}")
    clerk.click("[data-testid=accept-request]")
    clerk.wait_for_selector("[data-testid=request-state] >> text=办理中")
    clerk.fill("[data-testid=reply-text]", "已安排环卫车当日清运，并将该点清运频次调整为每日两次。")
    clerk.click("[data-testid=reply-request]")
    clerk.wait_for_selector("[data-testid=request-state] >> text=已答复")
    shot(clerk, "requests-detail")

    phone.goto(f"{phone.base}/requests/track/")
    phone.fill("[data-testid=track-code]", code)
    phone.click("[data-testid=track-submit]")
    assert "每日两次" in phone.inner_text("[data-testid=track-reply]")
    assert "城管科工作人员" not in phone.inner_text("body")
    phone.click("[data-testid=star-5]")
    phone.fill("textarea[name=comment]", "处理很及时，谢谢！")
    phone.click("[data-testid=rate-submit]")
    phone.wait_for_selector("[data-testid=rate-thanks]")
    assert phone.locator("[data-testid=rate-form]").count() == 0
    shot(phone, "requests-track")
    stored = ResidentRequest.objects.get(receipt_code=code)
    assert stored.rating == 5 and stored.state == "closed"


def test_the_staff_list_reads_on_a_phone_without_sideways_scrolling(open_page, street):  # noqa: F811
    from apps.resident_requests import services

    from .helpers import public_request

    titles = [
        "小区东门垃圾桶满溢两天无人清运气味很大影响居民出行",
        "路灯不亮",
        "电梯经常故障停运老人上下楼非常困难",
    ]
    for title in titles:
        r = public_request(title=title, zone=str(street["zone"].pk))
        services.route(
            actor=street["admin"], request_id=r.pk, department_id=Department.objects.get(code="CGK").pk
        )
    page = open_page(street["admin"], phone=True)
    page.goto(f"{page.base}/requests/?tab=all")
    cards = page.locator("[data-testid=request-cards] li")
    assert cards.count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first = cards.first
    for part in ("a", "[data-testid=request-due]", ".badge"):
        box = first.locator(part).first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, part
    title_box = first.locator("a").first.bounding_box()
    assert title_box["width"] > 150  # the title has room: no one-character-per-line column
    assert not page.locator("[data-testid=request-table]").is_visible()
    shot(page, "requests-list-phone")


def test_rating_without_a_star_shows_a_message_and_sends_nothing(open_page, street):  # noqa: F811
    from .helpers import public_request

    r = public_request(zone=str(street["zone"].pk))
    ResidentRequest.objects.filter(pk=r.pk).update(state="replied", reply="已安排清运。")
    phone = open_page(phone=True)
    phone.goto(f"{phone.base}/requests/track/")
    phone.fill("[data-testid=track-code]", r.receipt_code)
    phone.click("[data-testid=track-submit]")
    hint = phone.locator("[data-testid=rating-hint]")
    assert hint.is_visible() and "请先点选星级" in hint.inner_text()
    phone.click("[data-testid=rate-submit]")
    assert phone.locator("[data-testid=rate-form]").is_visible()  # the browser kept the form
    assert hint.evaluate("el => getComputedStyle(el).color") == "rgb(179, 18, 31)"  # now in red
    assert ResidentRequest.objects.get(pk=r.pk).state == "replied"
    phone.click("[data-testid=star-4]")
    assert not hint.is_visible()
    phone.click("[data-testid=rate-submit]")
    phone.wait_for_selector("[data-testid=rate-thanks]")
    assert ResidentRequest.objects.get(pk=r.pk).rating == 4


def test_the_submit_qr_code_prints_for_notices(open_page, street):  # noqa: F811
    page = open_page(street["admin"])
    page.goto(f"{page.base}/requests/")
    page.click("[data-testid=submit-qr-link]")
    assert page.locator("[data-testid=submit-qr] svg").is_visible()
    assert page.inner_text("[data-testid=submit-url]").endswith("/requests/submit/")
    shot(page, "requests-poster")
