"""Shared fixtures: a small zone with two committees and branches, and users scoped to its parts."""

from __future__ import annotations

import pytest

from apps.core.scoping import Role
from apps.core.testing.factories import UserFactory, grant, make_member, make_org


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.XF_JOBS = "inline"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.AXES_ENABLED = True
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def zone(db):  # type: ignore[no-untyped-def]
    """root 党工委 → committee A (branch A1, A2) and committee B (branch B1)."""
    root = make_org("测试开发区党工委", "working_committee")
    committee_a = make_org("甲党委", "committee", root)
    committee_b = make_org("乙党委", "committee", root)
    a1 = make_org("甲一支部", "branch", committee_a)
    a2 = make_org("甲二支部", "branch", committee_a)
    b1 = make_org("乙一支部", "branch", committee_b)
    return {"root": root, "a": committee_a, "b": committee_b, "a1": a1, "a2": a2, "b1": b1}


@pytest.fixture
def admin_user(zone):  # type: ignore[no-untyped-def]
    return grant(UserFactory(username="zone-admin"), Role.ZONE_ADMIN, zone["root"])


@pytest.fixture
def committee_user(zone):  # type: ignore[no-untyped-def]
    return grant(UserFactory(username="committee-a"), Role.COMMITTEE_ADMIN, zone["a"])


@pytest.fixture
def secretary_user(zone):  # type: ignore[no-untyped-def]
    return grant(UserFactory(username="secretary-a1"), Role.BRANCH_SECRETARY, zone["a1"])


@pytest.fixture
def member_user(zone):  # type: ignore[no-untyped-def]
    user = UserFactory(username="member-a1")
    make_member(zone["a1"], user=user, name="张三")
    return user


@pytest.fixture
def client_for(client):  # type: ignore[no-untyped-def]
    def login(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return login
