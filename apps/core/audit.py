"""The access log: every reveal or export of personal data is written here."""

from __future__ import annotations

from typing import Any

from apps.core.context import current
from apps.core.models import AccessAction, AccessLog


def log_access(
    *,
    user: Any,
    action: AccessAction,
    target_type: str = "",
    target_id: int | None = None,
    target_label: str = "",
    org_path: str = "",
    detail: dict[str, Any] | None = None,
    ip_address: str | None = None,
) -> AccessLog:
    ctx = current()
    return AccessLog.objects.create(
        user=user,
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_label=target_label[:200],
        org_path=org_path,
        ip_address=ip_address or (ctx.ip_address if ctx else None),
        request_id=ctx.request_id if ctx else "",
        detail=detail or {},
    )
