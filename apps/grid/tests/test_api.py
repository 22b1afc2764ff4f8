"""The grid's write endpoints and files in the JSON API: each succeeds in scope, refuses bad input without
changing anything, and answers 404 for another scope's object."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from apps.core.models import AccessAction, AccessLog
from apps.grid import services
from apps.grid.models import Group, Household, Resident, ServiceTeam, Visit, Zone
from apps.grid.tests.test_grid import pdf_text, workbook

API = "/api/v1/grid"
TODAY = timezone.localdate()


@pytest.fixture
def api(grid, committee_user, client_for):
    """The committee A administrator: zone A is theirs, zone B is another scope."""
    client = client_for(committee_user)

    def call(method: str, path: str, data=None, **extra):  # type: ignore[no-untyped-def]
        send = getattr(client, method)
        if data is None:
            return send(API + path, **extra)
        return send(API + path, data, content_type="application/json", **extra)

    return call


def body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- zones, groups, teams ------------------------------------------------------------------------


def test_the_api_creates_and_edits_a_zone_with_its_leaders(api, grid, zone, leader_user):
    created = api("post", "/zones", {"code": "a02", "name": "甲二片区", "org_id": zone["a"].pk,
                                     "hotline": "96345", "leader_ids": [leader_user.pk]})  # fmt: skip
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["code"] == "A02" and data["leader_ids"] == [leader_user.pk] and data["is_active"] is True
    edited = api("put", f"/zones/{data['id']}", {"code": "A02", "name": "甲第二片区", "org_id": zone["a"].pk,
                                                 "leader_ids": []})  # fmt: skip
    assert (
        edited.status_code == 200
        and edited.json()["name"] == "甲第二片区"
        and edited.json()["leader_ids"] == []
    )
    assert Zone.objects.get(pk=data["id"]).hotline == ""


def test_the_api_refuses_a_zone_without_a_name_or_outside_the_scope(api, grid, zone):
    before = Zone.objects.count()
    missing = api("post", "/zones", {"code": "A03", "name": " ", "org_id": zone["a"].pk})
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "name"
    foreign = api("post", "/zones", {"code": "A03", "name": "越界片区", "org_id": zone["b"].pk})
    assert foreign.status_code == 400 and foreign.json()["errors"][0]["field"] == "org"
    taken = api("put", f"/zones/{grid['za'].pk}", {"code": "B01", "name": "甲片区"})
    assert taken.status_code == 409
    assert Zone.objects.count() == before and Zone.objects.get(pk=grid["za"].pk).code == "A01"
    other = api("put", f"/zones/{grid['zb'].pk}", {"code": "B01", "name": "改名"})
    assert other.status_code == 404 and Zone.objects.get(pk=grid["zb"].pk).name == "乙片区"


def test_the_api_creates_and_edits_groups(api, grid):
    created = api("post", f"/zones/{grid['za'].pk}/groups", {"code": "03", "name": "3幢服务组",
                                                               "leader_id": grid["liaison"].pk})  # fmt: skip
    assert created.status_code == 201 and created.json()["leader_name"] == "李联户"
    edited = api("put", f"/groups/{created.json()['id']}", {"code": "03", "name": "三幢服务组"})
    assert (
        edited.status_code == 200
        and edited.json()["name"] == "三幢服务组"
        and edited.json()["leader_id"] is None
    )
    before = Group.objects.count()
    duplicate = api("post", f"/zones/{grid['za'].pk}/groups", {"code": "01", "name": "重复"})
    assert duplicate.status_code == 409 and Group.objects.count() == before
    assert api("post", f"/zones/{grid['zb'].pk}/groups", {"code": "09", "name": "越界"}).status_code == 404
    assert api("put", f"/groups/{grid['gb1'].pk}", {"code": "01", "name": "越界"}).status_code == 404
    assert Group.objects.count() == before and Group.objects.get(pk=grid["gb1"].pk).name == "东区服务组"


def test_the_api_creates_and_edits_service_teams(api, grid):
    created = api("post", f"/zones/{grid['za'].pk}/teams", {"name": "先锋服务队", "speciality": "助老",
                                                              "member_ids": [grid["liaison"].pk]})  # fmt: skip
    assert created.status_code == 201 and created.json()["member_ids"] == [grid["liaison"].pk]
    edited = api("put", f"/teams/{created.json()['id']}", {"name": "先锋服务队", "member_ids": []})
    assert edited.status_code == 200 and edited.json()["member_ids"] == []
    foreign_member = api("put", f"/teams/{created.json()['id']}",
                         {"name": "先锋服务队", "member_ids": [grid["other_liaison"].pk]})  # fmt: skip
    assert foreign_member.status_code == 400
    assert not ServiceTeam.objects.get(pk=created.json()["id"]).members.exists()
    assert api("post", f"/zones/{grid['za'].pk}/teams", {"name": ""}).status_code == 400
    assert ServiceTeam.objects.count() == 1
    theirs = ServiceTeam.objects.create(zone=grid["zb"], name="乙队")
    assert api("post", f"/zones/{grid['zb'].pk}/teams", {"name": "越界"}).status_code == 404
    assert api("put", f"/teams/{theirs.pk}", {"name": "越界"}).status_code == 404
    assert ServiceTeam.objects.get(pk=theirs.pk).name == "乙队"


# --- households, residents, liaisons, visits -----------------------------------------------------


def test_the_api_registers_edits_and_moves_out_a_household(api, grid):
    created = api("post", "/households", {"zone_id": grid["za"].pk, "group_id": grid["ga1"].pk,
                                          "address": "甲片区1幢9号", "head_name": "周九", "phone": "13600009999",
                                          "liaison_id": grid["liaison"].pk})  # fmt: skip
    assert created.status_code == 201, created.content
    data = created.json()
    assert (
        data["code"] == "A01-01-004" and data["liaison_name"] == "李联户" and "13600009999" not in str(data)
    )
    edited = api("put", f"/households/{data['id']}", {"zone_id": grid["za"].pk, "group_id": grid["ga2"].pk,
                                                      "address": "甲片区2幢1号", "head_name": "周九"})  # fmt: skip
    assert edited.status_code == 200 and edited.json()["group_id"] == grid["ga2"].pk
    assert edited.json()["code"] == "A01-01-004" and edited.json()["is_active"] is True
    moved = api("post", f"/households/{data['id']}/move-out")
    assert moved.status_code == 200 and moved.json()["is_active"] is False
    kept = api("put", f"/households/{data['id']}", {"zone_id": grid["za"].pk, "group_id": grid["ga2"].pk,
                                                    "address": "甲片区2幢1号", "head_name": "周九"})  # fmt: skip
    assert kept.json()["is_active"] is False  # not given: unchanged


def test_the_api_refuses_a_household_with_bad_input_or_of_another_scope(api, grid):
    before = Household.objects.count()
    missing = api("post", "/households", {"zone_id": grid["za"].pk, "group_id": grid["ga1"].pk,
                                          "address": "", "head_name": "某"})  # fmt: skip
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "address"
    wrong_group = api("post", "/households", {"zone_id": grid["za"].pk, "group_id": grid["gb1"].pk,
                                              "address": "甲片区1号", "head_name": "某"})  # fmt: skip
    assert wrong_group.status_code == 400 and wrong_group.json()["errors"][0]["field"] == "group"
    foreign_zone = api("post", "/households", {"zone_id": grid["zb"].pk, "group_id": grid["gb1"].pk,
                                               "address": "乙片区1号", "head_name": "某"})  # fmt: skip
    assert foreign_zone.status_code == 400 and Household.objects.count() == before
    theirs = grid["theirs"][0]
    edit = api("put", f"/households/{theirs.pk}", {"zone_id": grid["zb"].pk, "group_id": grid["gb1"].pk,
                                                   "address": "改", "head_name": "改"})  # fmt: skip
    assert edit.status_code == 404
    assert api("post", f"/households/{theirs.pk}/move-out").status_code == 404
    theirs.refresh_from_db()
    assert theirs.address != "改" and theirs.is_active


def test_the_api_adds_edits_and_deletes_residents(api, grid):
    household = grid["mine"][0]
    added = api("post", f"/households/{household.pk}/residents",
                {"name": "王阿婆", "relation": "母亲", "birth_year": 1940, "phone": "13700001111",
                 "tags": ["独居老人", "disabled"]})  # fmt: skip
    assert added.status_code == 201, added.content
    data = added.json()
    assert data["tags"] == ["elderly_alone", "disabled"] and data["phone_masked"] == "137****1111"
    edited = api("put", f"/households/{household.pk}/residents/{data['id']}", {"name": "王阿婆", "tags": []})
    assert edited.status_code == 200 and edited.json()["tags"] == [] and edited.json()["relation"] == "户主"
    bad = api(
        "put", f"/households/{household.pk}/residents/{data['id']}", {"name": "王阿婆", "birth_year": 1800}
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "birth_year"
    assert Resident.objects.get(pk=data["id"]).birth_year is None
    assert (
        api("post", f"/households/{household.pk}/residents", {"name": "x", "tags": ["不存在"]}).status_code
        == 400
    )
    assert Resident.objects.count() == 1
    deleted = api("delete", f"/households/{household.pk}/residents/{data['id']}")
    assert deleted.status_code == 204 and not Resident.objects.exists()


def test_the_api_refuses_residents_of_another_scope(api, grid, committee_user):
    theirs = grid["theirs"][0]
    resident = Resident.objects.create(household=theirs, name="乙居民")
    assert api("post", f"/households/{theirs.pk}/residents", {"name": "越界"}).status_code == 404
    assert api("put", f"/households/{theirs.pk}/residents/{resident.pk}", {"name": "改"}).status_code == 404
    assert api("delete", f"/households/{theirs.pk}/residents/{resident.pk}").status_code == 404
    mine = grid["mine"][0]
    assert api("delete", f"/households/{mine.pk}/residents/{resident.pk}").status_code == 404
    assert list(Resident.objects.values_list("name", flat=True)) == ["乙居民"]


def test_the_api_sets_and_clears_a_households_liaison(api, grid):
    household = grid["mine"][3] if len(grid["mine"]) > 3 else Household.objects.filter(liaison=None).first()
    assert household is not None
    response = api("put", f"/households/{household.pk}/liaison", {"member_id": grid["liaison"].pk})
    assert response.status_code == 200 and response.json()["member_name"] == "李联户"
    assert response.json()["total"] == 4
    foreign = api("put", f"/households/{household.pk}/liaison", {"member_id": grid["other_liaison"].pk})
    assert foreign.status_code == 400 and foreign.json()["errors"][0]["field"] == "liaison"
    household.refresh_from_db()
    assert household.liaison_id == grid["liaison"].pk
    cleared = api("put", f"/households/{household.pk}/liaison", {"member_id": None})
    assert cleared.status_code == 200 and cleared.json()["member_id"] is None
    theirs = grid["theirs"][0]
    assert api("put", f"/households/{theirs.pk}/liaison", {"member_id": None}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.liaison_id == grid["other_liaison"].pk


def test_the_api_assigns_many_households_to_one_liaison(api, grid):
    free = list(Household.objects.filter(zone=grid["za"], liaison=None).values_list("pk", flat=True))
    response = api("post", "/liaison-assignments", {"household_ids": free, "member_id": grid["liaison"].pk})
    assert response.status_code == 200 and response.json()["changed"] == len(free) == 2
    empty = api("post", "/liaison-assignments", {"household_ids": [], "member_id": grid["liaison"].pk})
    assert empty.status_code == 400
    mixed = [grid["mine"][0].pk, grid["theirs"][0].pk]
    assert api("post", "/liaison-assignments", {"household_ids": mixed, "member_id": None}).status_code == 404
    assert Household.objects.filter(pk__in=mixed, liaison=None).count() == 0


def test_the_api_deletes_a_visit_and_recomputes_the_last_visit(api, grid):
    household = grid["mine"][0]
    old = services.visit_record(actor=grid["liaison_user"], household_id=household.pk,
                                values={"visited_on": TODAY.replace(day=1) if TODAY.day > 1 else TODAY, "content": "早"})  # fmt: skip
    new = services.visit_record(actor=grid["liaison_user"], household_id=household.pk,
                                values={"visited_on": TODAY, "content": "晚"})  # fmt: skip
    assert api("delete", f"/visits/{new.pk}").status_code == 204
    household.refresh_from_db()
    assert household.last_visited_on == old.visited_on
    assert api("delete", "/visits/999999").status_code == 404
    theirs = Visit.objects.create(household=grid["theirs"][0], visited_on=TODAY, content="乙")
    assert api("delete", f"/visits/{theirs.pk}").status_code == 404
    assert Visit.objects.filter(pk=theirs.pk).exists()


# --- files ---------------------------------------------------------------------------------------


def test_the_api_prints_the_liaison_card_masked_and_in_full_only_by_a_logged_post(api, grid):
    url = f"/liaisons/{grid['liaison'].pk}/card"
    masked = api("get", url + "?full=true")
    assert masked.status_code == 200 and masked["Content-Type"] == "application/pdf"
    text = pdf_text(body(masked))
    assert "139****5678" in text and "13912345678" not in text and not AccessLog.objects.exists()
    full = api("post", url, {"full": True})
    assert "13912345678" in pdf_text(body(full))
    assert AccessLog.objects.get().action == AccessAction.EXPORT_UNMASKED
    assert api("post", url, {"full": "yes please"}).status_code == 422
    assert api("get", f"/liaisons/{grid['other_liaison'].pk}/card").status_code == 404
    assert api("post", f"/liaisons/{grid['other_liaison'].pk}/card", {"full": True}).status_code == 404
    assert AccessLog.objects.count() == 1


def test_a_liaison_prints_their_own_card_in_full_through_the_api_without_a_log(grid, client_for):
    client = client_for(grid["liaison_user"])
    response = client.post(f"{API}/liaisons/{grid['liaison'].pk}/card", {"full": True},
                           content_type="application/json")  # fmt: skip
    assert "13912345678" in pdf_text(body(response)) and not AccessLog.objects.exists()


def test_the_api_prints_the_household_file_masked_and_in_full_only_by_a_logged_post(api, grid):
    household = grid["mine"][0]
    masked = api("get", f"/households/{household.pk}/file")
    assert masked.status_code == 200 and "138****1234" in pdf_text(body(masked))
    full = api("post", f"/households/{household.pk}/file", {"full": True})
    assert "13800001234" in pdf_text(body(full))
    log = AccessLog.objects.get()
    assert log.action == AccessAction.EXPORT_UNMASKED and log.target_type == "grid.household"
    assert api("post", f"/households/{household.pk}/file", {"full": 1.5}).status_code == 422
    assert api("get", f"/households/{grid['theirs'][0].pk}/file").status_code == 404
    assert api("post", f"/households/{grid['theirs'][0].pk}/file", {"full": True}).status_code == 404
    assert AccessLog.objects.count() == 1


def test_the_api_exports_households_of_its_scope_with_masked_phones(api, grid):
    response = api("get", "/households-export?zone=" + str(grid["za"].pk))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(body(response))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 5 and all(r[5] == "138****1234" for r in rows)
    assert AccessLog.objects.get().action == AccessAction.EXPORT_MASKED
    other = load_workbook(BytesIO(body(api("get", f"/households-export?zone={grid['zb'].pk}")))).active
    assert other.max_row == 1  # another scope's zone: no rows
    assert api("get", "/households-export?zone=abc").status_code == 422
    full = api("post", f"/households-export?zone={grid['za'].pk}", {"full": True})
    rows = list(load_workbook(BytesIO(body(full))).active.iter_rows(min_row=2, values_only=True))
    assert all(r[5] == "13800001234" for r in rows)
    assert AccessLog.objects.filter(action=AccessAction.EXPORT_UNMASKED).count() == 1


def test_the_api_imports_a_good_workbook(api, grid, client_for, committee_user):
    upload = workbook(
        zones=[("A05", "甲五片区", "甲党委", "96345", "", "")],
        groups=[("A05", "01", "1幢服务组", "")],
        households=[("A05", "01", "甲五路1号", "孙一", "", "13600001111", "李联户", "独居老人", "")],
    )
    response = client_for(committee_user).post(f"{API}/import", {"file": upload})
    assert response.status_code == 201, response.content
    assert response.json() == {"zones": 1, "groups": 1, "households": 1, "rows": 3}
    assert Household.objects.get(address="甲五路1号").liaison_id == grid["liaison"].pk


def test_the_api_import_with_a_bad_row_saves_nothing_and_lists_the_errors(grid, client_for, committee_user):
    before = (Zone.objects.count(), Household.objects.count())
    upload = workbook(
        zones=[("A06", "甲六片区", "乙党委", "", "", "")],
        households=[("A01", "01", "甲片区新1号", "钱一", "", "", "", "", ""),
                    ("A01", "99", "甲片区新2号", "钱二", "", "", "", "", "")],
    )  # fmt: skip
    response = client_for(committee_user).post(f"{API}/import", {"file": upload})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {(e["sheet"], e["row"]) for e in errors} >= {("片区", 2), ("住户", 3)}
    assert all(e["code"] == "grid.import_row" and e["message"] for e in errors)
    assert (Zone.objects.count(), Household.objects.count()) == before
    not_excel = client_for(committee_user).post(f"{API}/import", {"file": BytesIO(b"hello")})
    assert not_excel.status_code in (400, 422)


def test_the_api_import_is_not_there_for_those_who_cannot_change_the_grid(grid, client_for):
    upload = workbook(zones=[("A07", "甲七片区", "甲党委", "", "", "")])
    response = client_for(grid["liaison_user"]).post(f"{API}/import", {"file": upload})
    assert response.status_code == 404 and not Zone.objects.filter(code="A07").exists()
