"""Daily request work: escalate what is overdue, close replies nobody rated (Celery beat; the
management commands `escalate_overdue_requests` and `close_unrated_requests` do the same from cron)."""

from __future__ import annotations

from celery import shared_task

from apps.core.context import acting


@shared_task(name="requests.escalate_overdue")
def escalate_overdue_task() -> dict[str, int]:
    from apps.resident_requests.services import escalate_overdue

    with acting(user_id=None, request_id="requests-escalate"):
        return escalate_overdue()


@shared_task(name="requests.close_unrated")
def close_unrated_task() -> int:
    from apps.resident_requests.services import close_unrated

    with acting(user_id=None, request_id="requests-close-unrated"):
        return close_unrated()
