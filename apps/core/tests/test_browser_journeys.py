"""The branch-work journeys (meetings, dues, development) in a real browser (Debian's Chromium driven by Playwright) against a live server.

Screenshots of the branch-work pages for the user guide (docs/guide/README.md) are written to
docs/images/ when XF_SCREENSHOTS=1; the foundation's screenshots come from test_e2e.py.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from apps.core.scoping import Role
from apps.core.testing.factories import UserFactory, grant, make_member, make_members, make_org

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


def test_a_development_step_refused_then_one_that_passes(open_page, world):
    from apps.core.testing.factories import new_citizen_id
    from apps.development.services import make_activist, prospect_register, record_talk

    today = timezone.localdate()
    contact = make_member(
        world["branch"],
        name="联系人",
        admission_date=dt.date(2005, 1, 1),
        full_membership_date=dt.date(2006, 1, 1),
    )
    prospect = prospect_register(
        actor=world["admin"],
        org_id=world["branch"].pk,
        name="积极分子甲",
        citizen_id=new_citizen_id(dt.date(1998, 1, 1)),
        application_date=today - dt.timedelta(days=60),
    )
    record_talk(actor=world["admin"], prospect_id=prospect.pk, on=today - dt.timedelta(days=50), by="书记")
    make_activist(
        actor=world["admin"],
        prospect_id=prospect.pk,
        on=today - dt.timedelta(days=40),
        contact_ids=[contact.pk],
    )
    page = open_page(world["secretary"])
    page.goto(f"{page.base}/development/{prospect.pk}/")
    page.click("[data-testid=step-candidate]")
    page.wait_for_selector("text=须经过一年以上培养考察")
    assert page.inner_text("[data-testid=stage]") == "入党积极分子"
    shot(page, "development-refused")
    applicant = prospect_register(
        actor=world["admin"],
        org_id=world["branch"].pk,
        name="申请人乙",
        citizen_id=new_citizen_id(dt.date(1999, 2, 2)),
        application_date=today - dt.timedelta(days=5),
    )
    page.goto(f"{page.base}/development/{applicant.pk}/")
    page.fill("input[name=by]", "王书记")
    page.click("[data-testid=step-talk]")
    page.wait_for_selector("text=已办理")
    page.goto(f"{page.base}/development/")
    assert "确定入党积极分子" in page.inner_text("[data-testid=development-board]")
    shot(page, "development-board")


def test_issue_a_transfer_and_confirm_its_receipt(open_page, world):
    receiver_branch = world["other"]
    receiver = grant(
        UserFactory(username="receiver-e2e", display_name="税务局支部书记"),
        Role.BRANCH_SECRETARY,
        receiver_branch,
    )
    member = make_member(world["branch"], name="调动党员")
    sender = open_page(world["secretary"])
    sender.goto(f"{sender.base}/members/{member.pk}/")
    sender.click("[data-testid=start-transfer]")
    sender.fill("[data-org-picker] input[type=search]", "税务")
    sender.click("[data-pick-label='税务局党支部']")
    sender.fill("input[name=reason]", "工作调动")
    sender.click("[data-testid=request-transfer]")
    sender.click("[data-testid=issue-letter]")
    sender.wait_for_selector("[data-testid=letter-link]")
    shot(sender, "transfer-issued")
    with sender.expect_popup() as popup:
        sender.click("[data-testid=letter-link]")
    assert popup.value.url.endswith("letter.pdf")
    page = open_page(receiver)
    page.goto(f"{page.base}/transfers/")
    page.click("[data-testid=transfer-table] >> text=调动党员")
    page.click("[data-testid=receive-transfer]")
    page.wait_for_selector("[data-testid=transfer-state] >> text=已完成")
    shot(page, "transfer-received")
    member.refresh_from_db()
    assert member.org_id == receiver_branch.pk


def test_the_committee_approves_an_admission_from_its_queue(open_page, world):
    from apps.core.testing.factories import new_citizen_id
    from apps.development import services as dev
    from apps.development.models import Prospect

    today = timezone.localdate()
    full = make_members(
        world["branch"], 3, admission_date=dt.date(2005, 1, 1), full_membership_date=dt.date(2006, 1, 1)
    )
    admin = world["admin"]
    p = dev.prospect_register(
        actor=admin, org_id=world["branch"].pk, name="发展对象丙", citizen_id=new_citizen_id(dt.date(1996, 3, 3)),
        application_date=today - dt.timedelta(days=600),
    )  # fmt: skip
    dev.record_talk(actor=admin, prospect_id=p.pk, on=today - dt.timedelta(days=590), by="书记")
    dev.make_activist(
        actor=admin, prospect_id=p.pk, on=today - dt.timedelta(days=560), contact_ids=[full[0].pk]
    )
    dev.make_candidate(actor=admin, prospect_id=p.pk, on=today - dt.timedelta(days=100))
    dev.prepare_admission(
        actor=admin, prospect_id=p.pk, review_date=today - dt.timedelta(days=90), training_hours=24,
        introducer_ids=[full[1].pk, full[2].pk], publicity_start=today - dt.timedelta(days=80),
    )  # fmt: skip
    dev.branch_meeting_vote(
        actor=world["secretary"],
        prospect_id=p.pk,
        on=today - dt.timedelta(days=30),
        eligible=10,
        present=9,
        yes=9,
    )
    committee = grant(
        UserFactory(username="committee-e2e", display_name="机关党委组织委员"),
        Role.COMMITTEE_ADMIN,
        world["committee"],
    )
    page = open_page(committee)
    page.goto(f"{page.base}/development/")
    page.click("[data-testid=approvals-link]")
    page.wait_for_selector("[data-testid=approval-table] >> text=发展对象丙")
    shot(page, "development-approvals")
    page.click("[data-testid=approval-table] >> text=发展对象丙")
    page.click("[data-testid=step-approve]")
    page.wait_for_selector("[data-testid=stage] >> text=预备党员")
    assert "批准接收为预备党员" in page.inner_text("[data-testid=approval]")
    assert Prospect.objects.get(pk=p.pk).member is not None


@pytest.fixture
def seeded_requirements(transactional_db):
    """A transactional test starts from an emptied database: put back the checklist requirements and
    the pioneer scheme that the data migrations seed."""
    import importlib

    from django.apps import apps

    for module in (
        "apps.meetings.migrations.0002_default_requirements",
        "apps.meetings.migrations.0005_record_checked_requirements",
        "apps.pioneer.migrations.0002_default_items",
        "apps.pioneer.migrations.0005_training_hours_item",
    ):
        importlib.import_module(module).create(apps, None)


def test_the_checklist_links_record_items_and_a_pioneer_publication_completes_one(
    open_page, world, seeded_requirements
):
    page = open_page(world["secretary"])
    page.goto(f"{page.base}/meetings/checklist/?org={world['branch'].pk}")
    row = "[data-testid=checklist] tr:has-text('党员先锋指数管理')"
    assert "已完成" not in page.inner_text(row)
    page.click(f"{row} >> [data-testid=check-pioneer]")
    page.wait_for_selector("[data-testid=publication]")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=publish]")
    page.wait_for_selector("text=已公示")
    page.goto(f"{page.base}/meetings/checklist/?org={world['branch'].pk}")
    assert "已完成" in page.inner_text(row)
    shot(page, "checklist-branch")
