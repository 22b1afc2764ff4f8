"""The statistics engine: figures per organization subtree and period, computed in the database, each
with the link to the list that makes it.

Modules register providers (`@provides(code, label)`); a provider receives the user (whose scope
bounds every query), the subtree root (None for the whole scope) and the day, and returns Stats. The
dashboard, the big screen and the reports read the same registry, so a number means the same thing
wherever it appears.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Stat:
    code: str  # "members.total", "coverage.org_rate", "members.by_status.full"
    label: str
    value: int | Decimal | None
    link: str = ""
    unit: str = ""  # "人", "个", "%" (a rate is a fraction; the page shows it as a percentage)
    group: str = ""  # a series this stat belongs to ("members.by_status"), or "" for a headline figure


@dataclass(frozen=True)
class StatContext:
    user: Any
    org: Any = None  # an Organization: its subtree; None: the user's whole scope
    on: dt.date | None = None  # None: today
    extra: dict[str, Any] = field(default_factory=dict)


Provider = Callable[[StatContext], Iterable[Stat]]
PROVIDERS: dict[str, tuple[str, Provider]] = {}


def provides(code: str, label: str) -> Callable[[Provider], Provider]:
    def register(fn: Provider) -> Provider:
        PROVIDERS[code] = (label, fn)
        return fn

    return register


def collect(ctx: StatContext, codes: Iterable[str] | None = None) -> dict[str, list[Stat]]:
    """The stats of the chosen providers (all by default), by provider code."""
    wanted = list(codes) if codes is not None else list(PROVIDERS)
    return {code: list(PROVIDERS[code][1](ctx)) for code in wanted if code in PROVIDERS}


def headline(stats: Iterable[Stat]) -> dict[str, Stat]:
    return {s.code: s for s in stats if not s.group}


def series(stats: Iterable[Stat], group: str) -> list[dict[str, Any]]:
    """A group's stats as chart points ({name, value, url}), in registration order."""
    return [
        {"name": s.label, "value": float(s.value) if isinstance(s.value, Decimal) else s.value, "url": s.link}
        for s in stats
        if s.group == group
    ]
