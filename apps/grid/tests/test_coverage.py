"""The checkable contract: grid_coverage counts households, those without a liaison, liaisons over the
limit and households not visited within the window — compared with a plain count in Python."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core.testing.factories import make_members
from apps.grid.models import Household
from apps.grid.selectors import coverage_by_zone, grid_coverage, grid_coverage_for

TODAY = dt.date(2026, 6, 30)


def test_coverage_of_the_small_grid_counts_each_gap(grid):
    za, zb = grid["za"], grid["zb"]
    Household.objects.filter(zone=za, code__endswith="001").update(
        last_visited_on=TODAY - dt.timedelta(days=3)
    )
    Household.objects.filter(zone=za, code__endswith="002").update(
        last_visited_on=TODAY - dt.timedelta(days=30)
    )
    Household.objects.filter(zone=za, code__endswith="003").update(
        last_visited_on=TODAY - dt.timedelta(days=31)
    )
    assert grid_coverage(za, today=TODAY) == {
        "households": 5, "without_liaison": 2, "liaisons_over_limit": 0, "not_visited": 1,
    }  # fmt: skip
    # A zone by its id, all zones by None, a shorter window.
    assert grid_coverage(za.pk, today=TODAY)["households"] == 5
    assert grid_coverage(str(zb.pk), today=TODAY)["without_liaison"] == 0
    assert grid_coverage(None, today=TODAY)["households"] == 7
    # Both groups have a …-001 and …-002 household: seen 3 and 30 days ago; only …-003 is past 30 days.
    assert grid_coverage(za, today=TODAY, window_days=10)["not_visited"] == 3


def test_a_liaison_over_the_limit_is_counted_once_and_the_limit_is_configurable(grid, settings):
    za, ga2 = grid["za"], grid["ga2"]
    from apps.grid.tests.conftest import add_households

    add_households(za, ga2, 8, liaison=grid["liaison"], start=50)  # 3 + 8 = 11 households
    assert grid_coverage(za)["liaisons_over_limit"] == 1
    assert grid_coverage(grid["zb"])["liaisons_over_limit"] == 0
    settings.XF_GRID_LIAISON_LIMIT = 11
    assert grid_coverage(za)["liaisons_over_limit"] == 0
    settings.XF_GRID_LIAISON_LIMIT = 2
    assert grid_coverage(None)["liaisons_over_limit"] == 1  # other liaison keeps exactly 2: not over


def test_households_that_moved_out_do_not_count(grid):
    Household.objects.filter(zone=grid["za"], liaison__isnull=True).update(is_active=False)
    assert grid_coverage(grid["za"]) == {
        "households": 3, "without_liaison": 0, "liaisons_over_limit": 0, "not_visited": 3,
    }  # fmt: skip


def test_the_window_defaults_to_the_setting(grid, settings):
    Household.objects.filter(zone=grid["za"]).update(last_visited_on=TODAY - dt.timedelta(days=20))
    assert grid_coverage(grid["za"], today=TODAY)["not_visited"] == 0
    settings.XF_GRID_VISIT_WINDOW_DAYS = 15
    assert grid_coverage(grid["za"], today=TODAY)["not_visited"] == 5


def test_coverage_costs_two_queries_at_any_size(grid, django_assert_num_queries):
    with django_assert_num_queries(2):
        grid_coverage(grid["za"])
    with django_assert_num_queries(2):
        grid_coverage(None)


def test_the_scoped_coverage_sees_only_the_users_zones(
    grid, committee_user, leader_user, b_leader, member_user
):
    assert grid_coverage_for(committee_user)["households"] == 5
    assert grid_coverage_for(leader_user)["households"] == 5
    assert grid_coverage_for(b_leader)["households"] == 2
    assert grid_coverage_for(member_user)["households"] == 0
    with pytest.raises(Http404):
        grid_coverage_for(committee_user, grid["zb"].pk)
    with pytest.raises(Http404):
        grid_coverage_for(b_leader, grid["za"])
    assert grid_coverage_for(b_leader, grid["zb"].pk)["households"] == 2


def test_coverage_by_zone_agrees_with_one_zone_at_a_time(grid):
    from apps.grid.models import Zone
    from apps.grid.tests.conftest import add_households

    add_households(grid["zb"], grid["gb1"], 9, liaison=grid["other_liaison"], start=40)
    per_zone = coverage_by_zone(Zone.objects.all())
    for zone in Zone.objects.all():
        assert per_zone[zone.pk] == grid_coverage(zone)


household_spec = st.tuples(
    st.integers(min_value=0, max_value=1),  # zone index
    st.one_of(st.none(), st.integers(min_value=0, max_value=4)),  # liaison index or none
    st.one_of(st.none(), st.integers(min_value=0, max_value=80)),  # days since the last visit, or never
    st.booleans(),  # active
)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    specs=st.lists(household_spec, max_size=40),
    window=st.integers(min_value=0, max_value=60),
    limit=st.integers(min_value=0, max_value=6),
)
def test_coverage_matches_a_plain_count(grid, specs, window, limit):
    from django.conf import settings as django_settings

    Household.objects.all().delete()
    members = grid.setdefault(
        "pool", [grid["liaison"], grid["other_liaison"], *make_members(grid["za"].org, 3)]
    )
    zones, groups = [grid["za"], grid["zb"]], [grid["ga1"], grid["gb1"]]
    rows = []
    for n, (z, liaison, days, active) in enumerate(specs):
        rows.append(
            Household(zone=zones[z], group=groups[z], org_path=zones[z].org_path, code=f"H{n}", address=f"地址{n}",
                      head_name="户主", liaison=None if liaison is None else members[liaison], is_active=active,
                      last_visited_on=None if days is None else TODAY - dt.timedelta(days=days))
        )  # fmt: skip
    Household.objects.bulk_create(rows)
    old = getattr(django_settings, "XF_GRID_LIAISON_LIMIT", None)
    django_settings.XF_GRID_LIAISON_LIMIT = limit
    try:
        for zone in (None, zones[0], zones[1].pk):
            zone_id = zone.pk if hasattr(zone, "pk") else zone
            chosen = [r for r in rows if r.is_active and (zone_id is None or r.zone_id == zone_id)]
            per_liaison: dict[int, int] = {}
            for r in chosen:
                if r.liaison_id:
                    per_liaison[r.liaison_id] = per_liaison.get(r.liaison_id, 0) + 1
            cutoff = TODAY - dt.timedelta(days=window)
            expected = {
                "households": len(chosen),
                "without_liaison": sum(1 for r in chosen if r.liaison_id is None),
                "liaisons_over_limit": sum(1 for n in per_liaison.values() if n > limit),
                "not_visited": sum(
                    1 for r in chosen if r.last_visited_on is None or r.last_visited_on < cutoff
                ),
            }
            assert grid_coverage(zone, window_days=window, today=TODAY) == expected
    finally:
        if old is None:
            del django_settings.XF_GRID_LIAISON_LIMIT
        else:
            django_settings.XF_GRID_LIAISON_LIMIT = old
