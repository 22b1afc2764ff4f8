import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from apps.core.calendar import is_working_day, working_days_between
from apps.development.rules import (
    admission_vote_passes,
    earliest_candidate_date,
    extended_probation_end,
    may_apply,
    probation_end_date,
    publicity_end_date,
    talk_deadline,
)

days = st.dates(min_value=dt.date(2016, 1, 1), max_value=dt.date(2026, 11, 1))


def test_eighteen_on_the_birthday():
    assert may_apply(dt.date(2008, 5, 20), dt.date(2026, 5, 20))
    assert not may_apply(dt.date(2008, 5, 20), dt.date(2026, 5, 19))
    assert may_apply(dt.date(2008, 2, 29), dt.date(2026, 2, 28))


def test_one_year_waits():
    assert earliest_candidate_date(dt.date(2025, 3, 10)) == dt.date(2026, 3, 10)
    assert probation_end_date(dt.date(2025, 7, 1)) == dt.date(2026, 7, 1)
    assert talk_deadline(dt.date(2026, 1, 31)) == dt.date(2026, 2, 28)
    assert extended_probation_end(dt.date(2025, 7, 1), 6) == dt.date(2027, 1, 1)
    with pytest.raises(ValueError):
        extended_probation_end(dt.date(2025, 7, 1), 3)


def test_publicity_over_national_day():
    # Starting on a working Tuesday before the holiday: 30 Sept, then 9, 10, 11 (adjusted Saturday), 13 October.
    assert publicity_end_date(dt.date(2025, 9, 30)) == dt.date(2025, 10, 13)
    # Starting on a holiday: the count begins with the first working day after it.
    assert publicity_end_date(dt.date(2025, 10, 3)) == dt.date(2025, 10, 14)


@given(days)
def test_publicity_spans_five_working_days(start):
    end = publicity_end_date(start)
    assert is_working_day(end)
    first = start if is_working_day(start) else None
    counted = working_days_between(start, end) + (1 if first else 0)
    assert counted == 5


@pytest.mark.parametrize(
    ("eligible", "present", "yes", "passes"),
    [
        (10, 6, 6, True),
        (10, 5, 5, False),
        (10, 10, 5, False),
        (10, 6, 5, False),
        (9, 5, 5, True),
        (3, 2, 2, True),
        (1, 1, 1, True),
    ],
)
def test_vote_needs_a_quorum_and_a_majority_of_all_eligible(eligible, present, yes, passes):
    assert admission_vote_passes(eligible, present, yes) is passes


@given(st.integers(1, 200), st.integers(0, 200), st.integers(0, 200))
def test_vote_rule_against_its_definition(eligible, present, yes):
    assume(yes <= present <= eligible)
    assert admission_vote_passes(eligible, present, yes) == (present > eligible / 2 and yes > eligible / 2)


def test_impossible_counts_are_refused():
    for counts in ((10, 11, 5), (10, 5, 6), (0, 0, 0), (10, -1, 0)):
        with pytest.raises(ValueError):
            admission_vote_passes(*counts)
