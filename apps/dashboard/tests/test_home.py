import json
from decimal import Decimal

from django.utils import timezone

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
    assert response.context["figures"]["stats"]["members.total"].value == 4
    data = chart_data(response)
    employed = next(s for s in data["category"] if s["name"] == "在职")
    assert employed["value"] == 4 and employed["url"] == "/members/?category=employed"


def test_home_lists_organization_warnings_with_links(client_for, zone, admin_user):
    from apps.alerts.store import refresh_alerts

    make_members(zone["a1"], 1)
    refresh_alerts()  # the rules engine checks every organization; the home page shows what it found
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
    assert response.context["figures"]["stats"]["members.total"].value == 1
    assert "orgs.total" not in response.context["figures"]["stats"]
    assert not response.context["figures"]["has"]["coverage"]


def test_home_shows_coverage_compliance_and_the_trend_with_links(client_for, zone, admin_user):
    import datetime as dt

    from apps.core.snapshots import backfill
    from apps.coverage import services
    from apps.coverage.rules import make_credit_code
    from apps.meetings.models import Meeting

    park = services.park_save(
        actor=admin_user, values={"name": "工业园", "park_type": "industrial", "org": zone["a"].pk}
    )
    for n, status in enumerate(["own", "none"]):
        services.unit_create(
            actor=admin_user,
            values={
                "kind": "enterprise",
                "name": f"企业{n}",
                "credit_code": make_credit_code(n + 10),
                "sector": "C",
                "size_class": "small",
                "park": park.pk,
                "established_on": "2015-01-01",
                "status": status,
                "covering_org": zone["a1"].pk if status == "own" else "",
            },
        )
    make_members(zone["a1"], 3)
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=3)
    Meeting.objects.create(
        org=zone["a1"],
        org_path=zone["a1"].path,
        meeting_type="theme_day",
        topic="主题党日",
        date=last_month,
        status="held",
    )
    backfill(3)
    response = client_for(admin_user).get("/")
    figures = response.context["figures"]
    assert figures["stats"]["coverage.org_rate"].value == Decimal("0.5000")
    assert figures["stats"]["coverage.org_rate"].link == "/coverage/units/?status=org_covered"
    data = chart_data(response)
    assert data["coverage"]["categories"] == ["工业园区"] and data["coverage"]["series"][0]["values"] == [
        50.0
    ]
    assert data["coverage"]["urls"] == ["/coverage/units/?park_type=industrial"]
    assert data["trend"]["series"][0]["values"][-1] == 3
    theme_day = next(c for c in figures["compliance"] if "主题党日" in c.label)
    assert theme_day.value == Decimal("0.3333")  # one of the three branches


def test_the_big_screen_shows_the_zone_and_is_refused_to_a_member(client_for, zone, admin_user, member_user):
    body = client_for(admin_user).get("/screen/").content.decode()
    assert 'data-testid="screen-kpis"' in body and 'http-equiv="refresh"' in body
    assert client_for(member_user).get("/screen/").status_code == 404
