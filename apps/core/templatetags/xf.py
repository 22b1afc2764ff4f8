from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query(context: Any, **changes: Any) -> str:
    """The current query string with some parameters replaced (None or "" removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = urlencode(sorted((k, v) for k, vs in params.lists() for v in vs))
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def level_class(level: str) -> str:
    return {"danger": "danger", "warning": "warning", "info": "info"}.get(level, "secondary")


@register.filter
def times(count: int | None) -> range:
    return range(count or 0)


@register.filter
def percent(fraction: Any) -> str:
    """A rate kept as a fraction (0.1234) shown as a percentage with one decimal (12.3%)."""
    try:
        return f"{float(fraction) * 100:.1f}%"
    except (TypeError, ValueError):
        return "—"


@register.filter
def split(text: str) -> list[str]:
    """Words of a string: lets a template loop over a fixed list of codes."""
    return str(text).split()
