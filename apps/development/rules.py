"""Waiting times and votes of member development, as pure functions of dates and counts.

Source: 《中国共产党发展党员工作细则》(2014): art. 5 (at least 18 to apply), art. 7 (a talk within
one month of the application), art. 12 (at least one year as an activist before becoming a
candidate), art. 20 (the branch meeting: more than half of the voting members present, and more than
half of them voting yes), art. 21–22 (the higher committee approves within three months, six at most),
art. 27 (one year of probation from the branch meeting, extensible by six months to a year). The
public notice of at least five working days is the common local rule. The waiting times are settings
with these defaults (settings.XF_DEVELOPMENT), so a zone's stricter rule needs no release.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from apps.core.calendar import add_working_days
from apps.orgs.rules import add_years

DEFAULTS: dict[str, Any] = {
    "min_age": 18,
    "talk_within_months": 1,
    "activist_years": 1,
    "publicity_working_days": 5,
    "approval_months": 3,
    "approval_max_months": 6,
    "probation_years": 1,
    "extension_min_months": 6,
    "extension_max_months": 12,
    "training_hours": 24,
}


def setting(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "XF_DEVELOPMENT", {})}[name]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has no such day)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def may_apply(birth_date: dt.date, on: dt.date) -> bool:
    """Whether a person born on `birth_date` is old enough (18) to apply on `on`."""
    return on >= add_years(birth_date, setting("min_age"))


def talk_deadline(application_date: dt.date) -> dt.date:
    """The branch talks with the applicant within one month of receiving the application."""
    return add_months(application_date, setting("talk_within_months"))


def earliest_candidate_date(activist_date: dt.date) -> dt.date:
    """An activist may become a development candidate after at least one year of education and review."""
    return add_years(activist_date, setting("activist_years"))


def publicity_end_date(start: dt.date) -> dt.date:
    """The last day of a public notice of five working days, counting the start day when it is a working day."""
    first = add_working_days(start, 0)
    return add_working_days(first, setting("publicity_working_days") - 1)


def admission_vote_passes(eligible: int, present: int, yes: int) -> bool:
    """The branch meeting's vote on admitting a member.

    Valid only when the voting members present are more than half of those eligible; adopted only
    when the yes votes are more than half of all eligible full members (not merely of those present).
    """
    if eligible <= 0 or not 0 <= yes <= present <= eligible:
        raise ValueError("the counts must satisfy 0 ≤ yes ≤ present ≤ eligible and eligible > 0")
    return present * 2 > eligible and yes * 2 > eligible


def approval_deadline(meeting_date: dt.date, *, special: bool = False) -> dt.date:
    """The higher committee approves within three months of the branch meeting, six in special cases."""
    return add_months(meeting_date, setting("approval_max_months" if special else "approval_months"))


def probation_end_date(admission_date: dt.date) -> dt.date:
    """Probation lasts one year from the branch meeting that admitted the member."""
    return add_years(admission_date, setting("probation_years"))


def extended_probation_end(admission_date: dt.date, extension_months: int) -> dt.date:
    """Probation extended by six months to one year (at most once)."""
    if not setting("extension_min_months") <= extension_months <= setting("extension_max_months"):
        raise ValueError("an extension lasts six to twelve months")
    return add_months(probation_end_date(admission_date), extension_months)
