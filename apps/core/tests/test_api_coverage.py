"""The branch-work modules answer through the API with the same scopes as the pages."""

from apps.alerts.store import refresh_alerts
from apps.core.testing.factories import make_member, make_members


def test_alerts_lost_contact_and_pioneer_endpoints(zone, secretary_user, client_for):
    make_members(zone["a1"], 2)
    refresh_alerts()
    client = client_for(secretary_user)
    alerts = client.get("/api/v1/alerts").json()
    assert alerts and all(a["org_id"] == zone["a1"].pk for a in alerts)
    assert client.post(f"/api/v1/alerts/{alerts[0]['id']}/read").json()["is_read"] is True
    member = make_member(zone["a1"])
    opened = client.post(
        "/api/v1/lost-contact",
        {"member_id": member.pk, "reason": "居住地改变"},
        content_type="application/json",
    )
    assert opened.status_code == 201
    again = client.post(
        "/api/v1/lost-contact", {"member_id": member.pk, "reason": "x"}, content_type="application/json"
    )
    assert again.status_code == 409
    scores = client.get(f"/api/v1/pioneer/scores?org={zone['a1'].pk}").json()
    assert len(scores) == 3 and scores[0]["rank"] == 1
    assert client.get(f"/api/v1/pioneer/scores?org={zone['b1'].pk}").status_code == 404


def test_openapi_lists_every_module(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for prefix in (
        "/api/v1/dues/",
        "/api/v1/meetings",
        "/api/v1/development",
        "/api/v1/transfers",
        "/api/v1/lost-contact",
        "/api/v1/pioneer/",
        "/api/v1/alerts",
    ):
        assert any(p.startswith(prefix) for p in paths), prefix
