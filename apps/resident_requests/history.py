"""A request's history in words: for staff (who did what), and for the resident (public wording, no
staff names, no internal notes except the reasons the resident is owed)."""

from __future__ import annotations

from typing import Any

from apps.core.workflow import events_of, history
from apps.resident_requests.flow import ESCALATE_LABEL, PUBLIC_LABELS, REQUEST_FLOW

# Notes a resident may read: why the request was refused. Everything else stays internal.
PUBLIC_NOTES = {"reject"}


# Actions a resident takes without a login: recorded without an actor, shown as "群众".
RESIDENT_ACTIONS = {"submit", "rate"}


def request_history(item: Any) -> list[dict[str, Any]]:
    """The staff history: each row also names who acted — the user, "群众" for the resident's own
    submission or rating, "系统" for what the system did by itself (escalation, automatic closing)."""
    rows = history(item, REQUEST_FLOW, opened="登记受理")
    for row in rows:
        if row["action"] == "escalate":
            row["label"] = ESCALATE_LABEL
        if row["actor"] is not None:
            row["by"] = str(row["actor"])
        else:
            row["by"] = "群众" if row["action"] in RESIDENT_ACTIONS else "系统"
    return rows


def public_history(item: Any) -> list[dict[str, Any]]:
    return [
        {
            "at": e.at,
            "label": PUBLIC_LABELS.get(e.action, "办理中"),
            "note": e.note if e.action in PUBLIC_NOTES else "",
        }
        for e in events_of(item)
    ]
