"""Reading alerts and sending the daily reminders."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from apps.alerts.models import AlertRead
from apps.alerts.selectors import access_alert, alerts_for, unread


def alert_mark_read(*, actor: Any, alert_id: int) -> None:
    alert = access_alert(actor, alert_id)
    try:
        with transaction.atomic():
            AlertRead.objects.get_or_create(alert=alert, user_id=actor.pk)
    except IntegrityError:
        pass  # read twice at once: once is enough


def alert_mark_all_read(*, actor: Any) -> int:
    ids = list(unread(alerts_for(actor), actor).values_list("pk", flat=True)[:5000])
    AlertRead.objects.bulk_create(
        [AlertRead(alert_id=i, user_id=actor.pk) for i in ids], ignore_conflicts=True
    )
    return len(ids)


def send_reminders() -> int:
    """E-mails every active user with an address a summary of their unread open alerts; returns how many were sent."""
    from apps.accounts.models import User

    sent = 0
    for user in User.objects.filter(is_active=True).exclude(email=""):
        open_alerts = list(unread(alerts_for(user), user).order_by("level", "due_date")[:20])
        if not open_alerts:
            continue
        lines = [f"【{a.get_level_display()}】{a.title}：{a.message}" for a in open_alerts]
        send_mail(
            subject=f"先锋智慧党建：您有{len(open_alerts)}条待处理预警",
            message="\n".join(lines) + "\n\n请登录平台“预警”查看并办理。",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
            fail_silently=False,
        )
        sent += 1
    return sent
