"""A small grid: zone A under committee A (two groups), zone B under committee B, liaison members, and
users for each role."""

from __future__ import annotations

import pytest

from apps.core.scoping import Role
from apps.core.testing.factories import UserFactory, grant, make_member, make_members
from apps.grid import services
from apps.grid.models import Group, Household, Zone


def add_households(zone: Zone, group: Group, count: int, *, liaison=None, start: int = 1) -> list[Household]:
    rows = [
        Household(zone=zone, group=group, org_path=zone.org_path, code=f"{zone.code}-{group.code}-{n:03d}",
                  address=f"{zone.name}{group.name}{n}号", head_name=f"户主{n}", phone="13800001234", liaison=liaison)
        for n in range(start, start + count)
    ]  # fmt: skip
    return Household.objects.bulk_create(rows)


@pytest.fixture
def grid(zone, admin_user):
    za = services.zone_save(
        actor=admin_user,
        values={"code": "A01", "name": "甲片区", "org": zone["a"].pk, "hotline": "0571-86000001"},
    )
    zb = services.zone_save(
        actor=admin_user,
        values={"code": "B01", "name": "乙片区", "org": zone["b"].pk, "hotline": "0571-86000002"},
    )
    ga1 = services.group_save(actor=admin_user, zone_id=za.pk, values={"code": "01", "name": "1幢服务组"})
    ga2 = services.group_save(actor=admin_user, zone_id=za.pk, values={"code": "02", "name": "2幢服务组"})
    gb1 = services.group_save(actor=admin_user, zone_id=zb.pk, values={"code": "01", "name": "东区服务组"})
    liaison_user = UserFactory(username="liaison-a", display_name="李联户")
    liaison = make_member(zone["a1"], user=liaison_user, name="李联户", phone="13912345678")
    other_liaison = make_members(zone["b1"], 1)[0]
    mine = add_households(za, ga1, 3, liaison=liaison)
    add_households(za, ga2, 2)
    theirs = add_households(zb, gb1, 2, liaison=other_liaison)
    return {
        "za": za, "zb": zb, "ga1": ga1, "ga2": ga2, "gb1": gb1, "liaison_user": liaison_user, "liaison": liaison,
        "other_liaison": other_liaison, "mine": mine, "theirs": theirs,
    }  # fmt: skip


@pytest.fixture
def leader_user(zone, grid):
    """A grid leader (片长) of zone A: a GRID_LEADER grant on committee A and one of the zone's leaders."""
    user = grant(UserFactory(username="grid-leader", display_name="片长"), Role.GRID_LEADER, zone["a"])
    grid["za"].leaders.add(user)
    return user


@pytest.fixture
def b_leader(zone, grid):
    """Leads zone B only through the zone's leaders list (no role grant)."""
    user = UserFactory(username="b-leader", display_name="乙片长")
    grid["zb"].leaders.add(user)
    return user
