from django.conf import settings

from apps.core.testing.factories import UserFactory


def test_login_page_then_home(client, zone):
    UserFactory(username="alice")
    response = client.post("/accounts/login/", {"username": "alice", "password": "Test@12345678"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_pages_need_a_login(client, zone):
    assert client.get("/members/").url.startswith("/accounts/login/")


def test_five_failures_lock_the_login(client, zone):
    UserFactory(username="bob")
    for _ in range(5):
        client.post("/accounts/login/", {"username": "bob", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "bob", "password": "Test@12345678"})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_sessions_expire_when_idle_and_passwords_use_argon2():
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_SAVE_EVERY_REQUEST
    from xianfeng import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_logout_needs_post(client, zone):
    user = UserFactory(username="carol")
    client.force_login(user)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_checks_the_old_one_and_the_rules(client, zone):
    user = UserFactory(username="dave")
    client.force_login(user)
    weak = client.post(
        "/accounts/password/",
        {"old_password": "Test@12345678", "new_password1": "12345", "new_password2": "12345"},
    )
    assert weak.status_code == 200 and "new_password2" in weak.context["form"].errors
    ok = client.post(
        "/accounts/password/",
        {
            "old_password": "Test@12345678",
            "new_password1": "Xf-Strong-Pass-2026",
            "new_password2": "Xf-Strong-Pass-2026",
        },
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Xf-Strong-Pass-2026")
