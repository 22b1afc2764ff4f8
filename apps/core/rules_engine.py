"""The rules-and-alerts engine (预警): registered rules read the records and say what is wrong.

Two kinds of rule, both registered by the modules that own the records, so the engine knows nothing
of meetings or dues:

- alert rules (`@rule`) are functions of the day that yield AlertSpecs, each with a stable key; the
  alerts app stores them (apps.alerts.store.refresh_alerts) so a daily run creates, refreshes,
  reopens and resolves alerts in place;
- checklist checks (`@check`) compute, for many branches at once and one period, whether a routine
  task was done, is due or was missed, with the link to the records that prove it. The routine-work
  checklist (apps.meetings) names a check in each requirement that is not evidenced by meetings.

Both are set-based: a rule or check runs a few aggregate queries for every organization, never one
query per organization.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

DONE, DUE, MISSED = "done", "due", "missed"


@dataclass(frozen=True)
class AlertSpec:
    key: str
    kind: str
    level: str
    org_id: int
    org_path: str
    title: str
    message: str
    link: str = ""
    due_date: dt.date | None = None
    member_id: int | None = None
    # Who else must see it, beyond the organization subtree: a channel such as "mediation:inst:7" that
    # the users of a mediation institution or a department hear (see `audience`).
    channel: str = ""


Rule = Callable[[dt.date], Iterable[AlertSpec]]
RULES: dict[str, tuple[str, Rule]] = {}


def rule(kind: str, label: str) -> Callable[[Rule], Rule]:
    """Registers an alert rule under `kind` (one kind per rule; the inbox filters by it)."""

    def register(fn: Rule) -> Rule:
        RULES[kind] = (label, fn)
        return fn

    return register


Audience = Callable[[Any], Iterable[str]]
AUDIENCES: list[Audience] = []


def audience(fn: Audience) -> Audience:
    """Registers a function naming the alert channels a user hears (institutions, departments) — for
    people whose work is not placed in the party-organization tree."""
    AUDIENCES.append(fn)
    return fn


def channels_of(user: Any) -> set[str]:
    return {channel for fn in AUDIENCES for channel in fn(user)}


def evaluate(today: dt.date) -> dict[str, AlertSpec]:
    """Every alert that is true on `today`, by key (a later rule's spec wins on a repeated key)."""
    specs: dict[str, AlertSpec] = {}
    for _label, fn in RULES.values():
        for spec in fn(today):
            specs[spec.key] = spec
    return specs


@dataclass(frozen=True)
class CheckResult:
    """The state of one routine task for one branch and period: done / due / missed, and why."""

    status: str
    note: str = ""
    link: str = ""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    today: dt.date

    @property
    def over(self) -> bool:
        return self.today > self.end

    @property
    def checked_until(self) -> dt.date:
        """The last day a violation can have happened: the period's end, or today if it is running."""
        return min(self.end, self.today)


Check = Callable[[list[int], Period], dict[int, CheckResult]]
CHECKS: dict[str, tuple[str, Check]] = {}


def check(code: str, label: str) -> Callable[[Check], Check]:
    """Registers a checklist check: a function of branch ids and a period returning the results of the
    branches that are not simply done (an absent branch is done)."""

    def register(fn: Check) -> Check:
        CHECKS[code] = (label, fn)
        return fn

    return register


def run_check(code: str, branch_ids: list[int], period: Period) -> dict[int, CheckResult]:
    if code not in CHECKS:
        raise KeyError(f"no checklist check named {code!r}")
    return CHECKS[code][1](branch_ids, period)


def check_choices() -> list[tuple[str, str]]:
    return [(code, label) for code, (label, _fn) in sorted(CHECKS.items())]


def overdue_within(deadline: dt.date | None, met_on: dt.date | None, period: Period) -> bool:
    """Whether a deadline was overdue at some day of the period: it passed before the period's last
    checked day, and the thing was not done by the deadline nor before the period began."""
    if deadline is None or deadline >= period.checked_until:
        return False
    if met_on is None:
        return True
    return met_on > deadline and met_on >= period.start


def pending_within(deadline: dt.date | None, met_on: dt.date | None, period: Period) -> bool:
    """Whether something not yet done falls due in what is left of the period."""
    return met_on is None and deadline is not None and period.checked_until <= deadline <= period.end
