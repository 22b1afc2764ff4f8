"""Cadence rules of branch life as pure functions of dates.

Source: 《中国共产党支部工作条例（试行）》(2018) art. 12–14: 支部党员大会 generally once a quarter,
支委会 generally once a month, 党小组会 generally once a month, 主题党日 once a month, 组织生活会
and 民主评议党员 generally once a year; 党课 has no national cadence for branches (quarterly is a
common local rule), so every cadence is data (apps.meetings.models.Requirement).
"""

from __future__ import annotations

import calendar
import datetime as dt

# Months per period for each cadence.
CADENCE_MONTHS = {"monthly": 1, "bimonthly": 2, "quarterly": 3, "halfyearly": 6, "yearly": 12}
# A period is "due soon" (amber) in its last days when the requirement is not yet met.
DUE_SOON_DAYS = 10


def requirement_status(
    required_per_period: int,
    held_dates: list[dt.date],
    period_start: dt.date,
    period_end: dt.date,
    today: dt.date,
) -> str:
    """ "done" when enough meetings were held within [period_start, period_end]; otherwise "missed"
    once the period is over, else "due"."""
    held = sum(1 for d in held_dates if period_start <= d <= period_end)
    return status_from_count(required_per_period, held, period_end, today)


def status_from_count(required_per_period: int, held: int, period_end: dt.date, today: dt.date) -> str:
    """The same rule when the meetings were already counted in the database."""
    if held >= required_per_period:
        return "done"
    if today > period_end:
        return "missed"
    return "due"


def period_of(cadence: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The cadence period (first and last day) that contains `day`; periods align to the calendar year."""
    months = CADENCE_MONTHS[cadence]
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    last_month = first_month + months - 1
    end = dt.date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    return start, end


def traffic_light(status: str, period_end: dt.date, today: dt.date) -> str:
    """green (done), amber (due and the period ends within DUE_SOON_DAYS), grey (due, time left), red (missed)."""
    if status == "done":
        return "green"
    if status == "missed":
        return "red"
    return "amber" if (period_end - today).days <= DUE_SOON_DAYS else "grey"
