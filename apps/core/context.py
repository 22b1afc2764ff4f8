"""Who is acting, from where, in which request: read by the audit and history records.

Set by the request middleware, and by jobs for work done outside a request.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class ActionContext:
    request_id: str
    ip_address: str | None
    user_id: int | None


_current: contextvars.ContextVar[ActionContext | None] = contextvars.ContextVar("xf_action", default=None)


def current() -> ActionContext | None:
    return _current.get()


@contextmanager
def acting(
    *, user_id: int | None, ip_address: str | None = None, request_id: str | None = None
) -> Iterator[None]:
    token = _current.set(
        ActionContext(request_id=request_id or uuid.uuid4().hex, ip_address=ip_address, user_id=user_id)
    )
    try:
        yield
    finally:
        _current.reset(token)
