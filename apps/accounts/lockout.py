"""What a locked-out login sees: a JSON error on the API, the lockout page elsewhere."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from apps.core.api import error_body

LOCKED_MESSAGE = "登录失败次数过多，账号已临时锁定，请稍后再试"


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("auth.locked", LOCKED_MESSAGE), status=429)
    return render(request, "accounts/locked_out.html", status=429)
