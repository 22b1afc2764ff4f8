"""Protection for the pages residents use without logging in: a rate limit per client address, a
simple human check, one-time form tokens against double submission, and receipt codes.

The human check is an arithmetic question whose answer travels signed in the form itself, so any
app server of a cluster can verify it; its nonce is spent in the shared cache on first use, so a
form posted twice (a double click, a retried request) is recognised instead of stored twice.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from apps.core.errors import DomainError
from apps.core.middleware import client_ip

CHALLENGE_SALT = "xf.public.challenge"
CHALLENGE_MAX_AGE = 60 * 60  # seconds a resident may take to fill a form in
# Receipt codes avoid characters read alike (0/O, 1/I/L) because residents type them from paper.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def rate_limit(request: HttpRequest, bucket: str, *, limit: int | None = None, window: int = 600) -> None:
    """Refuses the request when this client address has used `bucket` more than `limit` times in the
    current window. The limit comes from XF_PUBLIC_RATE_LIMIT (0 turns it off, e.g. for a load run)."""
    allowed = limit if limit is not None else int(getattr(settings, "XF_PUBLIC_RATE_LIMIT", 20))
    if allowed <= 0:
        return
    key = f"xf:rate:{bucket}:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, window)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        used = 1
    if used > allowed:
        raise DomainError("public.rate_limited", "提交过于频繁，请稍后再试", status=429)


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def new_challenge() -> Challenge:
    """A question such as “7 加 5 等于几？” with a signed token holding its answer and a fresh nonce."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_hex(8)
    token = signing.dumps({"a": a + b, "n": nonce}, salt=CHALLENGE_SALT, compress=True)
    return Challenge(question=f"{a} 加 {b} 等于几？", token=token)


def verify_challenge(token: str, answer: str) -> str:
    """Checks the answer to a challenge and returns its nonce (the form's one-time submission key).

    Raises DomainError for a wrong, expired or forged token. The nonce is not spent here: the caller
    stores it with the record (a unique column), so a second post of the same form finds the first."""
    try:
        data = signing.loads(token or "", salt=CHALLENGE_SALT, max_age=CHALLENGE_MAX_AGE)
    except signing.SignatureExpired:
        raise DomainError(
            "public.challenge_expired", "页面停留时间过长，请重新计算验证题", field="answer"
        ) from None
    except signing.BadSignature:
        raise DomainError(
            "public.challenge_invalid", "验证信息无效，请刷新页面后重试", field="answer"
        ) from None
    if str(answer).strip() != str(data.get("a")):
        raise DomainError("public.challenge_wrong", "验证题答案不正确", field="answer")
    return str(data["n"])


def receipt_code(prefix: str, length: int = 10) -> str:
    """A random receipt code (about 50 bits for 10 characters), e.g. `TJ7K3QH9XWM2`."""
    return prefix + "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(length))


def normalise_receipt(raw: str) -> str:
    return "".join(ch for ch in str(raw).upper() if ch.isalnum())[:20]
