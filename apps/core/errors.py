"""One error type for every refused business action.

Services raise `DomainError`; one mapping turns it into a form error (pages), a 400/409 JSON body
(API) or a message (htmx). Messages are Chinese and say what is wrong and, where it helps, what to do.
"""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the action. `field` names the input at fault, when there is one."""

    status = 400

    def __init__(self, code: str, message: str, *, field: str | None = None, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class ConflictError(DomainError):
    """The action collides with the current state (a duplicate, a stale version)."""

    status = 409
