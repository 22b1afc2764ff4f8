"""The demo grid loads on the demo zone's communities, is idempotent, and shows every coverage gap."""

from __future__ import annotations

import random

import pytest
from django.test import Client

from apps.accounts.models import User
from apps.core.demo import grid as demo_grid
from apps.core.testing.factories import make_members, make_org
from apps.grid.models import Household, Resident, Visit, Zone
from apps.grid.selectors import grid_coverage, liaison_limit


@pytest.fixture
def communities(db):
    root = make_org("杭州经济技术开发区党工委", "working_committee")
    street = make_org("下沙街道党工委", "street_committee", root)
    shangsha = make_org("上沙社区党委", "committee", street, unit_kind="community")
    for n in ("一", "二"):
        make_members(make_org(f"上沙社区第{n}党支部", "branch", shangsha, unit_kind="community"), 25)
    baiyang = make_org("白杨街道党工委", "street_committee", root)
    huilan = make_org("滙澜社区党委", "committee", baiyang, unit_kind="community")
    make_members(make_org("滙澜社区第一党支部", "branch", huilan, unit_kind="community"), 25)
    system = User.objects.create(username="system", display_name="系统", is_active=False)
    return {"system": system, "shangsha": shangsha}


def test_the_demo_grid_loads_once_with_gaps_to_show(communities):
    created = demo_grid.load(communities["system"], random.Random(2026))
    assert created == 190 + 160 + 180
    assert demo_grid.load(communities["system"], random.Random(1)) == 0
    assert Zone.objects.count() == 3  # the communities that exist here
    figures = grid_coverage()
    assert figures["households"] == created
    assert 0 < figures["without_liaison"] < created * 0.1
    assert figures["liaisons_over_limit"] >= 2
    assert 0 < figures["not_visited"] < created / 2
    assert Resident.objects.filter(tags__contains=",elderly_alone,").exists()
    for h in Household.objects.exclude(last_visited_on=None)[:50]:
        assert h.last_visited_on == max(
            Visit.objects.filter(household=h).values_list("visited_on", flat=True)
        )
    liaisons = Household.objects.exclude(liaison=None).values("liaison").distinct().count()
    assert liaisons * liaison_limit() >= created * 0.8  # about ten households each
    leader = User.objects.get(username="demo-grid")
    assert leader.display_name == "片长" and leader.check_password("Xianfeng@2026")
    assert set(leader.grid_zones.values_list("code", flat=True)) == {"XS-SS01", "XS-SS02"}
    client = Client()
    client.force_login(leader)
    page = client.get("/grid/")
    assert (
        page.status_code == 200
        and "上沙社区第一片" in page.content.decode()
        and "滙澜" not in page.content.decode()
    )
    liaison = User.objects.get(username="demo-liaison")
    client.force_login(liaison)
    assert "记录走访" in client.get("/grid/mine/").content.decode()


def test_every_demo_relatives_birth_year_fits_their_relation_to_the_head(communities):
    demo_grid.load(communities["system"], random.Random(2026))
    heads = dict(Resident.objects.filter(relation="户主").values_list("household_id", "birth_year"))
    checked = 0
    for household_id, relation, year in Resident.objects.exclude(relation="户主").values_list(
        "household_id", "relation", "birth_year"
    ):
        head = heads[household_id]
        gap = year - head  # positive: born after the head
        assert {
            "配偶": abs(gap) <= 15,
            "子女": gap >= 18,
            "父母": gap <= -18,
            "孙子女": gap >= 36,
        }[relation], (relation, head, year)
        checked += 1
    assert checked > 100
