"""Who sees what: another scope's zones, households and lists are invisible on pages and in the API;
a liaison sees their own households and may log visits for them only."""

from __future__ import annotations

import pytest
from django.http import Http404

from apps.core.scoping import Perm
from apps.grid import selectors
from apps.grid.models import Household


def test_zone_scope_follows_grants_and_zone_leadership(
    grid, admin_user, committee_user, leader_user, b_leader, member_user
):
    za, zb = grid["za"], grid["zb"]
    assert set(selectors.zones_for(admin_user)) == {za, zb}
    assert set(selectors.zones_for(committee_user)) == {za}
    assert set(selectors.zones_for(leader_user)) == {za}
    assert set(selectors.zones_for(b_leader)) == {zb}
    assert set(selectors.zones_for(member_user)) == set()
    assert set(selectors.zones_for(b_leader, Perm.GRID_CHANGE)) == {zb}
    with pytest.raises(Http404):
        selectors.access_zone(committee_user, zb.pk)
    with pytest.raises(Http404):
        selectors.access_zone(b_leader, za.pk, Perm.GRID_CHANGE)


def test_a_branch_secretary_without_grid_rights_sees_no_grid(grid, secretary_user):
    assert not selectors.may_view_grid(secretary_user)
    assert selectors.households_for(secretary_user).count() == 0


def test_a_liaison_sees_only_their_own_households(grid):
    user = grid["liaison_user"]
    assert selectors.may_view_grid(user)
    assert not selectors.may_oversee(user)
    assert set(selectors.households_for(user)) == set(grid["mine"])
    assert selectors.households_for(user, Perm.GRID_CHANGE).count() == 0
    other = Household.objects.filter(zone=grid["za"], liaison__isnull=True).first()
    with pytest.raises(Http404):
        selectors.access_household(user, other.pk)
    assert selectors.can_visit(user, grid["mine"][0])


def test_a_member_who_is_no_liaison_has_no_grid_menu(grid, member_user):
    assert not selectors.may_view_grid(member_user)


@pytest.mark.parametrize(
    "url",
    [
        "/grid/zones/{zb}/",
        "/grid/zones/{zb}/edit/",
        "/grid/zones/{zb}/cards.pdf",
        "/grid/zones/{zb}/groups/new/",
        "/grid/households/{theirs}/",
        "/grid/households/{theirs}/edit/",
        "/grid/households/{theirs}/file.pdf",
        "/grid/households/{theirs}/visits/new/",
        "/grid/households/{theirs}/residents/new/",
        "/grid/liaisons/{other}/card.pdf",
        "/api/v1/grid/zones/{zb}",
        "/api/v1/grid/households/{theirs}",
        "/api/v1/grid/households/{theirs}/residents",
        "/api/v1/grid/coverage?zone={zb}",
        "/api/v1/grid/coverage/without-liaison?zone={zb}",
        "/api/v1/grid/coverage/liaisons-over-limit?zone={zb}",
    ],
)
def test_another_zones_pages_and_api_answer_404(grid, committee_user, client_for, url):
    client = client_for(committee_user)
    ids = {"zb": grid["zb"].pk, "theirs": grid["theirs"][0].pk, "other": grid["other_liaison"].pk}
    assert client.get(url.format(**ids)).status_code == 404


def test_lists_of_one_scope_do_not_show_another(grid, committee_user, client_for):
    client = client_for(committee_user)
    theirs = grid["theirs"][0]
    page = client.get("/grid/households/").content.decode()
    assert grid["mine"][0].address in page and theirs.address not in page
    index = client.get("/grid/").content.decode()
    assert "甲片区" in index and "乙片区" not in index
    liaisons = client.get("/grid/liaisons/").content.decode()
    assert "李联户" in liaisons and grid["other_liaison"].name not in liaisons
    body = client.get("/api/v1/grid/households?page=1").json()
    assert body["count"] == 5 and theirs.pk not in [h["id"] for h in body["results"]]
    assert [z["code"] for z in client.get("/api/v1/grid/zones").json()] == ["A01"]
    # A zone filter naming another scope's zone shows nothing rather than its households.
    assert client.get(f"/api/v1/grid/households?zone={grid['zb'].pk}").json()["count"] == 0
    export = client.get(f"/grid/households/export.xlsx?zone={grid['zb'].pk}")
    assert export.status_code == 200


def test_a_liaison_cannot_reach_zone_pages_but_sees_their_households(grid, client_for):
    client = client_for(grid["liaison_user"])
    assert client.get("/grid/").status_code == 302  # → my households
    assert client.get(f"/grid/zones/{grid['za'].pk}/").status_code == 404
    assert client.get("/grid/liaisons/").status_code == 404
    assert client.get("/api/v1/grid/coverage").status_code == 404
    mine = client.get("/grid/mine/")
    assert mine.status_code == 200
    for h in grid["mine"]:
        assert h.address in mine.content.decode()
    assert client.get(f"/grid/households/{grid['mine'][0].pk}/").status_code == 200
    assert client.get(f"/grid/households/{grid['mine'][0].pk}/edit/").status_code == 404
    assert len(client.get("/api/v1/grid/mine").json()) == 3
    assert client.get(f"/grid/liaisons/{grid['liaison'].pk}/card.pdf").status_code == 200


def test_anonymous_users_are_sent_to_login_and_refused_by_the_api(grid, client):
    assert client.get("/grid/").status_code == 302
    assert client.get("/api/v1/grid/zones").status_code == 401


def test_the_liaison_filter_picker_offers_only_liaisons_of_visible_households(
    grid, committee_user, b_leader, client_for
):
    mine = client_for(committee_user).get("/grid/pick-member/?purpose=filter&q=李").content.decode()
    assert "李联户" in mine
    theirs = client_for(b_leader).get("/grid/pick-member/?purpose=filter&q=李").content.decode()
    assert "李联户" not in theirs
    assert client_for(grid["liaison_user"]).get("/grid/pick-member/?q=李").status_code == 404
