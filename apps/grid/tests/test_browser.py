"""The grid journeys in a real browser: a liaison on a phone records a visit from "my households", and
the household leaves the not-visited count; the grid leader's overview and a household's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from apps.core.scoping import Role
from apps.core.testing.factories import UserFactory, grant, make_member, make_members, make_org
from apps.core.tests.test_browser_journeys import browser, open_page, shot  # noqa: F401
from apps.grid import services
from apps.grid.models import Household, Resident
from apps.grid.selectors import grid_coverage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def community(transactional_db):
    root = make_org("杭州经济技术开发区党工委", "working_committee")
    street = make_org("下沙街道党工委", "street_committee", root)
    shangsha = make_org("上沙社区党委", "committee", street, unit_kind="community")
    branch = make_org("上沙社区第一党支部", "branch", shangsha, unit_kind="community")
    others = make_members(branch, 4)
    leader = grant(UserFactory(username="pianzhang", display_name="片长"), Role.GRID_LEADER, shangsha)
    liaison_user = UserFactory(username="lianhu", display_name="王建国")
    liaison = make_member(branch, user=liaison_user, name="王建国", phone="13957112345")
    zone = services.zone_save(actor=leader, values={"code": "SS01", "name": "上沙社区第一片", "org": shangsha.pk,
                                                    "hotline": "0571-86912345", "leaders": [leader.pk]})  # fmt: skip
    team = services.team_save(actor=leader, zone_id=zone.pk, values={"name": "上沙社区党员先锋服务队", "speciality": "助老助残、邻里调解",
                                                                     "leader": others[0].pk, "members": [o.pk for o in others]})  # fmt: skip
    groups = [
        services.group_save(actor=leader, zone_id=zone.pk, values={"code": f"0{n}", "name": f"上沙花苑{n}幢服务组",
                                                                  "leader": others[n].pk, "team": team.pk})
        for n in (1, 2)
    ]  # fmt: skip
    today = timezone.localdate()
    households = []
    for n, (address, head, days) in enumerate([("上沙花苑1幢1单元101室", "陈桂英", 45), ("上沙花苑1幢2单元302室", "刘志强", 5),
                                               ("上沙花苑2幢1单元601室", "赵秀兰", None), ("上沙花苑2幢3单元1102室", "孙明", 12)]):  # fmt: skip
        h = services.household_save(actor=leader, values={"zone": zone.pk, "group": groups[n // 2].pk, "address": address,
                                                          "head_name": head, "phone": f"1380000{n:04d}"})  # fmt: skip
        if days is not None:
            Household.objects.filter(pk=h.pk).update(last_visited_on=today - dt.timedelta(days=days))
        households.append(h)
    services.liaison_assign(actor=leader, household_ids=[h.pk for h in households[:3]], member_id=liaison.pk)
    Resident.objects.create(household=households[0], name="陈桂英", relation="户主", birth_year=1941, phone="13800000000",
                            tags=",elderly_alone,")  # fmt: skip
    Resident.objects.create(
        household=households[0], name="周小军", relation="子女", birth_year=1970, tags=",disabled,"
    )
    services.household_save(actor=leader, values={"zone": zone.pk, "group": groups[1].pk, "address": "上沙花苑2幢3单元1201室",
                                                  "head_name": "钱多多"})  # fmt: skip
    return {"zone": zone, "leader": leader, "liaison_user": liaison_user, "households": households}


def test_a_liaison_records_a_visit_from_a_phone_and_the_household_is_no_longer_overdue(open_page, community):  # noqa: F811
    zone, first = community["zone"], community["households"][0]
    assert grid_coverage(zone)["not_visited"] == 3  # two of the liaison's three, and one without a liaison
    page = open_page(community["liaison_user"], phone=True)
    page.goto(f"{page.base}/grid/mine/")
    assert "2" in page.inner_text("[data-testid=mine-due]")
    assert page.locator("[data-testid=mine-household]").count() == 3
    shot(page, "grid-mine")
    # The household not seen for 45 days: one tap on 记录走访.
    row = page.locator("[data-testid=mine-household]", has_text=first.address)
    row.locator("[data-testid=record-visit]").click()
    page.wait_for_selector("[data-testid=visit-content]")
    assert first.address in page.inner_text("[data-testid=visit-address]")
    page.click("label[for=kind-home]")
    page.fill("[data-testid=visit-content]", "入户看望陈桂英老人，身体状况良好，叮嘱注意防滑。")
    page.fill("[data-testid=visit-needs]", "希望楼道加装扶手")
    shot(page, "grid-visit")
    page.click("[data-testid=save-visit]")
    page.wait_for_url("**/grid/mine/?saved=*")
    assert "已记录走访" in page.content()
    # The needs heard on the visit can go on as a resident request, prefilled from the visit.
    register = page.locator("[data-testid=saved-needs] [data-testid=register-needs]")
    assert "希望楼道加装扶手" in page.inner_text("[data-testid=saved-needs]")
    assert f"household={first.pk}&visit=" in (register.get_attribute("href") or "")
    assert "1" in page.inner_text("[data-testid=mine-due]")
    first.refresh_from_db()
    assert first.last_visited_on == timezone.localdate()
    assert grid_coverage(zone)["not_visited"] == 2
    # The page fits the phone: nothing wider than the window.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_grid_leader_sees_coverage_and_a_household_with_masked_phones(open_page, community):  # noqa: F811
    page = open_page(community["leader"])
    page.goto(f"{page.base}/grid/")
    assert page.inner_text("[data-testid=cov-households]") == "5"
    assert page.inner_text("[data-testid=cov-without-liaison]") == "2"
    shot(page, "grid-index")
    page.click("[data-testid=link-without-liaison]")
    page.wait_for_url("**/grid/households/?no_liaison=1")
    assert "钱多多" in page.inner_text("[data-testid=household-table]")
    first = community["households"][0]
    page.goto(f"{page.base}/grid/households/{first.pk}/")
    assert "独居老人" in page.inner_text("[data-testid=residents]")
    assert "13800000000" not in page.content()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=reveal-phone]")
    page.wait_for_selector("[data-testid=revealed-phone]")
    assert page.inner_text("[data-testid=revealed-phone]") == "13800000000"
    shot(page, "grid-household")
    page.goto(f"{page.base}/grid/zones/{community['zone'].pk}/")
    assert "上沙社区党员先锋服务队" in page.inner_text("[data-testid=teams]")
    shot(page, "grid-zone")
