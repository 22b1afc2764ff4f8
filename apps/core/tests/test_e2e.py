"""End-to-end journeys in a real browser: Debian's Chromium, driven by Playwright, against `live_server`.

    .venv/bin/python -m pytest apps/core/tests/test_e2e.py
    XF_SCREENSHOTS=1 .venv/bin/python -m pytest apps/core/tests/test_e2e.py   # also rewrites docs/images/

One Chromium per module, a fresh context (cookies, viewport) per page. Without /usr/bin/chromium the
module is skipped, except in CI (CI=true) where that is a failure. Each test builds its own small zone
with the factories; expectations are computed before the browser acts, so the test thread does not
touch the database while the live server is answering the page.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.utils import timezone

from apps.core.scoping import Role
from apps.core.testing.factories import (
    UserFactory,
    grant,
    make_member,
    make_org,
    member_values,
    new_citizen_id,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PASSWORD = "Test@12345678"
IMAGES = Path(__file__).resolve().parents[3] / "docs" / "images"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
MASKED_ID = re.compile(r"^\d{6}\*{8}\d{3}[\dX]$")
MASKED_PHONE = re.compile(r"^1\d{2}\*{4}\d{4}$")


# --- browser and pages -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)")
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an event loop running in this thread; the ORM calls the tests
        # make between browser steps are still synchronous.
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield instance
            instance.close()


@pytest.fixture
def new_page(browser, live_server):
    """Opens a page in a fresh context, logged in through the login form when a user is given.

    Every page records uncaught script errors and static files that failed to load; the test fails on any.
    """
    contexts = []
    problems: list[str] = []

    def open_page(user: Any = None, *, phone: bool = False):
        context = browser.new_context(
            viewport=PHONE if phone else DESKTOP,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            accept_downloads=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
        page.on(
            "response",
            lambda r: (
                problems.append(f"{r.status} {r.url}") if "/static/" in r.url and r.status >= 400 else None
            ),
        )
        page.on(
            "requestfailed", lambda r: problems.append(f"failed {r.url}") if "/static/" in r.url else None
        )
        page.base_url = live_server.url
        if user is not None:
            page.goto(f"{live_server.url}/accounts/login/")
            log_in(page, user.username)
            page.wait_for_url(f"{live_server.url}/")
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, problems


def log_in(page, username: str, password: str = PASSWORD) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def menu(page, label: str):
    """A link of the sidebar menu (its icon glyph is part of the accessible name, so match the text)."""
    return page.locator("#xf-sidebar a.nav-link").filter(has_text=re.compile(rf"^\s*{label}\s*$"))


def shot(page, name: str, *, settle_ms: int = 0) -> None:
    """Saves docs/images/<name>.png for the user guide, only when XF_SCREENSHOTS=1.

    `settle_ms` lets a Bootstrap transition (modal, offcanvas) finish before the picture.
    """
    if os.environ.get("XF_SCREENSHOTS") == "1":
        IMAGES.mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(settle_ms)
        page.screenshot(path=str(IMAGES / f"{name}.png"), full_page=True)


# --- data ------------------------------------------------------------------------------------------


def _org(name: str, org_type: str, parent: Any = None) -> Any:
    """An organization with the pinyin the services would give it (make_org leaves it empty)."""
    from apps.core.identity import name_pinyin

    full, initials = name_pinyin(name)
    return make_org(name, org_type, parent, name_pinyin=full, name_initials=initials)


@pytest.fixture
def world(transactional_db):
    """A zone: 党工委 → 机关党委 → two branches; five members in one, two retired in the other."""
    root = _org("先锋开发区党工委", "working_committee")
    committee = _org("开发区机关党委", "organ_committee", root)
    branch = _org("组织部党支部", "branch", committee)
    other = _org("税务局党支部", "branch", committee)
    admin = grant(UserFactory(username="e2e-admin", display_name="组织部管理员"), Role.ZONE_ADMIN, root)
    secretary = grant(
        UserFactory(username="e2e-secretary", display_name="组织部支部书记"), Role.BRANCH_SECRETARY, branch
    )
    zhang_id = new_citizen_id(dt.date(1985, 6, 15), "male")
    zhang = make_member(branch, name="张三", citizen_id=zhang_id, phone="13812345678")
    branch_members = [zhang] + [make_member(branch, name=n) for n in ("李四", "王五", "赵六", "钱七")]
    # Neither name's pinyin starts with "zs"; both are retired, outside the secretary's branch.
    other_members = [make_member(other, name=n, category="retired") for n in ("孙八", "周九")]
    return {
        "root": root,
        "committee": committee,
        "branch": branch,
        "other": other,
        "admin": admin,
        "secretary": secretary,
        "zhang": zhang,
        "zhang_id": zhang_id,
        "branch_rows": {m.name: (m.citizen_id_masked, m.phone_masked) for m in branch_members},
        "other_names": {m.name for m in other_members},
    }


# --- journeys --------------------------------------------------------------------------------------


def test_login_through_the_form_with_styles_and_scripts_loaded(new_page, world):
    from playwright.sync_api import expect

    page = new_page()
    static = []
    page.on("response", lambda r: static.append((r.url, r.status)) if "/static/" in r.url else None)
    page.goto(f"{page.base_url}/members/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/members/$"))
    expect(page.get_by_role("heading", name="先锋 · 智慧党建")).to_be_visible()
    # The product's own CSS is applied (the red login background), not the browser's defaults.
    background = page.locator(".xf-login").evaluate("el => getComputedStyle(el).backgroundImage")
    assert "linear-gradient" in background
    assert page.evaluate("typeof window.htmx === 'object' && typeof window.bootstrap === 'object'")
    shot(page, "login")

    log_in(page, "e2e-admin", "wrong-password")
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确。连续失败5次将临时锁定账号。")

    log_in(page, "e2e-admin")
    expect(page).to_have_url(f"{page.base_url}/members/")
    expect(page.get_by_test_id("current-user")).to_have_text("组织部管理员")
    expect(page.locator(".xf-topbar")).to_contain_text("先锋开发区党工委")
    loaded = {url.rsplit("/static/", 1)[1]: status for url, status in static}
    for asset in (
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "css/xianfeng.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/htmx/htmx.min.js",
        "js/xianfeng.js",
    ):
        assert loaded.get(asset) in (200, 304), (asset, loaded)

    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(f"{page.base_url}/accounts/login/")


def test_five_wrong_passwords_lock_the_account(new_page, world):
    from playwright.sync_api import expect

    page = new_page()
    page.goto(f"{page.base_url}/accounts/login/")
    for _ in range(4):
        log_in(page, "e2e-secretary", "wrong-password")
        expect(page.get_by_role("alert")).to_contain_text("用户名或密码不正确")
    log_in(page, "e2e-secretary", "wrong-password")
    expect(page.get_by_role("heading", name="登录失败次数过多，账号已临时锁定")).to_be_visible()
    # Even the right password is refused while the lock lasts.
    page.get_by_role("link", name="返回登录").click()
    log_in(page, "e2e-secretary")
    expect(page.get_by_role("heading", name="登录失败次数过多，账号已临时锁定")).to_be_visible()


def test_find_by_pinyin_initials_reveal_the_id_and_see_it_in_the_access_log(new_page, world):
    from playwright.sync_api import expect

    page = new_page(world["admin"])
    menu(page, "党员").click()
    table = page.get_by_test_id("member-table")
    expect(table.locator("tbody tr")).to_have_count(7)

    search = page.get_by_test_id("member-search")
    search.fill("zs")
    search.press("Enter")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text("张三")
    expect(page).to_have_url(re.compile(r"/members/\?q=zs&"))  # the search is in the address
    expect(page.get_by_test_id("member-count")).to_have_text("共 1 人")
    shot(page, "member-search")

    # The last four digits of the ID find the same member.
    search.fill(world["zhang_id"][-4:])
    search.press("Enter")
    expect(page).to_have_url(re.compile(rf"\?q={world['zhang_id'][-4:]}&"))
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text("张三")

    table.get_by_role("link", name="张三").click()
    expect(page.get_by_test_id("member-name")).to_contain_text("张三")
    masked = world["zhang_id"][:6] + "********" + world["zhang_id"][-4:]
    expect(page.get_by_test_id("masked-citizen-id")).to_have_text(masked)
    expect(page.get_by_test_id("member-history")).to_contain_text("登记")
    shot(page, "member-detail")

    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_test_id("reveal-citizen-id").click()
    expect(page.get_by_test_id("revealed-citizen_id")).to_have_text(world["zhang_id"])
    expect(page.get_by_text("已记录查看")).to_be_visible()
    assert dialogs == ["查看明文身份证号将记入访问日志，确认查看？"]
    shot(page, "reveal")

    menu(page, "访问日志").click()
    expect(page).to_have_url(f"{page.base_url}/core/access-log/")
    rows = page.get_by_test_id("access-log").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("组织部管理员（e2e-admin）")
    expect(rows.first).to_contain_text("查看身份证号明文")
    expect(rows.first).to_contain_text("张三")
    expect(rows.first).to_contain_text("127.0.0.1")
    shot(page, "access-log")


def _workbook(rows: list[list[Any]], path: Path) -> Path:
    """An import file in the template's columns (apps/members/excel.py COLUMNS)."""
    from apps.members.excel import COLUMNS

    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "党员信息"
    sheet.append([header for header, _ in COLUMNS])
    for row in rows:
        sheet.append(row)
    wb.save(path)
    return path


def _import_row(org_name: str, **overrides: Any) -> list[Any]:
    """One row in the order of COLUMNS; gender and birth date are left for the ID to give."""
    values = member_values(None, **overrides)
    return [
        values["name"],
        values["citizen_id"],
        "",
        "汉族",
        "",
        "大学本科",
        values["phone"],
        org_name,
        values["admission_date"].isoformat(),
        values["full_membership_date"].isoformat(),
        "在职",
        "开发区管委会",
    ]


def _wrong_check_digit(citizen_id: str) -> str:
    return citizen_id[:17] + ("1" if citizen_id[17] != "1" else "2")


def test_import_shows_the_bad_row_then_a_correct_file_is_confirmed(new_page, world, tmp_path):
    from playwright.sync_api import expect

    from apps.members.models import Member

    branch = world["branch"].name
    good = _import_row(branch, name="陈一")
    bad = _import_row(branch, name="林二")
    bad[1] = _wrong_check_digit(bad[1])
    other = _import_row(branch, name="郑三")

    page = new_page(world["secretary"])
    menu(page, "党员导入").click()
    expect(page.get_by_role("heading", name="党员信息导入")).to_be_visible()
    page.locator("#id_file").set_input_files(_workbook([good, bad], tmp_path / "有错误.xlsx"))
    page.get_by_test_id("upload").click()

    expect(page.get_by_test_id("job-status")).to_have_text("待确认")
    expect(page.get_by_test_id("import-errors")).to_have_text("1")
    expect(page.get_by_test_id("import-new")).to_have_text("1")
    error_rows = page.get_by_test_id("import-error-table").locator("tbody tr")
    expect(error_rows).to_have_count(1)
    expect(error_rows.locator("td")).to_have_text(
        ["第3行", "林二", "身份证号", "身份证号校验位不正确，请核对号码"]
    )
    expect(page.get_by_text("文件中有 1 行错误，未写入任何数据")).to_be_visible()
    expect(page.get_by_test_id("confirm-import")).to_have_count(0)
    shot(page, "import-error")
    assert Member.objects.filter(name__in=["陈一", "林二"]).count() == 0

    page.get_by_role("link", name="重新上传").click()
    page.locator("#id_file").set_input_files(_workbook([good, other], tmp_path / "正确.xlsx"))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("import-errors")).to_have_text("0")
    expect(page.get_by_test_id("import-new")).to_have_text("2")
    expect(page.get_by_text("校验通过：将新增 2 名、更新 0 名党员。")).to_be_visible()
    page.get_by_test_id("confirm-import").click()

    expect(page.get_by_test_id("import-done")).to_contain_text("导入完成：新增 2 名，更新 0 名。")
    expect(page.get_by_test_id("job-status")).to_have_text("已完成")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
    shot(page, "import-done")
    assert set(Member.objects.filter(org=world["branch"]).values_list("name", flat=True)) == {
        *world["branch_rows"],
        "陈一",
        "郑三",
    }

    page.get_by_test_id("import-done").get_by_role("link", name="查看党员").click()
    expect(page.get_by_test_id("member-table").locator("tbody tr")).to_have_count(7)


def _read_export(download) -> list[tuple[Any, ...]]:
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_export_the_list_and_download_it_from_the_job_page(new_page, world):
    from playwright.sync_api import expect

    from apps.members.excel import EXPORT_HEADERS

    page = new_page(world["secretary"])
    page.goto(f"{page.base_url}/members/")
    expect(page.get_by_test_id("member-table").locator("tbody tr")).to_have_count(5)
    page.get_by_role("button", name="导出当前结果").click()
    modal = page.locator("#export-modal")
    expect(modal).to_be_visible()
    expect(modal.locator("#unmasked")).not_to_be_checked()
    shot(page, "export-modal", settle_ms=400)
    modal.get_by_test_id("export-submit").click()

    expect(page).to_have_url(re.compile(r"/core/jobs/\d+/$"))
    expect(page.get_by_role("heading", name=re.compile("党员名册导出"))).to_be_visible()
    expect(page.get_by_text("已导出 5 名党员（证件号与电话已脱敏）。")).to_be_visible()
    shot(page, "export")
    with page.expect_download() as info:
        page.get_by_test_id("download").click()
    download = info.value
    assert re.fullmatch(r"党员名册-\d{8}-\d{4}\.xlsx", download.suggested_filename)

    header, *rows = _read_export(download)
    assert list(header) == EXPORT_HEADERS
    by_name = {row[0]: row for row in rows}
    assert len(rows) == 5 and set(by_name) == set(world["branch_rows"])  # nothing outside the branch
    for name, (masked_id, masked_phone) in world["branch_rows"].items():
        assert by_name[name][1] == masked_id and MASKED_ID.match(masked_id)
        assert by_name[name][6] == masked_phone and MASKED_PHONE.match(masked_phone)
        assert by_name[name][7] == "组织部党支部"
    assert by_name["张三"][1] == world["zhang_id"][:6] + "********" + world["zhang_id"][-4:]


def test_export_after_searching_exports_only_the_search_results(new_page, world):
    from playwright.sync_api import expect

    page = new_page(world["secretary"])
    page.goto(f"{page.base_url}/members/")
    search = page.get_by_test_id("member-search")
    search.fill("zs")
    search.press("Enter")
    expect(page.get_by_test_id("member-table").locator("tbody tr")).to_have_count(1)
    page.get_by_role("button", name="导出当前结果").click()
    page.get_by_test_id("export-submit").click()
    with page.expect_download() as info:
        page.get_by_test_id("download").click()
    _header, *rows = _read_export(info.value)
    assert [row[0] for row in rows] == ["张三"]


def test_home_draws_the_charts_and_a_bar_opens_the_filtered_list(new_page, world):
    from playwright.sync_api import expect

    from apps.alerts.store import refresh_alerts

    refresh_alerts()  # the home page lists the organization warnings the rules engine found
    page = new_page(world["admin"])
    expect(page.get_by_role("heading", name="首页概览")).to_be_visible()
    expect(page.get_by_test_id("kpi-members")).to_have_text("7")
    charts = page.locator("[data-chart]")
    # Members (status, category, age, education, gender), organization types and the development pipeline.
    expect(charts).to_have_count(7)
    for index in range(7):
        chart = charts.nth(index)
        expect(chart).to_have_attribute("data-ready", "1")
        size = chart.locator("canvas").evaluate("c => [c.width, c.height]")
        assert size[0] > 100 and size[1] > 100
    category = page.get_by_test_id("chart-category")
    # Wait for the bars' grow-in animation, so the bar is where the click goes.
    page.wait_for_function(
        "el => echarts.getInstanceByDom(el).getZr().animation.isFinished()", arg=category.element_handle()
    )
    expect(page.get_by_test_id("home-warnings")).to_contain_text("税务局党支部")
    shot(page, "home")

    # The middle of the first bar ("在职", 5 members), in the chart's own pixel coordinates.
    x, y = category.evaluate(
        """el => {
          const chart = echarts.getInstanceByDom(el);
          const top = chart.convertToPixel({seriesIndex: 0}, [0, chart.getOption().series[0].data[0].value]);
          const base = chart.convertToPixel({seriesIndex: 0}, [0, 0]);
          return [top[0], (top[1] + base[1]) / 2];
        }"""
    )
    box = category.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)
    expect(page).to_have_url(f"{page.base_url}/members/?category=employed")
    rows = page.get_by_test_id("member-table").locator("tbody tr")
    expect(rows).to_have_count(5)
    for name in world["other_names"]:
        expect(page.get_by_test_id("member-table")).not_to_contain_text(name)
    expect(page.get_by_role("combobox", name="党员类别")).to_have_value("employed")


def test_org_tree_search_detail_and_committee(new_page, world):
    from playwright.sync_api import expect

    page = new_page(world["admin"])
    menu(page, "党组织").click()
    tree = page.get_by_test_id("org-tree")
    expect(tree).to_contain_text("先锋开发区党工委")
    tree.get_by_role("button", name="展开").click()
    expect(tree.get_by_role("link", name="开发区机关党委")).to_be_visible()
    expect(tree.get_by_role("button", name="展开")).to_have_count(1)  # the root's toggle is gone
    tree.get_by_role("button", name="展开").click()
    expect(tree.get_by_role("link", name="组织部党支部")).to_be_visible()
    expect(tree.get_by_role("link", name="税务局党支部")).to_be_visible()

    page.get_by_role("searchbox", name="搜索组织").fill("swj")
    results = page.get_by_test_id("org-search-results")
    expect(results).to_contain_text("税务局党支部")
    shot(page, "org-tree")

    results.get_by_role("link", name=re.compile("税务局党支部")).click()
    expect(page.get_by_test_id("org-name")).to_contain_text("税务局党支部")
    expect(page.get_by_test_id("org-warnings")).to_contain_text("正式党员仅2名，不足3名")
    expect(page.get_by_test_id("org-members").locator("tbody tr")).to_have_count(2)
    expect(page.get_by_role("link", name="开发区机关党委")).to_be_visible()  # breadcrumb

    committee = page.locator("form[action*='/committee/']")
    committee.get_by_placeholder("姓名").fill("孙八")
    committee.locator("select[name=role]").select_option(label="书记")
    committee.locator("input[name=term_start]").fill(timezone.localdate().replace(day=1).isoformat())
    committee.get_by_role("button", name="添加委员").click()
    expect(page.get_by_role("alert")).to_contain_text("已添加委员")
    expect(page.locator("table").filter(has_text="职务").first).to_contain_text("孙八")
    shot(page, "org-detail")


def test_phone_sized_member_list_and_offcanvas_menu(new_page, world):
    from playwright.sync_api import expect

    page = new_page(world["secretary"], phone=True)
    page.goto(f"{page.base_url}/members/")
    cards = page.get_by_test_id("member-cards")
    expect(cards).to_be_visible()
    expect(cards.locator("a")).to_have_count(5)
    expect(page.get_by_test_id("member-table")).to_be_hidden()
    expect(page.locator("#xf-sidebar")).to_be_hidden()
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "mobile-members")

    page.get_by_role("button", name="菜单").click()
    sidebar = page.locator("#xf-sidebar")
    expect(sidebar).to_have_class(re.compile(r"\bshow\b"))
    expect(menu(page, "党员导入")).to_be_visible()
    shot(page, "mobile-menu", settle_ms=400)
    sidebar.get_by_role("button", name="关闭").click()
    expect(sidebar).to_be_hidden()

    search = page.get_by_test_id("member-search")
    search.fill("zs")
    search.press("Enter")
    expect(cards.locator("a")).to_have_count(1)
    cards.get_by_role("link", name=re.compile("张三")).click()
    expect(page.get_by_test_id("member-name")).to_contain_text("张三")
