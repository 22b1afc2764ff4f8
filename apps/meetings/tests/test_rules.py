import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from apps.meetings.rules import period_of, requirement_status, traffic_light

days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


def test_quarterly_meeting_done_when_held_inside_the_quarter():
    q = (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    assert requirement_status(1, [dt.date(2026, 5, 10)], *q, today=dt.date(2026, 5, 20)) == "done"
    assert requirement_status(1, [dt.date(2026, 3, 31)], *q, today=dt.date(2026, 5, 20)) == "due"
    assert requirement_status(1, [], *q, today=dt.date(2026, 7, 1)) == "missed"


def test_two_per_period_needs_two():
    m = (dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert requirement_status(2, [dt.date(2026, 5, 3)], *m, today=dt.date(2026, 6, 2)) == "missed"
    assert (
        requirement_status(2, [dt.date(2026, 5, 3), dt.date(2026, 5, 20)], *m, today=dt.date(2026, 6, 2))
        == "done"
    )


@given(st.integers(1, 5), st.lists(days, max_size=8), days, days)
def test_status_is_done_iff_enough_meetings_fall_in_the_period(required, held, a, today):
    start, end = period_of("quarterly", a)
    status = requirement_status(required, held, start, end, today)
    inside = sum(1 for d in held if start <= d <= end)
    assert (status == "done") == (inside >= required)
    if status != "done":
        assert status == ("missed" if today > end else "due")


@given(days, st.sampled_from(["monthly", "bimonthly", "quarterly", "halfyearly", "yearly"]))
def test_periods_contain_the_day_and_tile_the_year(day, cadence):
    start, end = period_of(cadence, day)
    assert start <= day <= end
    assert start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    assert period_of(cadence, end + dt.timedelta(days=1))[0] == end + dt.timedelta(days=1)


def test_lights():
    end = dt.date(2026, 5, 31)
    assert traffic_light("due", end, dt.date(2026, 5, 25)) == "amber"
    assert traffic_light("due", end, dt.date(2026, 5, 2)) == "grey"
    assert traffic_light("missed", end, dt.date(2026, 6, 2)) == "red"
    assert traffic_light("done", end, dt.date(2026, 6, 2)) == "green"
