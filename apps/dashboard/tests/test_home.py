import json

from apps.core.testing.factories import make_members, make_org
from apps.core.testing.queries import assert_constant_queries


def chart_data(response):
    html = response.content.decode()
    start = html.index('id="chart-data"')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_home_counts_only_the_scope(client_for, zone, committee_user):
    make_members(zone["a1"], 4)
    make_members(zone["b1"], 6)
    response = client_for(committee_user).get("/")
    assert response.context["figures"]["members_total"] == 4
    data = chart_data(response)
    employed = next(s for s in data["category"] if s["name"] == "在职")
    assert employed["value"] == 4 and employed["url"] == "/members/?category=employed"


def test_home_lists_organization_warnings_with_links(client_for, zone, admin_user):
    make_members(zone["a1"], 1)
    body = client_for(admin_user).get("/").content.decode()
    assert "不足3名" in body and f"/orgs/{zone['a1'].pk}/" in body


def test_home_queries_do_not_grow_with_rows(client_for, zone, admin_user):
    def grow():
        for i in range(4):
            make_members(make_org(f"新支部{i}", "branch", zone["b"]), 5)

    assert_constant_queries(client_for(admin_user), "/", grow)


def test_member_home_shows_their_own_record_only(client_for, zone, member_user):
    make_members(zone["a1"], 5)
    response = client_for(member_user).get("/")
    assert response.context["figures"]["members_total"] == 1
    assert "orgs_total" not in response.context["figures"]
