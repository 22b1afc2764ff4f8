"""The rules-and-alerts engine: registered rules turn records into alerts; one run keeps them current.

A rule is a function of the day that yields AlertSpecs, each with a stable key. A run creates the
alerts that are new, refreshes those still true (their text or deadline may change), reopens those
that came back, and resolves those no rule produced this time. Modules register their rules; the
engine knows nothing of meetings or dues.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apps.alerts.models import Alert


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


Rule = Callable[[dt.date], Iterable[AlertSpec]]
RULES: dict[str, tuple[str, Rule]] = {}


def rule(kind: str, label: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[kind] = (label, fn)
        return fn

    return register


FIELDS = ("kind", "level", "org_id", "org_path", "title", "message", "link", "due_date", "member_id")


@transaction.atomic
def refresh_alerts(today: dt.date | None = None) -> dict[str, int]:
    """Runs every rule for `today`; returns how many alerts were created, reopened, kept and resolved."""
    today = today or timezone.localdate()
    specs: dict[str, AlertSpec] = {}
    for _label, fn in RULES.values():
        for spec in fn(today):
            specs[spec.key] = spec
    now = timezone.now()
    known = (
        {
            a.key: a
            for a in Alert.objects.filter(key__in=list(specs)).only("id", "key", "resolved_at", *FIELDS)
        }
        if specs
        else {}
    )
    created = [
        Alert(key=key, **{f: getattr(spec, f) for f in FIELDS})
        for key, spec in specs.items()
        if key not in known
    ]
    Alert.objects.bulk_create(created, batch_size=2000)
    changed, reopened = [], 0
    for key, alert in known.items():
        spec = specs[key]
        dirty = alert.resolved_at is not None or any(getattr(alert, f) != getattr(spec, f) for f in FIELDS)
        if alert.resolved_at is not None:
            reopened += 1
            alert.resolved_at = None
        for f in FIELDS:
            setattr(alert, f, getattr(spec, f))
        alert.last_seen = now
        if dirty:
            changed.append(alert)
    Alert.objects.bulk_update(changed, [*FIELDS, "resolved_at", "last_seen"], batch_size=2000)
    resolved = (
        Alert.objects.filter(resolved_at__isnull=True).exclude(key__in=list(specs)).update(resolved_at=now)
    )
    return {
        "created": len(created),
        "reopened": reopened,
        "kept": len(known) - reopened,
        "resolved": resolved,
    }
