import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from apps.core.calendar import add_working_days, is_working_day, working_days_between

dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2026, 12, 1))


def test_national_day_week_is_not_working():
    assert not is_working_day(dt.date(2025, 10, 1))
    assert not is_working_day(dt.date(2025, 10, 8))


def test_adjusted_saturday_is_a_working_day():
    # 2025-09-28 (Sunday) and 2025-10-11 (Saturday) were adjusted working days for the National Day holiday.
    assert is_working_day(dt.date(2025, 9, 28))
    assert is_working_day(dt.date(2025, 10, 11))


def test_five_working_days_from_the_eve_of_national_day_skip_the_holiday():
    # 9, 10, 11 (adjusted Saturday), 13, 14 October.
    assert add_working_days(dt.date(2025, 9, 30), 5) == dt.date(2025, 10, 14)


def test_zero_days_is_the_day_itself_or_the_next_working_day():
    assert add_working_days(dt.date(2025, 9, 30), 0) == dt.date(2025, 9, 30)
    assert add_working_days(dt.date(2025, 10, 1), 0) == dt.date(2025, 10, 9)


def test_years_beyond_the_published_calendar_fall_back_to_weekdays():
    assert is_working_day(dt.date(2040, 3, 5))  # a Monday
    assert not is_working_day(dt.date(2040, 3, 4))  # a Sunday


@given(dates, st.integers(min_value=1, max_value=60))
def test_counting_back_the_days_added_gives_n(start, n):
    end = add_working_days(start, n)
    assert is_working_day(end)
    assert working_days_between(start, end) == n


@given(dates, st.integers(min_value=1, max_value=60))
def test_adding_working_days_never_goes_backwards_and_grows_with_n(start, n):
    assert add_working_days(start, n) > start
    assert add_working_days(start, n + 1) > add_working_days(start, n)
    # Day zero is the first working day from the start, which "one day" can share when the start is a rest day.
    assert start <= add_working_days(start, 0) <= add_working_days(start, 1)


@given(dates, dates)
def test_working_days_between_is_antisymmetric(a, b):
    assert working_days_between(a, b) == -working_days_between(b, a)
