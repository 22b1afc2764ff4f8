"""The main journeys in a real browser (Debian's Chromium driven by Playwright) against a live server.

Screenshots for the user guide are written to docs/images/ when XF_SCREENSHOTS=1.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone

from apps.core.scoping import Role
from apps.core.testing.factories import UserFactory, grant, make_member, make_members, make_org, member_values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
IMAGES = Path(__file__).resolve().parents[3] / "docs" / "images"
PASSWORD = "Test@12345678"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required in CI (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = (
        "true"  # Playwright's sync API keeps an event loop in this thread
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def make(user=None, *, phone=False):
        context = browser.new_context(
            viewport={"width": 390, "height": 844} if phone else {"width": 1366, "height": 900},
            locale="zh-CN",
            accept_downloads=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base = live_server.url
        if user is not None:
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", user.username)
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{live_server.url}/")
        return page

    yield make
    for context in contexts:
        context.close()


def shot(page, name):
    if os.environ.get("XF_SCREENSHOTS") == "1":
        IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(IMAGES / f"{name}.png"), full_page=True)


@pytest.fixture
def world(transactional_db):
    root = make_org("杭州经济技术开发区党工委", "working_committee")
    committee = make_org("开发区机关党委", "organ_committee", root)
    branch = make_org("组织部党支部", "branch", committee)
    other = make_org("税务局党支部", "branch", committee)
    admin = grant(UserFactory(username="admin-e2e", display_name="组织部管理员"), Role.ZONE_ADMIN, root)
    secretary = grant(
        UserFactory(username="secretary-e2e", display_name="支部书记"), Role.BRANCH_SECRETARY, branch
    )
    member_user = UserFactory(username="member-e2e", display_name="张三")
    zhang = make_member(branch, user=member_user, name="张三", phone="13812345678")
    make_members(branch, 6)
    make_members(other, 4, category="retired")
    return {
        "root": root,
        "committee": committee,
        "branch": branch,
        "other": other,
        "admin": admin,
        "secretary": secretary,
        "member_user": member_user,
        "zhang": zhang,
    }


def test_find_a_member_by_pinyin_reveal_the_id_and_see_it_in_the_access_log(open_page, world):
    from apps.core import crypto

    page = open_page(world["admin"])
    shot(page, "home")
    page.click("text=党员")
    page.fill("[data-testid=member-search]", "zs")
    page.press("[data-testid=member-search]", "Enter")
    page.wait_for_selector("[data-testid=member-table] >> text=张三")
    shot(page, "member-search")
    page.click("[data-testid=member-table] >> text=张三")
    page.wait_for_selector("[data-testid=masked-citizen-id]")
    assert "********" in page.inner_text("[data-testid=masked-citizen-id]")
    shot(page, "member-detail")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=reveal-citizen-id]")
    full_id = crypto.decrypt(world["zhang"].citizen_id_encrypted)
    page.wait_for_selector(f"[data-testid=revealed-citizen_id] >> text={full_id}")
    shot(page, "reveal")
    page.goto(f"{page.base}/core/access-log/")
    row = page.inner_text("[data-testid=access-log]")
    assert "张三" in row and "查看身份证号明文" in row
    shot(page, "access-log")


def _workbook(rows):
    from apps.members.excel import COLUMNS

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([h for h, _ in COLUMNS])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _row(values, org_name):
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
        values["full_membership_date"].isoformat(),
        "在职",
        "开发区管委会",
    ]


def test_import_shows_the_bad_row_then_a_clean_file_is_confirmed(open_page, world, tmp_path):
    page = open_page(world["secretary"])
    good = member_values(world["branch"])
    bad = member_values(world["branch"])
    bad_row = _row(bad, "组织部党支部")
    bad_row[1] = bad["citizen_id"][:-1] + ("0" if bad["citizen_id"][-1] != "0" else "1")
    path = tmp_path / "bad.xlsx"
    path.write_bytes(_workbook([_row(good, "组织部党支部"), bad_row]))
    page.goto(f"{page.base}/members/import/")
    page.set_input_files("input[type=file]", str(path))
    page.click("[data-testid=upload]")
    page.wait_for_selector("[data-testid=import-error-table]")
    errors = page.inner_text("[data-testid=import-error-table]")
    assert "第3行" in errors and "身份证号" in errors and "校验位" in errors
    assert page.locator("[data-testid=confirm-import]").count() == 0
    shot(page, "import-error")
    clean = tmp_path / "clean.xlsx"
    clean.write_bytes(
        _workbook([_row(good, "组织部党支部"), _row(member_values(world["branch"]), "组织部党支部")])
    )
    page.goto(f"{page.base}/members/import/")
    page.set_input_files("input[type=file]", str(clean))
    page.click("[data-testid=upload]")
    page.click("[data-testid=confirm-import]")
    page.wait_for_selector("[data-testid=import-done]")
    shot(page, "import-done")
    from apps.members.models import Member

    assert Member.objects.filter(org=world["branch"]).count() == 9


def test_export_the_filtered_list_and_download_it(open_page, world):
    page = open_page(world["secretary"])
    page.goto(f"{page.base}/members/")
    page.click("text=导出当前结果")
    page.click("[data-testid=export-submit]")
    page.wait_for_selector("[data-testid=download]")
    shot(page, "export")
    with page.expect_download() as info:
        page.click("[data-testid=download]")
    sheet = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    ids = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(ids) == 7 and all("********" in i for i in ids)


def test_dashboard_chart_drills_down_to_the_list(open_page, world):
    page = open_page(world["admin"])
    page.wait_for_selector("[data-testid=chart-category][data-ready='1']")
    box = page.locator("[data-testid=chart-category]").bounding_box()
    # The "在职" bar is the first category; its bar stands at the left of the plot area.
    page.mouse.click(box["x"] + 48 + (box["width"] - 64) / 9 / 2, box["y"] + box["height"] - 60)
    page.wait_for_url("**/members/?category=employed")
    assert "税务局党支部" not in page.inner_text("[data-testid=member-table]")


def test_org_tree_and_detail(open_page, world):
    page = open_page(world["admin"])
    page.goto(f"{page.base}/orgs/")
    page.click("[data-testid=org-tree] button.toggle")
    page.wait_for_selector("[data-testid=org-tree] >> text=开发区机关党委")
    shot(page, "org-tree")
    page.click("[data-testid=org-tree] >> text=开发区机关党委")
    page.wait_for_selector("[data-testid=children] >> text=组织部党支部")
    shot(page, "org-detail")


def test_phone_sized_member_list_and_menu(open_page, world):
    page = open_page(world["secretary"], phone=True)
    page.goto(f"{page.base}/members/")
    page.wait_for_selector("[data-testid=member-cards] >> text=张三")
    shot(page, "mobile-members")
    page.click("button[aria-label=菜单]")
    page.wait_for_selector("#xf-sidebar.show >> text=组织生活")


def test_hold_a_meeting_and_sign_in_from_a_phone_by_the_qr_link(open_page, world):
    secretary = open_page(world["secretary"])
    secretary.goto(f"{secretary.base}/meetings/new/?org={world['branch'].pk}")
    secretary.select_option("select[name=meeting_type]", "theme_day")
    secretary.fill("input[name=topic]", "固定主题党日：重温入党誓词")
    secretary.fill("input[name=date]", timezone.localdate().isoformat())
    secretary.click("[data-testid=save-meeting]")
    secretary.click("[data-testid=open-checkin]")
    secretary.wait_for_selector("[data-testid=qr-panel] svg")
    shot(secretary, "meeting-qr")
    link = secretary.get_attribute("[data-testid=checkin-link]", "href")
    phone = open_page(world["member_user"], phone=True)
    phone.goto(link)
    phone.click("[data-testid=checkin-submit]")
    phone.wait_for_selector("[data-testid=checkin-ok]")
    shot(phone, "checkin-phone")
    secretary.reload()
    assert "扫码" in secretary.inner_text("[data-testid=attendance-table]")
    secretary.once("dialog", lambda dialog: dialog.accept())
    secretary.click("[data-testid=mark-held]")
    secretary.wait_for_selector("[data-testid=meeting-status] >> text=已召开")


def test_generate_bills_and_record_a_payment(open_page, world):
    from apps.dues.models import DuesPayment
    from apps.dues.services import dues_base_set

    for member in world["branch"].members.all():
        dues_base_set(
            actor=world["admin"],
            member_id=member.pk,
            base="4500",
            category="employed",
            effective_from=dt.date(2020, 1, 1),
        )
    page = open_page(world["secretary"])
    page.goto(f"{page.base}/dues/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=generate-bills]")
    page.wait_for_selector("text=新生成7张账单")
    page.goto(f"{page.base}/dues/bills/")
    page.click("[data-testid=pay-form-张三] button")
    page.wait_for_selector("text=已登记张三")
    shot(page, "dues-bills")
    assert DuesPayment.objects.count() == 1
    member_page = open_page(world["member_user"], phone=True)
    member_page.goto(f"{member_page.base}/dues/mine/")
    assert "已缴" in member_page.inner_text("[data-testid=my-bills]")
    shot(member_page, "dues-mine")
