"""Keeps the stored alerts in step with what the rules of apps.core.rules_engine find today.

A run creates the alerts that are new, refreshes those still true (their text or deadline may change),
reopens those that came back, and resolves those no rule produced this time.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from apps.alerts.models import Alert
from apps.core.rules_engine import evaluate

REFRESHED_KEY = "xf:alerts:refreshed_at"
FIELDS = (
    "kind",
    "level",
    "org_id",
    "org_path",
    "title",
    "message",
    "link",
    "due_date",
    "member_id",
    "channel",
)


@transaction.atomic
def refresh_alerts(today: dt.date | None = None) -> dict[str, int]:
    """Runs every rule for `today`; returns how many alerts were created, reopened, kept and resolved."""
    today = today or timezone.localdate()
    specs = evaluate(today)
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
    transaction.on_commit(lambda: cache.set(REFRESHED_KEY, now, None))
    return {
        "created": len(created),
        "reopened": reopened,
        "kept": len(known) - reopened,
        "resolved": resolved,
    }


def resolve_now(key_prefix: str, *, keep: str = "") -> int:
    """Resolves at once the open alerts whose condition a change has just ended (their keys start
    with `key_prefix`; `keep` names one still true), instead of waiting for the next scheduled run."""
    qs = Alert.objects.filter(key__startswith=key_prefix, resolved_at__isnull=True)
    if keep:
        qs = qs.exclude(key=keep)
    return qs.update(resolved_at=timezone.now())
