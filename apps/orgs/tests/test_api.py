def test_tree_roots_and_children_are_scoped(client_for, zone, committee_user):
    client = client_for(committee_user)
    roots = client.get("/api/v1/orgs/tree").json()
    assert [r["name"] for r in roots] == ["甲党委"]
    children = client.get(f"/api/v1/orgs/tree?parent={zone['a'].pk}").json()
    assert {c["name"] for c in children} == {"甲一支部", "甲二支部"}
    assert client.get(f"/api/v1/orgs/tree?parent={zone['b'].pk}").status_code == 404


def test_detail_outside_scope_is_404_with_a_structured_error(client_for, zone, committee_user):
    response = client_for(committee_user).get(f"/api/v1/orgs/{zone['b1'].pk}")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


def test_detail_in_scope_has_figures_and_warnings(client_for, zone, committee_user):
    body = client_for(committee_user).get(f"/api/v1/orgs/{zone['a1'].pk}").json()
    assert body["name"] == "甲一支部"
    assert body["members_full"] == 0
    assert any(w["code"] == "branch.too_few_full_members" for w in body["warnings"])


def test_anonymous_gets_401(client, zone):
    assert client.get("/api/v1/orgs/tree").status_code == 401
