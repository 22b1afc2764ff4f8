"""How personal identifiers look when they are not revealed."""

from __future__ import annotations


def mask_citizen_id(value: str) -> str:
    """`330106199001011234` → `330106********1234` (region code and last four stay visible)."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """`13812345678` → `138****5678`; other lengths keep their first three and last four."""
    if not value:
        return ""
    if len(value) <= 7:
        return value[:1] + "*" * (len(value) - 1)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
