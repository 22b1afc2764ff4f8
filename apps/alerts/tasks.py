from celery import shared_task


@shared_task(name="alerts.refresh")
def refresh_alerts_task() -> dict[str, int]:
    from apps.alerts.store import refresh_alerts

    return refresh_alerts()


@shared_task(name="alerts.remind")
def send_reminders_task() -> int:
    from apps.alerts.services import send_reminders

    return send_reminders()
