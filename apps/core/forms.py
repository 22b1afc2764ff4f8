"""Form helpers: map a DomainError onto the form field it names."""

from __future__ import annotations

from django import forms

from apps.core.errors import DomainError


def add_domain_error(form: forms.Form, error: DomainError, aliases: dict[str, str] | None = None) -> None:
    field = (aliases or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(format="%Y-%m-%d", **kwargs)


MAX_ID = 2**63 - 1


def parse_id(raw: object) -> int | None:
    """A record id typed into a URL or a form: digits within the database's integer range, else None
    (so a mangled or enormous value finds nothing instead of failing)."""
    text = str(raw or "").strip()
    if not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None
