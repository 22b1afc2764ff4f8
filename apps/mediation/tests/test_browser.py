"""The mediation journey in a real browser: a resident applies on a phone and follows the case by its
receipt code; the mediator accepts it, records a session and closes it with an agreement; the
bulletin counts it."""

from __future__ import annotations

import re

import pytest

from apps.core.tests.test_browser_journeys import browser, open_page, shot  # noqa: F401
from apps.mediation.models import Case
from apps.mediation.tests.helpers import institution, mediator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def platform(transactional_db):
    center = institution("开发区社会矛盾纠纷调处化解中心", "center")
    xiasha = institution("下沙街道人民调解委员会", "street", center, scope_note="辖区内民间纠纷")
    institution("开发区劳动人事争议调解中心", "trade", center, scope_note="劳动用工纠纷")
    user, record = mediator(xiasha, "xs-mediator", admin=True, name="周秀兰")
    return {"mediator": user, "record": record, "institution": xiasha}


def _answer(question: str) -> str:
    a, b = re.findall(r"\d+", question)[:2]
    return str(int(a) + int(b))


def test_a_resident_applies_on_a_phone_and_a_mediator_closes_the_case_with_an_agreement(open_page, platform):  # noqa: F811
    phone = open_page(phone=True)
    phone.goto(f"{phone.base}/mediation/apply/")
    phone.select_option("#institution", str(platform["institution"].pk))
    phone.select_option("#dispute_type", "neighbour")
    phone.fill("#amount", "1200")
    phone.fill("#applicant_name", "陈晓梅")
    phone.fill("#applicant_phone", "13812345678")
    phone.fill("#applicant_address", "下沙街道上沙社区3幢2单元")
    phone.fill("#respondent_name", "王建国")
    phone.fill("#facts", "楼上住户装修时水管破裂，导致我家天花板和墙面受损，多次协商未果。")
    phone.fill("#claims", "要求赔偿维修费用1200元")
    phone.fill("#answer", _answer(phone.inner_text("label[for=answer]")))
    # The form fits the phone's width: nothing scrolls sideways.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "mediation-apply")
    phone.click("[data-testid=apply-submit]")
    receipt = phone.inner_text("[data-testid=receipt-code]").strip()
    assert receipt == Case.objects.get().receipt
    shot(phone, "mediation-receipt")

    desk = open_page(platform["mediator"])
    desk.goto(f"{desk.base}/mediation/")
    desk.click(f"text={receipt}")
    desk.click("[data-testid=accept]")
    desk.wait_for_selector("text=已受理，请分派调解员")
    desk.select_option("[data-testid=mediator-select]", str(platform["record"].pk))
    desk.click("[data-testid=assign]")
    desk.fill(
        "[data-testid=session-summary]",
        "调解员分别听取双方陈述，现场查看受损情况，双方同意按维修报价的八成赔偿。",
    )
    desk.click("[data-testid=record-session]")
    desk.wait_for_selector("text=已记录调解情况")
    desk.fill(
        "[data-testid=agreement]",
        "一、王建国于十五日内一次性赔偿陈晓梅维修费用960元；\n二、双方就本纠纷再无其他争议。",
    )
    desk.on("dialog", lambda dialog: dialog.accept())
    desk.click("[data-testid=succeed]")
    desk.wait_for_selector("[data-testid=agreement-pdf]")
    assert desk.inner_text("[data-testid=case-state]") == "调解成功"
    shot(desk, "mediation-case")
    pdf = desk.request.get(f"{desk.base}{desk.get_attribute('[data-testid=agreement-pdf]', 'href')}")
    assert pdf.body().startswith(b"%PDF-")

    phone.goto(f"{phone.base}/mediation/track/")
    phone.fill("#receipt", receipt.lower())
    phone.click("[data-testid=track-submit]")
    assert phone.inner_text("[data-testid=track-state]") == "调解成功"
    assert "安排调解员" in phone.inner_text("[data-testid=track-result]")
    shot(phone, "mediation-track")

    desk.goto(f"{desk.base}/mediation/")
    desk.click("[data-testid=tab-bulletin]")
    assert desk.inner_text("[data-testid=b-received]") == "1"
    assert desk.inner_text("[data-testid=b-mediated]") == "1"
    assert desk.inner_text("[data-testid=b-success-rate]") == "100.0%"
    shot(desk, "mediation-bulletin")
