from __future__ import annotations

import datetime as dt

from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema, Status

from apps.accounts.lockout import LOCKED_MESSAGE
from apps.accounts.models import ApiToken
from apps.core.api import error_body

router = Router(tags=["认证"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105 — the scheme name, not a secret
    expires_at: dt.datetime


class ErrorOut(Schema):
    errors: list[dict]


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 429: ErrorOut},
    summary="用户名和密码换取令牌",
)
def issue_token(request: HttpRequest, payload: TokenIn):
    try:
        user = authenticate(request, username=payload.username, password=payload.password)
    except AxesBackendPermissionDenied:
        return Status(429, error_body("auth.locked", LOCKED_MESSAGE))
    if getattr(request, "axes_locked_out", False):
        return Status(429, error_body("auth.locked", LOCKED_MESSAGE))
    if user is None or not user.is_active:
        return Status(401, error_body("auth.invalid", "用户名或密码不正确"))
    token, raw = ApiToken.issue(user, days=settings.XF_API_TOKEN_DAYS)
    return Status(200, {"token": raw, "expires_at": token.expires_at})
