"""Keyset (cursor) pagination: the cost of a page does not grow with how deep it is or how many rows
the scope holds. The sort is one column plus the primary key as a tie-breaker, both indexed."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import F, Model, Q, QuerySet
from django.db.models.functions import Coalesce

T = TypeVar("T", bound=Model)


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool = False


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
    prev_cursor: str | None
    size: int

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_prev(self) -> bool:
        return self.prev_cursor is not None


def _encode(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"d": value.isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and "d" in value:
        return dt.date.fromisoformat(value["d"])
    return value


def make_cursor(direction: str, value: Any, pk: int) -> str:
    raw = json.dumps([direction, _encode(value), pk], ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def parse_cursor(cursor: str | None) -> tuple[str, Any, int] | None:
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        direction, value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if direction not in {"n", "p"} or not isinstance(pk, int):
            return None
        return direction, _decode(value), pk
    except (ValueError, TypeError):
        return None


def keyset_page(
    qs: QuerySet[T],
    key: SortKey,
    cursor: str | None,
    size: int,
    *,
    selective: bool = False,
    any_of: list[Q] | None = None,
) -> Page[T]:
    """One page of `qs` ordered by `key` then id. A bad or stale cursor gives the first page.

    `selective` says the filter (a search) narrows the rows far more than the scope does: the rows are
    then found through the filter's indexes and sorted, instead of walking the sort column's index
    and discarding rows, which PostgreSQL would otherwise choose and which costs seconds when the
    matches sit at the far end of that index.

    `any_of` (a search that matches one column or another) finds the page's ids branch by branch:
    each branch reads only (sort value, id) so a covering index answers it without touching the
    table, the branches are merged here, and only the page's rows are then fetched whole. An OR in
    one query would visit the table for every match before sorting.
    """
    if any_of:
        return _page_of_union(qs, key, cursor, size, any_of)
    parsed = parse_cursor(cursor)
    forward_desc = key.descending
    direction = "n"
    if parsed is not None:
        direction, value, pk = parsed
        # Moving backwards walks the same order reversed, then flips the rows back.
        walk_desc = forward_desc if direction == "n" else not forward_desc
        op = "lt" if walk_desc else "gt"
        qs = qs.filter(Q(**{f"{key.field}__{op}": value}) | Q(**{key.field: value, f"pk__{op}": pk}))
    else:
        walk_desc = forward_desc
    prefix = "-" if walk_desc else ""
    order_field = key.field
    if selective:
        qs = qs.annotate(_xf_sort=Coalesce(F(key.field), F(key.field)))
        order_field = "_xf_sort"
    rows = list(qs.order_by(f"{prefix}{order_field}", f"{prefix}pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if direction == "p":
        rows.reverse()
    if not rows:
        return Page(items=[], next_cursor=None, prev_cursor=None, size=size)
    first, last = rows[0], rows[-1]
    has_next = more if direction == "n" else parsed is not None
    has_prev = (parsed is not None) if direction == "n" else more
    return Page(
        items=rows,
        next_cursor=make_cursor("n", _attr(last, key.field), last.pk) if has_next else None,
        prev_cursor=make_cursor("p", _attr(first, key.field), first.pk) if has_prev else None,
        size=size,
    )


def _page_of_union(qs: QuerySet[T], key: SortKey, cursor: str | None, size: int, any_of: list[Q]) -> Page[T]:
    parsed = parse_cursor(cursor)
    forward_desc = key.descending
    direction = "n" if parsed is None else parsed[0]
    walk_desc = forward_desc if direction == "n" else not forward_desc
    base = qs
    if parsed is not None:
        _, value, pk = parsed
        op = "lt" if walk_desc else "gt"
        base = base.filter(Q(**{f"{key.field}__{op}": value}) | Q(**{key.field: value, f"pk__{op}": pk}))
    prefix = "-" if walk_desc else ""
    found: dict[int, Any] = {}
    for condition in any_of:
        # Sorting on an expression keeps PostgreSQL on the branch's own (covering) index instead of
        # walking the sort column's index, as `selective` does for a single condition.
        branch = (
            base.filter(condition)
            .annotate(_xf_sort=Coalesce(F(key.field), F(key.field)))
            .order_by(f"{prefix}_xf_sort", f"{prefix}pk")
        )
        for value, pk in branch.values_list(key.field, "pk")[: size + 1]:
            found[pk] = value
    ordered = sorted(found.items(), key=lambda item: (_sortable(item[1]), item[0]), reverse=walk_desc)
    more = len(ordered) > size
    ids = [pk for pk, _value in ordered[:size]]
    if direction == "p":
        ids.reverse()
    if not ids:
        return Page(items=[], next_cursor=None, prev_cursor=None, size=size)
    by_pk = {row.pk: row for row in qs.filter(pk__in=ids)}
    rows = [by_pk[pk] for pk in ids if pk in by_pk]
    first, last = rows[0], rows[-1]
    has_next = more if direction == "n" else parsed is not None
    has_prev = (parsed is not None) if direction == "n" else more
    return Page(
        items=rows,
        next_cursor=make_cursor("n", _attr(last, key.field), last.pk) if has_next else None,
        prev_cursor=make_cursor("p", _attr(first, key.field), first.pk) if has_prev else None,
        size=size,
    )


def _sortable(value: Any) -> tuple[int, Any]:
    """Keeps a None (from a nullable sort column) comparable with the values: it sorts first."""
    return (0, "") if value is None else (1, value)


def _attr(obj: Any, dotted: str) -> Any:
    for part in dotted.split("__"):
        obj = getattr(obj, part)
    return obj
