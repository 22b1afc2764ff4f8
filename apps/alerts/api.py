from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from apps.alerts import selectors, services

router = Router(tags=["预警"])


class AlertOut(Schema):
    id: int
    kind: str
    level: str
    title: str
    message: str
    link: str
    due_date: dt.date | None
    org_id: int
    is_read: bool


@router.get("", response=list[AlertOut], summary="当前用户权限范围内的未消除预警")
def list_alerts(request: HttpRequest, kind: str = "", unread: bool = False):
    qs = selectors.alerts_for(request.user).filter(resolved_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    if unread:
        qs = selectors.unread(qs, request.user)
    return [
        {
            f: getattr(a, f)
            for f in ("id", "kind", "level", "title", "message", "link", "due_date", "org_id", "is_read")
        }
        for a in qs.order_by("level", "due_date", "id")[:500]
    ]


@router.post("/{alert_id}/read", summary="标为已读")
def mark_read(request: HttpRequest, alert_id: int):
    services.alert_mark_read(actor=request.user, alert_id=alert_id)
    return {"id": alert_id, "is_read": True}
