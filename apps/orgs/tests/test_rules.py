import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apps.orgs.rules import org_warnings, re_election_due

TODAY = dt.date(2026, 11, 22)


def warnings(**kwargs):
    base = {
        "org_type": "branch",
        "full_members": 5,
        "total_members": 5,
        "committee_size": 0,
        "last_election_on": dt.date(2025, 1, 1),
        "founded_on": dt.date(2020, 1, 1),
        "end_date": None,
        "is_active": True,
        "today": TODAY,
    }
    return {w.code for w in org_warnings(**(base | kwargs))}


def test_branch_with_fewer_than_three_full_members_is_flagged():
    assert "branch.too_few_full_members" in warnings(full_members=2)
    assert "branch.too_few_full_members" not in warnings(full_members=3)


def test_seven_full_members_without_a_committee_expects_one():
    assert "branch.committee_expected" in warnings(full_members=7, total_members=7, committee_size=1)
    assert "branch.committee_expected" not in warnings(full_members=7, total_members=7, committee_size=3)
    assert "branch.committee_expected" not in warnings(full_members=6, total_members=6, committee_size=0)


def test_size_thresholds_suggest_general_branch_and_committee():
    assert "size.general_branch_possible" in warnings(full_members=50, total_members=50, committee_size=5)
    assert "size.committee_possible" in warnings(full_members=100, total_members=100, committee_size=5)


@pytest.mark.parametrize(
    ("org_type", "elected", "expected"),
    [
        ("branch", dt.date(2023, 11, 21), "term.re_election_overdue"),
        ("branch", dt.date(2024, 1, 10), "term.re_election_due"),
        ("branch", dt.date(2024, 6, 1), None),
        ("committee", dt.date(2022, 6, 1), None),
        ("committee", dt.date(2021, 11, 1), "term.re_election_overdue"),
    ],
)
def test_terms_are_three_years_for_branches_and_five_for_committees(org_type, elected, expected):
    codes = warnings(
        org_type=org_type, last_election_on=elected, full_members=9, total_members=9, committee_size=3
    )
    term_codes = {c for c in codes if c.startswith("term.")}
    assert term_codes == ({expected} if expected else set())


def test_temporary_branch_past_its_end_date_is_flagged():
    assert "temp.past_end_date" in warnings(org_type="temp_branch", end_date=dt.date(2026, 1, 1))
    assert "temp.no_end_date" in warnings(org_type="temp_branch", end_date=None)
    assert not {"temp.past_end_date", "temp.no_end_date"} & warnings(
        org_type="temp_branch", end_date=dt.date(2027, 1, 1)
    )


def test_inactive_organizations_raise_nothing():
    assert warnings(is_active=False, full_members=0) == set()


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_re_election_falls_on_the_anniversary(elected):
    due = re_election_due("branch", elected, None)
    assert due is not None and due.year == elected.year + 3
    assert (due.month, due.day) in {(elected.month, elected.day), (2, 28)}
