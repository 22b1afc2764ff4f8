from __future__ import annotations

import datetime as dt

from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema

from apps.accounts.models import ApiToken
from apps.core.api import error_body
from apps.core.errors import DomainError

router = Router(tags=["认证"])


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"
    expires_at: dt.datetime


class ErrorOut(Schema):
    errors: list[dict]


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut, 403: ErrorOut}, summary="用户名和密码换取令牌")
def issue_token(request: HttpRequest, payload: TokenIn):
    try:
        user = authenticate(request, username=payload.username, password=payload.password)
    except AxesBackendPermissionDenied:
        return 403, error_body("auth.locked", "登录失败次数过多，账号已临时锁定，请稍后再试")
    if getattr(request, "axes_locked_out", False):
        return 403, error_body("auth.locked", "登录失败次数过多，账号已临时锁定，请稍后再试")
    if user is None or not user.is_active:
        return 401, error_body("auth.invalid", "用户名或密码不正确")
    token, raw = ApiToken.issue(user, days=settings.XF_API_TOKEN_DAYS)
    return 200, {"token": raw, "expires_at": token.expires_at}


__all__ = ["DomainError", "router"]
