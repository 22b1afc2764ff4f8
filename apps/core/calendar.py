"""The Chinese working-day calendar: statutory holidays and adjusted working days (调休) included.

Holiday data comes from the chinese-calendar package, which covers the years the State Council has
published. For a year it does not cover yet, Monday to Friday count as working days; keep the
package current (it is updated each December when the next year's arrangement is announced).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=8192)
def is_working_day(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date `n` working days after `start`.

    `add_working_days(d, 0)` is `d` when it is a working day, else the next working day; for n > 0
    the count starts after `start`, so a deadline of "5 working days" from a Friday before a holiday
    lands on the fifth working day that follows. Negative `n` counts backwards.
    """
    day = start
    if n == 0:
        while not is_working_day(day):
            day += dt.timedelta(days=1)
        return day
    step = dt.timedelta(days=1 if n > 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in the half-open interval (start, end]; negative when end is before start.

    So `working_days_between(d, add_working_days(d, n)) == n` for every n ≥ 1.
    """
    if end == start:
        return 0
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
