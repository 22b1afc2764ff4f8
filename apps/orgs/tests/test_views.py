import pytest

from apps.core.testing.factories import make_members, make_org
from apps.core.testing.queries import assert_constant_queries


def test_tree_shows_only_the_users_roots(client_for, zone, committee_user):
    body = client_for(committee_user).get("/orgs/").content.decode()
    assert "甲党委" in body
    assert "乙党委" not in body and "测试开发区党工委" not in body


@pytest.mark.parametrize("name", ["b", "b1", "root"])
def test_organizations_outside_the_scope_answer_404(client_for, zone, committee_user, name):
    client = client_for(committee_user)
    assert client.get(f"/orgs/{zone[name].pk}/").status_code == 404
    assert client.get(f"/orgs/{zone[name].pk}/edit/").status_code == 404
    assert client.get(f"/orgs/tree/{zone[name].pk}/").status_code == 404


def test_search_and_type_list_stay_in_scope(client_for, zone, committee_user):
    client = client_for(committee_user)
    assert "乙一支部" not in client.get("/orgs/search/?q=支部").content.decode()
    body = client.get("/orgs/?type=branch").content.decode()
    assert "甲一支部" in body and "乙一支部" not in body


def test_detail_shows_members_committee_children_and_warnings(client_for, zone, admin_user):
    make_members(zone["a1"], 2)
    body = client_for(admin_user).get(f"/orgs/{zone['a1'].pk}/").content.decode()
    assert "甲一支部" in body
    assert "不足3名" in body


def test_secretary_cannot_edit_or_move(client_for, zone, secretary_user):
    client = client_for(secretary_user)
    assert client.get(f"/orgs/{zone['a1'].pk}/").status_code == 200
    assert client.get(f"/orgs/{zone['a1'].pk}/edit/").status_code == 404
    assert client.get(f"/orgs/{zone['a1'].pk}/move/").status_code == 404


def test_create_from_the_form(client_for, zone, committee_user):
    response = client_for(committee_user).post(
        f"/orgs/new/?parent={zone['a'].pk}",
        {
            "name": "甲三支部",
            "org_type": "branch",
            "unit_kind": "enterprise",
            "formation_mode": "single",
            "parent": zone["a"].pk,
        },
    )
    assert response.status_code == 302


def test_create_with_a_bad_type_shows_the_reason(client_for, zone, committee_user):
    response = client_for(committee_user).post(
        f"/orgs/new/?parent={zone['a1'].pk}",
        {
            "name": "错",
            "org_type": "committee",
            "unit_kind": "other",
            "formation_mode": "single",
            "parent": zone["a1"].pk,
        },
    )
    assert response.status_code == 200
    assert "下不能设立" in response.content.decode()


def test_move_form_moves_and_records(client_for, zone, admin_user):
    response = client_for(admin_user).post(
        f"/orgs/{zone['a1'].pk}/move/",
        {"new_parent": zone["b"].pk, "effective_on": "2026-01-05", "reason": "划转"},
    )
    assert response.status_code == 302
    zone["a1"].refresh_from_db()
    assert zone["a1"].parent_id == zone["b"].pk


def test_organization_page_queries_do_not_grow_with_children_or_members(client_for, zone, admin_user):
    client = client_for(admin_user)

    def grow():
        for i in range(5):
            child = make_org(f"新增支部{i}", "branch", zone["a"])
            make_members(child, 3)
        make_members(zone["a1"], 10)

    assert_constant_queries(client, f"/orgs/{zone['a'].pk}/", grow)
