"""Single liaison cards with full phones, the organization link, visit needs turned into requests, household
codes under concurrent registration, and the over-limit figures explained."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from apps.core.demo import grid as demo_grid
from apps.core.errors import ConflictError
from apps.core.models import AccessAction, AccessLog
from apps.grid import services
from apps.grid.models import Household, Visit
from apps.grid.tests.test_grid import pdf_text

TODAY = timezone.localdate()


def _pdf(response) -> str:  # type: ignore[no-untyped-def]
    return pdf_text(b"".join(response.streaming_content))


# --- single liaison cards with full phones ----------------------------------------------------------


def test_every_single_liaison_card_offers_a_full_phone_print_as_a_post(grid, committee_user, client_for):
    card = f"/grid/liaisons/{grid['liaison'].pk}/card.pdf"
    form = f'action="{card}"'
    client = client_for(committee_user)
    household = client.get(f"/grid/households/{grid['mine'][0].pk}/").content.decode()
    assert form in household and 'name="unmasked" value="1"' in household
    assert form in client.get("/grid/liaisons/").content.decode()
    client = client_for(grid["liaison_user"])
    mine = client.get("/grid/mine/").content.decode()
    assert form in mine and "含完整电话" in mine


def test_a_full_phone_single_card_for_someone_else_is_logged(grid, committee_user, client_for):
    client = client_for(committee_user)
    text = _pdf(client.post(f"/grid/liaisons/{grid['liaison'].pk}/card.pdf", {"unmasked": "1"}))
    assert "13912345678" in text
    log = AccessLog.objects.get()
    assert log.action == AccessAction.EXPORT_UNMASKED and log.target_id == grid["liaison"].pk


def test_a_liaison_prints_their_own_card_with_their_full_phone_without_a_log_entry(grid, client_for):
    client = client_for(grid["liaison_user"])
    assert "139****5678" in _pdf(client.get(f"/grid/liaisons/{grid['liaison'].pk}/card.pdf"))
    text = _pdf(client.post(f"/grid/liaisons/{grid['liaison'].pk}/card.pdf", {"unmasked": "1"}))
    assert "13912345678" in text
    assert not AccessLog.objects.exists()


def test_a_liaison_cannot_print_a_card_of_a_liaison_outside_their_households(grid, client_for):
    client = client_for(grid["liaison_user"])
    response = client.post(f"/grid/liaisons/{grid['other_liaison'].pk}/card.pdf", {"unmasked": "1"})
    assert response.status_code == 404 and not AccessLog.objects.exists()


# --- the organization link -----------------------------------------------------------------------


def test_the_zone_page_links_the_organization_only_for_those_who_may_open_it(
    grid, zone, committee_user, leader_user, client_for
):
    org_url = f"/orgs/{zone['a'].pk}/"
    page = client_for(committee_user).get(f"/grid/zones/{grid['za'].pk}/").content.decode()
    assert f'href="{org_url}"' in page
    assert client_for(committee_user).get(org_url).status_code == 200
    page = client_for(leader_user).get(f"/grid/zones/{grid['za'].pk}/").content.decode()
    assert f'href="{org_url}"' not in page and "甲党委" in page
    assert client_for(leader_user).get(org_url).status_code == 404


# --- visit needs → resident requests -------------------------------------------------------------


def test_a_visit_with_needs_links_to_registering_a_resident_request(grid, client_for):
    household = grid["mine"][0]
    with_needs = services.visit_record(
        actor=grid["liaison_user"], household_id=household.pk,
        values={"visited_on": TODAY, "content": "入户走访", "needs": "楼道灯不亮"},
    )  # fmt: skip
    without = services.visit_record(
        actor=grid["liaison_user"],
        household_id=household.pk,
        values={"visited_on": TODAY, "content": "电话问候"},
    )
    page = client_for(grid["liaison_user"]).get(f"/grid/households/{household.pk}/").content.decode()
    new = reverse("resident_requests:new")
    assert f"{new}?household={household.pk}&amp;visit={with_needs.pk}" in page
    assert f"visit={without.pk}" not in page
    assert page.count("登记为民情诉求") == 1


def test_saving_a_visit_with_needs_from_my_households_offers_to_register_them(grid, client_for):
    household = grid["mine"][1]
    client = client_for(grid["liaison_user"])
    response = client.post(
        f"/grid/households/{household.pk}/visits/new/",
        {"visited_on": TODAY.isoformat(), "kind": "home", "content": "入户走访", "needs": "希望加装扶手",
         "next": "mine"},
    )  # fmt: skip
    visit = Visit.objects.get(household=household)
    assert response.status_code == 302 and response["Location"] == f"/grid/mine/?saved={visit.pk}"
    page = client.get(response["Location"]).content.decode()
    assert "希望加装扶手" in page
    assert f"{reverse('resident_requests:new')}?household={household.pk}&amp;visit={visit.pk}" in page
    plain = client.post(
        f"/grid/households/{household.pk}/visits/new/",
        {"visited_on": TODAY.isoformat(), "kind": "home", "content": "再次走访", "next": "mine"},
    )
    assert plain["Location"] == "/grid/mine/"


def test_someone_elses_visit_is_not_offered_on_my_households(grid, committee_user, client_for):
    theirs = services.visit_record(
        actor=committee_user, household_id=grid["mine"][0].pk,
        values={"visited_on": TODAY, "content": "走访", "needs": "诉求"},
    )  # fmt: skip
    page = client_for(grid["liaison_user"]).get(f"/grid/mine/?saved={theirs.pk}").content.decode()
    assert "登记为民情诉求" in page  # the liaison's own household: offered
    other = services.visit_record(
        actor=committee_user, household_id=grid["mine"][0].pk, values={"visited_on": TODAY, "content": "走访"}
    )
    page = client_for(grid["liaison_user"]).get(f"/grid/mine/?saved={other.pk}").content.decode()
    assert "登记为民情诉求" not in page  # no needs, nothing to register


# --- household codes -----------------------------------------------------------------------------


def test_a_generated_household_code_taken_by_a_concurrent_registration_is_retried(
    grid, committee_user, monkeypatch
):
    original = services.next_household_code
    raced: list[str] = []

    def racing(zone, group):  # type: ignore[no-untyped-def]
        code = original(zone, group)
        if not raced:  # another registration stores this code between the computation and the save
            raced.append(code)
            Household.objects.create(zone=zone, group=group, org_path=zone.org_path, code=code,
                                     address="并发登记", head_name="某")  # fmt: skip
        return code

    monkeypatch.setattr(services, "next_household_code", racing)
    saved = services.household_save(
        actor=committee_user,
        values={"zone": grid["za"].pk, "group": grid["ga1"].pk, "address": "新楼1号", "head_name": "张三"},
    )
    assert raced and saved.code != raced[0] and saved.code.startswith("A01-01-")
    assert Household.objects.filter(code=raced[0], address="并发登记").exists()


def test_a_typed_household_code_that_is_taken_is_refused_as_a_conflict(grid, committee_user):
    with pytest.raises(ConflictError):
        services.household_save(
            actor=committee_user,
            values={"zone": grid["za"].pk, "group": grid["ga1"].pk, "address": "新楼2号", "head_name": "李四",
                    "code": grid["mine"][0].code},
        )  # fmt: skip


def test_household_codes_in_one_group_count_on_after_the_highest(grid, committee_user):
    codes = [
        services.household_save(
            actor=committee_user,
            values={
                "zone": grid["za"].pk,
                "group": grid["ga1"].pk,
                "address": f"新楼{n}号",
                "head_name": "户主",
            },
        ).code
        for n in range(3)
    ]
    assert codes == ["A01-01-004", "A01-01-005", "A01-01-006"]


# --- over-limit figures explained ----------------------------------------------------------------


def test_the_over_limit_figures_say_what_they_count(grid, committee_user, client_for):
    client = client_for(committee_user)
    index = client.get("/grid/").content.decode()
    assert "按党员在您范围内的全部联系户计数" in index
    assert 'data-testid="over-limit-header"' in index and "各行相加可能小于总数" in index
    zone_page = client.get(f"/grid/zones/{grid['za'].pk}/").content.decode()
    assert "只计本片区内的联系户" in zone_page


# --- demo relations ------------------------------------------------------------------------------


def plausible(relation: str, head_age: int, age: int) -> bool:
    return {
        "配偶": abs(age - head_age) <= 15,
        "子女": head_age - age >= 18,
        "父母": age - head_age >= 18,
        "孙子女": head_age - age >= 36,
    }.get(relation, True) and age >= 1


@given(
    relation=st.sampled_from(demo_grid.RELATIONS), head_age=st.integers(28, 92), seed=st.integers(0, 10_000)
)
def test_a_demo_relatives_age_fits_their_relation_to_the_head(relation, head_age, seed):
    age = demo_grid.relative_age(relation, head_age, random.Random(seed))
    if age is None:
        assert (relation == "父母" and head_age > 82) or (relation == "孙子女" and head_age < 37)
    else:
        assert plausible(relation, head_age, age) and age <= 100


# --- sorting and the liaisons export -------------------------------------------------------------


def test_never_visited_households_sort_as_the_longest_unvisited_on_any_database(
    grid, committee_user, client_for
):
    from apps.grid import selectors

    filters = selectors.HouseholdFilters.from_mapping({"sort": "last_visited_on"})
    sql = str(selectors.filter_households(Household.objects.all(), filters).query).upper()
    assert "NULLS FIRST" in sql  # PostgreSQL would otherwise put them last
    latest = selectors.HouseholdFilters.from_mapping({"sort": "-last_visited_on"})
    assert "NULLS LAST" in str(selectors.filter_households(Household.objects.all(), latest).query).upper()
    services.visit_record(actor=grid["liaison_user"], household_id=grid["mine"][0].pk,
                          values={"visited_on": TODAY, "content": "走访"})  # fmt: skip
    page = client_for(grid["liaison_user"]).get("/grid/mine/").content.decode()
    assert page.index(grid["mine"][1].address) < page.index(grid["mine"][0].address)


def test_the_liaisons_export_shows_no_negative_excess_for_liaisons_under_the_limit(
    grid, committee_user, client_for
):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(committee_user).get("/grid/liaisons/export.xlsx")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert sheet.title == "联户党员" and rows and all(r[3] == 0 for r in rows)
