"""The work-item engine (事项): a flow declared once — states, transitions, who may fire them, and the
deadline in working days — and one transition helper that checks, moves, dates and records.

A module declares its Flow beside its model; the model carries `state` and `due_date` columns and
the engine writes a WorkItemEvent for every move, so history comes with the flow. Each state maps to
one of three types (open / closed-resolved / closed-unresolved) so reports survive relabelling.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from apps.core.calendar import add_working_days
from apps.core.errors import DomainError

OPEN, RESOLVED, UNRESOLVED = "open", "closed_resolved", "closed_unresolved"


@dataclass(frozen=True)
class State:
    value: str
    label: str
    kind: str = OPEN
    due_working_days: int | None = None  # the deadline a work item gets on entering this state


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    needs_note: bool = False


@dataclass(frozen=True)
class Flow:
    name: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    _by_value: dict[str, State] = field(default_factory=dict, compare=False, repr=False)

    def state(self, value: str) -> State:
        if not self._by_value:
            self._by_value.update({s.value: s for s in self.states})
        return self._by_value[value]

    def choices(self) -> list[tuple[str, str]]:
        return [(s.value, s.label) for s in self.states]

    def allowed(self, current: str) -> list[Transition]:
        return [t for t in self.transitions if current in t.sources]

    def find(self, action: str) -> Transition:
        for t in self.transitions:
            if t.action == action:
                return t
        raise KeyError(action)


def start(item: Any, flow: Flow, *, actor: Any, action: str = "submit", note: str = "") -> None:
    """Records the creation of a saved work item in its initial state (the first line of its history)."""
    from apps.core.models import WorkItemEvent

    flow.state(item.state)  # an unknown initial state is a programming error: fail loudly
    WorkItemEvent.objects.create(
        content_type=ContentType.objects.get_for_model(type(item)),
        object_id=item.pk,
        action=action,
        from_state="",
        to_state=item.state,
        note=note.strip()[:300],
        actor_id=getattr(actor, "pk", None),
    )


def move(
    item: Any,
    flow: Flow,
    action: str,
    *,
    actor: Any,
    note: str = "",
    on: dt.date | None = None,
    due: dt.date | None = None,
) -> str:
    """Fires `action` on a locked work item: checks it is allowed from the current state, sets the new
    state and its deadline, and records the event. The caller saves the item's own fields.

    `due` overrides the state's working-day deadline where a rule counts in calendar months."""
    from apps.core.models import WorkItemEvent

    transition = flow.find(action)
    current = item.state
    if current not in transition.sources:
        raise DomainError(
            f"{flow.name}.transition",
            f"当前状态为“{flow.state(current).label}”，不能{transition.label}",
            field="state",
            status=409,
        )
    if transition.needs_note and not note.strip():
        raise DomainError(f"{flow.name}.note_required", f"{transition.label}须填写原因", field="note")
    target = flow.state(transition.target)
    item.state = target.value
    day = on or timezone.localdate()
    if due is not None:
        item.due_date = due
    elif target.due_working_days is not None:
        item.due_date = add_working_days(day, target.due_working_days)
    else:
        item.due_date = None
    WorkItemEvent.objects.create(
        content_type=ContentType.objects.get_for_model(type(item)),
        object_id=item.pk,
        action=action,
        from_state=current,
        to_state=target.value,
        note=note.strip()[:300],
        actor_id=getattr(actor, "pk", None),
    )
    return target.value


def events_of(item: Any) -> list[Any]:
    from apps.core.models import WorkItemEvent

    return list(
        WorkItemEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(type(item)), object_id=item.pk
        )
        .select_related("actor")
        .order_by("at", "id")
    )


def history(item: Any, flow: Flow, *, opened: str = "提交") -> list[dict[str, Any]]:
    """The item's events in words — what was done, the state it led to, the note, by whom — for a
    page's history list. `opened` names the first event, recorded by `start()`."""
    labels = {t.action: t.label for t in flow.transitions} | {"submit": opened}
    return [
        {"at": e.at, "action": e.action, "label": labels.get(e.action, e.action), "to": flow.state(e.to_state).label, "note": e.note, "actor": e.actor}
        for e in events_of(item)
    ]  # fmt: skip
