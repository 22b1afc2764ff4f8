"""The grid's services, pages, PDFs, Excel and API (SPEC §9)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from apps.core.errors import DomainError
from apps.core.models import AccessAction, AccessLog
from apps.core.testing.factories import make_member
from apps.grid import services
from apps.grid.models import Group, Household, Resident, Visit, Zone
from apps.grid.selectors import grid_coverage
from apps.grid.tests.conftest import add_households

TODAY = timezone.localdate()


def pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext is required in CI (apt-get install poppler-utils)")
        pytest.skip("Debian's poppler-utils (pdftotext) is not installed: the PDF's text cannot be read")
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)  # noqa: S607
    return result.stdout.decode()


# --- visits ---------------------------------------------------------------------------------------


def test_a_liaisons_visit_moves_the_last_visit_to_the_latest_date(grid):
    user, household = grid["liaison_user"], grid["mine"][0]
    services.visit_record(actor=user, household_id=household.pk,
                          values={"visited_on": TODAY - dt.timedelta(days=5), "content": "老人身体健康"})  # fmt: skip
    household.refresh_from_db()
    assert household.last_visited_on == TODAY - dt.timedelta(days=5)
    # An older visit entered later does not move it back.
    visit = services.visit_record(actor=user, household_id=household.pk,
                                  values={"visited_on": TODAY - dt.timedelta(days=40), "content": "补记", "kind": "phone"})  # fmt: skip
    household.refresh_from_db()
    assert household.last_visited_on == TODAY - dt.timedelta(days=5)
    assert visit.liaison_id == grid["liaison"].pk and visit.created_by_id == user.pk
    latest = Visit.objects.filter(household=household).order_by("-visited_on").first()
    services.visit_delete(actor=user, visit_id=latest.pk)
    household.refresh_from_db()
    assert household.last_visited_on == TODAY - dt.timedelta(days=40)


def test_a_visit_needs_content_a_past_date_and_a_household_of_ones_own(grid):
    user = grid["liaison_user"]
    with pytest.raises(DomainError) as exc:
        services.visit_record(
            actor=user, household_id=grid["mine"][0].pk, values={"visited_on": TODAY, "content": " "}
        )
    assert exc.value.field == "content"
    with pytest.raises(DomainError) as exc:
        services.visit_record(actor=user, household_id=grid["mine"][0].pk,
                              values={"visited_on": TODAY + dt.timedelta(days=1), "content": "x"})  # fmt: skip
    assert "晚于今天" in exc.value.message
    not_mine = Household.objects.filter(zone=grid["za"], liaison__isnull=True).first()
    with pytest.raises(Http404):
        services.visit_record(
            actor=user, household_id=not_mine.pk, values={"visited_on": TODAY, "content": "x"}
        )


def test_a_visit_through_the_api_clears_the_household_from_not_visited(grid, client_for):
    household = grid["mine"][0]
    before = grid_coverage(grid["za"])["not_visited"]
    client = client_for(grid["liaison_user"])
    response = client.post(f"/api/v1/grid/households/{household.pk}/visits",
                           {"visited_on": TODAY.isoformat(), "kind": "home", "content": "了解到家中漏水", "needs": "请物业维修"},
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["last_visited_on"] == TODAY.isoformat()
    assert grid_coverage(grid["za"])["not_visited"] == before - 1
    bad = client.post(f"/api/v1/grid/households/{household.pk}/visits",
                      {"visited_on": TODAY.isoformat(), "content": ""}, content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "content"
    other = grid["theirs"][0]
    assert client.post(f"/api/v1/grid/households/{other.pk}/visits",
                       {"visited_on": TODAY.isoformat(), "content": "x"}, content_type="application/json").status_code == 404  # fmt: skip


def test_the_visit_form_from_my_households_returns_to_the_list(grid, client_for):
    client = client_for(grid["liaison_user"])
    household = grid["mine"][1]
    assert client.get(f"/grid/households/{household.pk}/visits/new/?next=mine").status_code == 200
    response = client.post(f"/grid/households/{household.pk}/visits/new/",
                           {"visited_on": TODAY.isoformat(), "kind": "home", "content": "入户走访", "next": "mine"})  # fmt: skip
    assert response.status_code == 302 and response.url == "/grid/mine/"
    household.refresh_from_db()
    assert household.last_visited_on == TODAY
    error = client.post(f"/grid/households/{household.pk}/visits/new/", {"visited_on": "", "content": "x"})
    assert "请填写走访日期" in error.content.decode()


# --- personal data --------------------------------------------------------------------------------


def test_revealing_a_phone_is_a_post_and_is_logged(grid, committee_user, client_for):
    client = client_for(committee_user)
    household = grid["mine"][0]
    page = client.get(f"/grid/households/{household.pk}/").content.decode()
    assert "138****1234" in page and "13800001234" not in page
    assert client.get(f"/grid/households/{household.pk}/reveal/").status_code == 405
    response = client.post(f"/grid/households/{household.pk}/reveal/")
    assert "13800001234" in response.content.decode()
    log = AccessLog.objects.get(action=AccessAction.REVEAL_PHONE)
    assert (log.user_id, log.target_type, log.target_id) == (
        committee_user.pk,
        "grid.household",
        household.pk,
    )
    resident = services.resident_save(actor=committee_user, household_id=household.pk,
                                      values={"name": "王阿婆", "phone": "13700001111", "tags": ["elderly_alone"]})  # fmt: skip
    response = client.post(f"/grid/households/{household.pk}/reveal/", {"resident": resident.pk})
    assert "13700001111" in response.content.decode()
    assert (
        AccessLog.objects.filter(action=AccessAction.REVEAL_PHONE, target_type="grid.resident").count() == 1
    )
    assert client.post(f"/grid/households/{grid['theirs'][0].pk}/reveal/").status_code == 404


def test_the_api_never_shows_a_full_phone(grid, committee_user, client_for):
    household = grid["mine"][0]
    services.resident_save(
        actor=committee_user, household_id=household.pk, values={"name": "王阿婆", "phone": "13700001111"}
    )
    body = client_for(committee_user).get(f"/api/v1/grid/households/{household.pk}").content.decode()
    assert "13800001234" not in body and "13700001111" not in body and "137****1111" in body


# --- residents and liaisons -----------------------------------------------------------------------


def test_residents_are_added_edited_and_removed_with_tags(grid, leader_user, client_for):
    client = client_for(leader_user)
    household = grid["mine"][0]
    response = client.post(f"/grid/households/{household.pk}/residents/new/",
                           {"name": "王阿婆", "relation": "母亲", "birth_year": "1940", "tags": ["elderly_alone", "disabled"]})  # fmt: skip
    assert response.status_code == 302
    resident = Resident.objects.get(household=household)
    assert resident.tag_labels == ["独居老人", "残疾人"]
    page = client.get(f"/grid/households/{household.pk}/").content.decode()
    assert "独居老人" in page and "确认删除居民王阿婆" in page
    bad = client.post(
        f"/grid/households/{household.pk}/residents/{resident.pk}/edit/",
        {"name": "王阿婆", "birth_year": "18"},
    )
    assert "出生年份" in bad.content.decode()
    client.post(
        f"/grid/households/{household.pk}/residents/{resident.pk}/edit/",
        {"name": "王阿婆", "tags": ["low_income"]},
    )
    resident.refresh_from_db()
    assert resident.tags == ",low_income,"
    assert client.get(f"/grid/households/{household.pk}/residents/{resident.pk}/delete/").status_code == 405
    assert client.post(f"/grid/households/{household.pk}/residents/{resident.pk}/delete/").status_code == 302
    assert not Resident.objects.filter(pk=resident.pk).exists()
    listed = client.get("/grid/households/?tag=low_income").content.decode()
    assert household.address not in listed


def test_a_liaison_must_be_in_scope_and_going_over_the_limit_warns(grid, zone, leader_user):
    free = Household.objects.filter(zone=grid["za"], liaison__isnull=True)
    outsider = make_member(zone["b1"], name="乙支部党员")
    with pytest.raises(DomainError) as exc:
        services.liaison_assign(actor=leader_user, household_ids=[free[0].pk], member_id=outsider.pk)
    assert exc.value.field == "liaison"
    extra = add_households(grid["za"], grid["ga2"], 7, start=60)
    result = services.liaison_assign(
        actor=leader_user, household_ids=[h.pk for h in extra], member_id=grid["liaison"].pk
    )
    assert (result.changed, result.total, result.warning) == (7, 10, "")
    result = services.liaison_assign(
        actor=leader_user, household_ids=[free[0].pk], member_id=grid["liaison"].pk
    )
    assert result.total == 11 and "超过" in result.warning
    assert grid_coverage(grid["za"])["liaisons_over_limit"] == 1
    result = services.liaison_assign(actor=leader_user, household_ids=[free[0].pk], member_id=None)
    assert result.member is None and Household.objects.get(pk=free[0].pk).liaison_id is None
    with pytest.raises(Http404):
        services.liaison_assign(
            actor=leader_user, household_ids=[grid["theirs"][0].pk], member_id=grid["liaison"].pk
        )


def test_the_liaison_form_and_the_bulk_form_assign_members(grid, leader_user, client_for):
    client = client_for(leader_user)
    free = list(Household.objects.filter(zone=grid["za"], liaison__isnull=True))
    picker = client.get(f"/grid/pick-member/?zone={grid['za'].pk}&q=李").content.decode()
    assert "李联户" in picker and "已联系3户" in picker
    response = client.post(
        f"/grid/households/{free[0].pk}/liaison/", {"liaison": grid["liaison"].pk}, follow=True
    )
    assert "联户党员已设为李联户（现联系4户）" in response.content.decode()
    response = client.post("/grid/households/liaison/",
                           {"households": [free[1].pk], "liaison": grid["liaison"].pk, "next": "/grid/households/?no_liaison=1"})  # fmt: skip
    assert response.url == "/grid/households/?no_liaison=1"
    assert grid_coverage(grid["za"])["without_liaison"] == 0


# --- zones, groups, households ---------------------------------------------------------------------


def test_zones_groups_teams_and_households_are_created_through_the_pages(
    grid, zone, leader_user, committee_user, client_for
):
    client = client_for(committee_user)
    response = client.post("/grid/zones/new/", {"code": "a02", "name": "甲二片区", "org": zone["a"].pk, "hotline": "96345",
                                                "leaders": [leader_user.pk]})  # fmt: skip
    new = Zone.objects.get(code="A02")
    assert response.url == f"/grid/zones/{new.pk}/" and list(new.leaders.all()) == [leader_user]
    assert (
        client.post("/grid/zones/new/", {"code": "A02", "name": "重复", "org": zone["a"].pk}).status_code
        == 200
    )
    refused = client.post(
        "/grid/zones/new/", {"code": "X9", "name": "越权", "org": zone["b"].pk}
    ).content.decode()
    assert "管理范围内" in refused
    leader = client_for(leader_user)
    assert leader.post(f"/grid/zones/{new.pk}/groups/new/", {"code": "01", "name": "1幢"}).status_code == 302
    group = Group.objects.get(zone=new)
    assert leader.post(f"/grid/zones/{new.pk}/teams/new/", {"name": "党员先锋服务队", "speciality": "助老", "leader": grid["liaison"].pk,
                                                          "members": [grid["liaison"].pk]}).status_code == 302  # fmt: skip
    response = leader.post("/grid/households/new/", {"zone": new.pk, "group": group.pk, "address": "新村1号", "head_name": "赵大",
                                                     "phone": "13511112222"})  # fmt: skip
    household = Household.objects.get(address="新村1号")
    assert response.url == f"/grid/households/{household.pk}/"
    assert household.code == "A02-01-001" and household.org_path == zone["a"].path
    bad = leader.post(
        "/grid/households/new/",
        {"zone": new.pk, "group": group.pk, "address": "x", "head_name": "y", "phone": "123"},
    )
    assert "电话号码格式不正确" in bad.content.decode()
    detail = leader.get(f"/grid/zones/{new.pk}/").content.decode()
    assert "党员先锋服务队" in detail and "96345" in detail and "1幢" in detail
    # Editing the household moves it out (迁出): it leaves the coverage.
    leader.post(f"/grid/households/{household.pk}/edit/", {"zone": new.pk, "group": group.pk, "address": "新村1号",
                                                          "head_name": "赵大", "is_active": "0"})  # fmt: skip
    assert grid_coverage(new)["households"] == 0


def test_moving_a_zone_to_another_organization_moves_its_households(grid, zone, admin_user, committee_user):
    services.zone_save(actor=admin_user, zone_id=grid["za"].pk,
                       values={"code": "A01", "name": "甲片区", "org": zone["a1"].pk, "is_active": "1"})  # fmt: skip
    assert set(Household.objects.filter(zone=grid["za"]).values_list("org_path", flat=True)) == {
        zone["a1"].path
    }


def test_the_household_list_filters_searches_sorts_and_links_each_coverage_number(
    grid, committee_user, client_for
):
    client = client_for(committee_user)
    Household.objects.filter(pk=grid["mine"][0].pk).update(last_visited_on=TODAY)
    page = client.get("/grid/").content.decode()
    assert "/grid/households/?no_liaison=1" in page and "/grid/liaisons/?over=1" in page
    ctx = client.get("/grid/households/?not_visited=1&sort=last_visited_on").context
    assert grid["mine"][0] not in ctx["page"].object_list and len(ctx["page"].object_list) == 4
    assert len(client.get("/grid/households/?no_liaison=1").context["page"].object_list) == 2
    assert [
        h.pk for h in client.get(f"/grid/households/?q={grid['mine'][1].address}").context["page"].object_list
    ] == [grid["mine"][1].pk]
    assert (
        len(
            client.get(f"/grid/households/?group={grid['ga2'].pk}&zone={grid['za'].pk}")
            .context["page"]
            .object_list
        )
        == 2
    )
    assert len(client.get(f"/grid/households/?liaison={grid['liaison'].pk}").context["page"].object_list) == 3
    assert "没有符合条件的住户" in client.get("/grid/households/?q=不存在的地址").content.decode()


def test_list_pages_cost_the_same_queries_with_more_rows(
    grid, committee_user, client_for, django_assert_max_num_queries
):
    client = client_for(committee_user)
    urls = ["/grid/", "/grid/households/", "/grid/households/?no_liaison=1", "/grid/households/?not_visited=1",
            "/grid/liaisons/?over=1", "/grid/liaisons/", f"/grid/zones/{grid['za'].pk}/", "/grid/mine/"]  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add_households(grid["za"], grid["ga1"], 8, liaison=grid["liaison"], start=200)  # every list has rows
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        counts[url] = len(ctx.captured_queries)
    extra = add_households(grid["za"], grid["ga2"], 25, liaison=grid["liaison"], start=100)
    for h in extra[:10]:
        Resident.objects.create(household=h, name="居民", tags=",disabled,")
    for url in urls:
        with django_assert_max_num_queries(counts[url], info=url):
            client.get(url)


# --- PDFs -----------------------------------------------------------------------------------------


def test_the_liaison_card_names_the_liaison_hotline_and_households(grid, committee_user, client_for):
    client = client_for(committee_user)
    response = client.get(f"/grid/liaisons/{grid['liaison'].pk}/card.pdf")
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "民情联系卡" in text and "李联户" in text and "0571-86000001" in text
    assert grid["mine"][0].address in text and "139****5678" in text and "13912345678" not in text
    assert not AccessLog.objects.exists()
    full = client.post(f"/grid/liaisons/{grid['liaison'].pk}/card.pdf", {"unmasked": "1"})
    assert "13912345678" in pdf_text(b"".join(full.streaming_content))
    log = AccessLog.objects.get()
    assert log.action == AccessAction.EXPORT_UNMASKED and log.target_id == grid["liaison"].pk
    zone_cards = client.get(f"/grid/zones/{grid['za'].pk}/cards.pdf")
    assert "李联户" in pdf_text(b"".join(zone_cards.streaming_content))


def test_the_household_file_lists_residents_tags_liaison_and_visits(grid, committee_user, client_for):
    household = grid["mine"][0]
    services.resident_save(actor=committee_user, household_id=household.pk,
                           values={"name": "王阿婆", "relation": "户主", "phone": "13700001111", "tags": ["elderly_alone"]})  # fmt: skip
    services.visit_record(actor=grid["liaison_user"], household_id=household.pk,
                          values={"visited_on": TODAY, "content": "帮助老人预约体检 & <复查>"})  # fmt: skip
    client = client_for(committee_user)
    data = b"".join(client.get(f"/grid/households/{household.pk}/file.pdf").streaming_content)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert (
        "住户档案" in text
        and "王阿婆" in text
        and "独居老人" in text
        and "李联户" in text
        and "预约体检" in text
    )
    assert "137****1111" in text
    client.post(f"/grid/households/{household.pk}/file.pdf", {"unmasked": "1"})
    assert (
        AccessLog.objects.filter(action=AccessAction.EXPORT_UNMASKED, target_type="grid.household").count()
        == 1
    )


# --- Excel ----------------------------------------------------------------------------------------


def workbook(zones=(), groups=(), households=()) -> SimpleUploadedFile:
    from apps.grid.excel import GROUP_COLUMNS, HOUSEHOLD_COLUMNS, ZONE_COLUMNS

    wb = Workbook()
    ws = wb.active
    ws.title = "片区"
    ws.append([*ZONE_COLUMNS[0], *ZONE_COLUMNS[1]])
    for row in zones:
        ws.append(list(row))
    ws = wb.create_sheet("服务组")
    ws.append([*GROUP_COLUMNS[0], *GROUP_COLUMNS[1]])
    for row in groups:
        ws.append(list(row))
    ws = wb.create_sheet("住户")
    ws.append([*HOUSEHOLD_COLUMNS[0], *HOUSEHOLD_COLUMNS[1]])
    for row in households:
        ws.append(list(row))
    data = BytesIO()
    wb.save(data)
    return SimpleUploadedFile("grid.xlsx", data.getvalue())


def test_a_good_workbook_imports_zones_groups_and_households(
    grid, zone, committee_user, leader_user, client_for
):
    upload = workbook(
        zones=[("A05", "甲五片区", "甲党委", "96345", "grid-leader", "")],
        groups=[("A05", "01", "1幢服务组", "李联户"), ("A01", "09", "9幢服务组", "")],
        households=[("A05", "01", "甲五路1号", "孙一", "", "13600001111", "李联户", "独居老人、残疾人", ""),
                    ("A05", "01", "甲五路2号", "孙二", "A05-X", "", "", "", "")],
    )  # fmt: skip
    response = client_for(committee_user).post("/grid/import/", {"file": upload})
    assert response.status_code == 302, response.content.decode()
    z = Zone.objects.get(code="A05")
    assert list(z.leaders.all()) == [leader_user] and z.hotline == "96345"
    assert Group.objects.get(zone=grid["za"], code="09").name == "9幢服务组"
    first = Household.objects.get(address="甲五路1号")
    assert (
        first.code == "A05-01-001"
        and first.liaison_id == grid["liaison"].pk
        and first.org_path == zone["a"].path
    )
    assert Resident.objects.get(household=first).tag_labels == ["独居老人", "残疾人"]
    assert Household.objects.filter(code="A05-X").exists()
    assert AccessLog.objects.filter(action=AccessAction.IMPORT, user=committee_user).count() == 1


def test_a_workbook_with_one_bad_row_saves_nothing_and_names_sheet_row_and_column(
    grid, committee_user, client_for
):
    before = (Zone.objects.count(), Group.objects.count(), Household.objects.count())
    upload = workbook(
        zones=[("A06", "甲六片区", "甲党委", "", "", ""), ("B09", "越权片区", "乙党委", "", "", "")],
        groups=[("A06", "01", "1幢", ""), ("A06", "01", "重复", "")],
        households=[("A06", "01", "甲六路1号", "周一", "", "123", "", "", ""),
                    ("A06", "02", "甲六路2号", "周二", "", "", "", "独居", ""),
                    ("A06", "01", "甲六路3号", "周三", "", "", "", "", "")],
    )  # fmt: skip
    response = client_for(committee_user).post("/grid/import/", {"file": upload})
    errors = response.context["result"].errors
    assert ("片区", 3, "所属党组织", "您的管理范围内没有名为“乙党委”的党组织") in errors
    assert ("服务组", 3, "组编号", "与第2行重复") in errors
    assert ("住户", 2, "联系电话", "电话号码格式不正确") in errors
    assert any(e[:3] == ("住户", 3, "组编号") for e in errors)
    assert any(e[:3] == ("住户", 3, "关爱标签") for e in errors)
    page = response.content.decode()
    assert "未导入任何数据" in page and "所属党组织" in page
    assert (Zone.objects.count(), Group.objects.count(), Household.objects.count()) == before
    assert not AccessLog.objects.filter(action=AccessAction.IMPORT).exists()


def test_an_upload_that_is_not_a_workbook_is_refused(grid, committee_user, client_for):
    client = client_for(committee_user)
    response = client.post(
        "/grid/import/", {"file": SimpleUploadedFile("x.xlsx", b"<script>alert(1)</script>")}
    )
    assert "不是有效的 Excel" in response.content.decode()
    template = client.get("/grid/import/template.xlsx")
    wb = load_workbook(BytesIO(b"".join(template.streaming_content)))
    assert wb.sheetnames[:3] == ["片区", "服务组", "住户"]


def test_the_export_masks_phones_unless_a_logged_post_asks(grid, committee_user, client_for):
    client = client_for(committee_user)
    masked = client.get(f"/grid/households/export.xlsx?zone={grid['za'].pk}")
    ws = load_workbook(BytesIO(b"".join(masked.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 6 and rows[1][5] == "138****1234"
    assert AccessLog.objects.get().action == AccessAction.EXPORT_MASKED
    full = client.post(
        "/grid/households/export.xlsx", {"zone": grid["za"].pk, "no_liaison": "1", "unmasked": "1"}
    )
    rows = list(load_workbook(BytesIO(b"".join(full.streaming_content))).active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[1][5] == "13800001234"
    assert AccessLog.objects.filter(action=AccessAction.EXPORT_UNMASKED).count() == 1
    liaisons = client.get("/grid/liaisons/export.xlsx")
    rows = list(
        load_workbook(BytesIO(b"".join(liaisons.streaming_content))).active.iter_rows(values_only=True)
    )
    assert rows[1][:3] == ("李联户", "甲一支部", 3)


# --- API and dashboard ----------------------------------------------------------------------------


def test_the_api_lists_zones_households_coverage_and_the_lists_behind_it(grid, committee_user, client_for):
    client = client_for(committee_user)
    za = grid["za"]
    detail = client.get(f"/api/v1/grid/zones/{za.pk}").json()
    assert [g["code"] for g in detail["groups"]] == ["01", "02"] and detail["coverage"]["households"] == 5
    assert client.get("/api/v1/grid/coverage").json() == grid_coverage(za)
    assert client.get(f"/api/v1/grid/coverage?zone={za.pk}&window_days=0").json()["not_visited"] == 5
    assert client.get("/api/v1/grid/coverage/without-liaison").json()["count"] == 2
    assert client.get("/api/v1/grid/coverage/not-visited").json()["count"] == 5
    add_households(za, grid["ga2"], 8, liaison=grid["liaison"], start=70)
    over = client.get("/api/v1/grid/coverage/liaisons-over-limit").json()
    assert over == [
        {
            "member_id": grid["liaison"].pk,
            "name": "李联户",
            "org_name": "甲一支部",
            "households": 11,
            "last_visit": None,
        }
    ]
    households = client.get(f"/api/v1/grid/households?zone={za.pk}&no_liaison=true").json()
    assert households["count"] == 2
    residents = client.get(f"/api/v1/grid/households/{grid['mine'][0].pk}/residents").json()
    assert residents == []
    assert "/grid/coverage" in client.get("/api/v1/openapi.json").content.decode()


def test_the_dashboard_figures_link_to_the_lists(grid, committee_user):
    from apps.core.statistics import StatContext, collect

    stats = {s.code: s for s in collect(StatContext(user=committee_user), ["grid"])["grid"]}
    assert stats["grid.households"].value == 5 and stats["grid.without_liaison"].value == 2
    assert stats["grid.without_liaison"].link == "/grid/households/?no_liaison=1"
    assert stats["grid.liaisons_over_limit"].link == "/grid/liaisons/?over=1"
    assert collect(StatContext(user=grid["liaison_user"]), ["grid"])["grid"] == []


def test_every_page_renders_for_the_zone_administrator(grid, admin_user, client_for):
    client = client_for(admin_user)
    h, za = grid["mine"][0], grid["za"]
    for url in ["/grid/", "/grid/mine/", "/grid/zones/new/", f"/grid/zones/{za.pk}/", f"/grid/zones/{za.pk}/edit/",
                f"/grid/zones/{za.pk}/groups/new/", f"/grid/groups/{grid['ga1'].pk}/edit/", f"/grid/zones/{za.pk}/teams/new/",
                "/grid/households/", "/grid/households/new/", f"/grid/households/{h.pk}/", f"/grid/households/{h.pk}/edit/",
                f"/grid/households/{h.pk}/residents/new/", f"/grid/households/{h.pk}/visits/new/", "/grid/liaisons/",
                "/grid/import/", "/grid/pick-org/?q=甲"]:  # fmt: skip
        assert client.get(url).status_code == 200, url
    page = client.get(f"/grid/households/{h.pk}/").content.decode()
    assert f'href="/requests/new/?household={h.pk}"' in page and "代住户提交诉求" in page
