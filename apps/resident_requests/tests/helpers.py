"""Shortcuts of the requests tests: a request in any state, a correct answer to the human check."""

from __future__ import annotations

import re
from typing import Any

from django.core import signing

from apps.core.public import CHALLENGE_SALT, new_challenge
from apps.resident_requests import services

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
VALUES = {
    "submitter_name": "陈阿姨", "submitter_phone": "13812345678", "address": "上沙社区5幢",
    "category": "sanitation", "title": "楼下垃圾桶满了没人清", "content": "连续三天没有清运，气味很大。",
}  # fmt: skip


def solved() -> tuple[str, str]:
    """A fresh challenge's token and its answer."""
    challenge = new_challenge()
    return challenge.token, str(signing.loads(challenge.token, salt=CHALLENGE_SALT)["a"])


def answer_of(question: str) -> str:
    a, b = (int(n) for n in re.findall(r"\d+", question)[:2])
    return str(a + b)


def public_request(**overrides: Any):  # type: ignore[no-untyped-def]
    token, answer = solved()
    created, _ = services.submit_public(values={**VALUES, **overrides}, token=token, answer=answer)
    return created


def staff_request(actor, **overrides: Any):  # type: ignore[no-untyped-def]
    household = overrides.pop("household", None)
    channel = overrides.pop("channel", "liaison" if household else "hotline")
    return services.submit_staff(
        actor=actor,
        channel=channel,
        values={**VALUES, **overrides},
        household_id=household.pk if household else None,
    )
