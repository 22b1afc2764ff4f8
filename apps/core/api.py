"""Shared pieces of the JSON API: authentication (bearer token or browser session) and error shapes."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth
from pydantic import Field

from apps.accounts.models import ApiToken


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a token from POST /api/v1/auth/token."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        record = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(token)).first()
        if record is None or record.expired or not record.user.is_active:
            return None
        now = timezone.now()
        if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.user = record.user
        return record.user


class Session(SessionAuth):
    """The browser session (the same login as the pages); unsafe methods need the CSRF token."""


AUTH = [BearerToken(), Session()]


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"errors": [{"code": code, "message": message, "field": field}]}


# A list's page number: bounded, so an absurd value is a clear 422 instead of a database error.
PageNumber = Annotated[int, Field(ge=1, le=100_000, description="页码（从 1 开始）")]
