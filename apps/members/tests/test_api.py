import pytest

from apps.core.testing.factories import make_member, member_values


@pytest.fixture
def token(client, secretary_user):
    response = client.post(
        "/api/v1/auth/token",
        {"username": secretary_user.username, "password": "Test@12345678"},
        content_type="application/json",
    )
    assert response.status_code == 200
    return response.json()["token"]


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_token_with_wrong_password_is_401(client, secretary_user):
    response = client.post(
        "/api/v1/auth/token",
        {"username": secretary_user.username, "password": "wrong"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "auth.invalid"


def test_repeated_failures_lock_the_account(client, secretary_user):
    for _ in range(5):
        client.post(
            "/api/v1/auth/token",
            {"username": secretary_user.username, "password": "wrong"},
            content_type="application/json",
        )
    response = client.post(
        "/api/v1/auth/token",
        {"username": secretary_user.username, "password": "Test@12345678"},
        content_type="application/json",
    )
    assert response.status_code == 429
    assert response.json()["errors"][0]["code"] == "auth.locked"


def test_list_with_a_bearer_token_is_scoped_and_masked(client, zone, token):
    own = make_member(zone["a1"], name="张三")
    make_member(zone["a2"], name="张四")
    body = client.get("/api/v1/members?q=zs&with_count=true", **bearer(token)).json()
    assert [m["id"] for m in body["items"]] == [own.pk]
    assert body["count"] == 1
    assert "********" in body["items"][0]["citizen_id_masked"]
    assert "phone" not in body["items"][0]


def test_detail_outside_scope_is_404(client, zone, token):
    other = make_member(zone["b1"])
    assert client.get(f"/api/v1/members/{other.pk}", **bearer(token)).status_code == 404


def test_invalid_token_is_401(client, zone):
    assert client.get("/api/v1/members", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_create_returns_201_and_errors_name_the_field(client, zone, token):
    values = member_values(zone["a1"])
    payload = {
        "name": values["name"],
        "citizen_id": values["citizen_id"],
        "org_id": zone["a1"].pk,
        "admission_date": values["admission_date"].isoformat(),
    }
    response = client.post("/api/v1/members", payload, content_type="application/json", **bearer(token))
    assert response.status_code == 201
    assert response.json()["status"] == "probationary"
    again = client.post("/api/v1/members", payload, content_type="application/json", **bearer(token))
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "citizen_id"
    wrong_org = client.post(
        "/api/v1/members",
        payload | {"org_id": zone["b1"].pk},
        content_type="application/json",
        **bearer(token),
    )
    assert wrong_org.status_code == 400 and wrong_org.json()["errors"][0]["field"] == "org_id"
    bad_date = client.post(
        "/api/v1/members",
        payload | {"admission_date": "yesterday"},
        content_type="application/json",
        **bearer(token),
    )
    assert bad_date.status_code == 422 and bad_date.json()["errors"][0]["field"] == "admission_date"


def test_patch_changes_only_the_given_fields(client, zone, token):
    member = make_member(zone["a1"], name="旧名")
    response = client.patch(
        f"/api/v1/members/{member.pk}",
        {"name": "新名", "reason": "更正"},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 200 and response.json()["name"] == "新名"
    assert member.history.filter(history_change_reason="更正").exists()
    outside = make_member(zone["b1"])
    assert (
        client.patch(
            f"/api/v1/members/{outside.pk}", {"name": "x"}, content_type="application/json", **bearer(token)
        ).status_code
        == 404
    )


def test_session_auth_works_and_needs_csrf_for_writes(zone, secretary_user):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(secretary_user)
    assert browser.get("/api/v1/members").status_code == 200
    values = member_values(zone["a1"])
    payload = {
        "name": values["name"],
        "citizen_id": values["citizen_id"],
        "org_id": zone["a1"].pk,
        "admission_date": values["admission_date"].isoformat(),
    }
    assert browser.post("/api/v1/members", payload, content_type="application/json").status_code in {401, 403}


def test_reveal_through_the_api_is_logged(client, zone, token):
    from apps.core.models import AccessLog

    values = member_values(zone["a1"])
    member = make_member(zone["a1"], citizen_id=values["citizen_id"])
    response = client.post(
        f"/api/v1/members/{member.pk}/reveal",
        {"field": "citizen_id"},
        content_type="application/json",
        **bearer(token),
    )
    assert response.json()["value"] == values["citizen_id"]
    assert AccessLog.objects.filter(target_id=member.pk).count() == 1


def test_openapi_document_lists_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/auth/token",
        "/api/v1/orgs/tree",
        "/api/v1/orgs/{org_id}",
        "/api/v1/members",
        "/api/v1/members/{member_id}",
    ):
        assert path in spec["paths"]
