"""Scheduled dues work: the monthly bills (Celery beat on the 1st; `generate_dues_bills` for cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task

from apps.core.context import acting
from apps.core.scoping import Scope


class _System:
    """The zone-wide actor of scheduled jobs."""

    pk = None
    is_authenticated = True
    is_superuser = True
    _xf_scope = Scope(user_id=None, is_superuser=True)


@shared_task(name="dues.generate_zone_bills")
def generate_zone_bills(month_iso: str | None = None) -> dict[str, Any]:
    from django.utils import timezone

    from apps.dues.services import dues_bills_generate

    month = dt.date.fromisoformat(month_iso) if month_iso else timezone.localdate().replace(day=1)
    with acting(user_id=None, request_id="dues-monthly"):
        result = dues_bills_generate(actor=_System(), month=month)
    return {"created": result.created, "existing": result.existing, "without_base": result.without_base}
