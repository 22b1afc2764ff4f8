"""The coverage journeys in a real browser: the dashboard's coverage bar leads to its list, and an
enterprise workbook with one bad credit code is refused with the row named."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import Workbook

from apps.core.scoping import Role
from apps.core.testing.factories import UserFactory, grant, make_members, make_org
from apps.core.tests.test_browser_journeys import browser, open_page, seeded_requirements, shot  # noqa: F401
from apps.coverage import services
from apps.coverage.excel import HEADERS
from apps.coverage.models import Unit
from apps.coverage.rules import make_credit_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def zone_with_parks(transactional_db):
    root = make_org("杭州经济技术开发区党工委", "working_committee")
    street = make_org("下沙街道党工委", "street_committee", root)
    town = make_org("大创小镇综合党委", "general_committee", root)
    branch = make_org("默沙东党支部", "branch", town)
    make_members(branch, 3)
    admin = grant(UserFactory(username="admin-cov", display_name="组织部管理员"), Role.ZONE_ADMIN, root)
    industrial = services.park_save(
        actor=admin, values={"name": "下沙高新技术产业园", "park_type": "industrial", "org": street.pk}
    )
    small_town = services.park_save(
        actor=admin, values={"name": "大创小镇", "park_type": "town", "org": town.pk}
    )
    for n, (park, status) in enumerate(
        [(industrial, "none"), (industrial, "none"), (small_town, "own"), (small_town, "none")]
    ):
        services.unit_create(
            actor=admin,
            values={"kind": "enterprise", "name": f"{park.name}企业{n}", "credit_code": make_credit_code(500 + n), "sector": "C",
                    "size_class": "small", "park": park.pk, "established_on": dt.date(2016, 1, 1), "status": status,
                    "covering_org": branch.pk if status == "own" else ""},
        )  # fmt: skip
    return {"admin": admin, "industrial": industrial, "town": small_town}


def test_clicking_a_coverage_bar_on_the_dashboard_opens_its_list(open_page, zone_with_parks):  # noqa: F811
    page = open_page(zone_with_parks["admin"])
    page.wait_for_selector("[data-testid=chart-coverage][data-ready='1']")
    chart = page.locator("[data-testid=chart-coverage]")
    # Wait for the bars' grow-in animation, so the bar is where the click goes.
    page.wait_for_function(
        "el => echarts.getInstanceByDom(el).getZr().animation.isFinished()", arg=chart.element_handle()
    )
    shot(page, "dashboard-coverage")
    # The bar of the second category (特色小镇: one of two units covered) at its value's height.
    x, y = page.evaluate(
        """() => {
            const el = document.querySelector('[data-testid=chart-coverage]');
            const chart = echarts.getInstanceByDom(el);
            const option = chart.getOption();
            const i = option.xAxis[0].data.indexOf('特色小镇');
            const [px, py] = chart.convertToPixel({seriesIndex: 0}, [i, 25]);
            const box = el.getBoundingClientRect();
            return [box.left + px - 6, box.top + py];
        }"""
    )
    page.mouse.click(x, y)
    page.wait_for_url("**/coverage/units/?park_type=town")
    names = page.inner_text("[data-testid=unit-table]")
    assert "大创小镇企业2" in names and "下沙高新技术产业园企业0" not in names
    shot(page, "coverage-units")
    page.goto(f"{page.base}/coverage/")
    page.wait_for_selector("[data-testid=coverage-chart][data-ready='1']")
    shot(page, "coverage-rates")
    page.goto(f"{page.base}/screen/")
    page.wait_for_selector("[data-testid=screen-parks][data-ready='1']")
    assert "大创小镇" in page.evaluate(
        "() => JSON.stringify(echarts.getInstanceByDom(document.querySelector('[data-testid=screen-parks]')).getOption().series[0].data)"
    )
    shot(page, "big-screen")


def test_an_enterprise_workbook_with_one_bad_credit_code_is_refused(open_page, zone_with_parks, tmp_path):  # noqa: F811
    good, bad = make_credit_code(901), make_credit_code(902)
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(
        [
            "企业",
            "杭州恒远机械制造有限公司",
            good,
            "C",
            "中型",
            "是",
            320,
            4,
            "下沙高新技术产业园",
            "",
            "2012-05-18",
            "未覆盖",
            "",
            "",
            "",
            "",
        ]
    )
    ws.append(
        [
            "企业",
            "杭州博达电子科技有限公司",
            bad,
            "C",
            "小型",
            "否",
            45,
            1,
            "下沙高新技术产业园",
            "",
            "2018-03-01",
            "未覆盖",
            "",
            "",
            "",
            "",
        ]
    )
    path = tmp_path / "enterprises.xlsx"
    data = BytesIO()
    wb.save(data)
    path.write_bytes(data.getvalue())
    before = Unit.objects.count()
    page = open_page(zone_with_parks["admin"])
    page.goto(f"{page.base}/coverage/import/")
    page.set_input_files("[data-testid=unit-file]", str(path))
    page.click("[data-testid=upload-units]")
    errors = page.inner_text("[data-testid=import-errors]")
    assert "3" in errors and "统一社会信用代码" in errors and "校验位" in errors
    shot(page, "coverage-import-error")
    assert Unit.objects.count() == before
