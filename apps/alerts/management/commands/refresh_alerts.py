from typing import Any

from django.core.management.base import BaseCommand

from apps.alerts.services import send_reminders
from apps.alerts.store import refresh_alerts


class Command(BaseCommand):
    help = (
        "运行全部预警规则，更新预警；加 --remind 同时发送提醒邮件（供无 Celery beat 的部署用 cron 每日运行）"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--remind", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        result = refresh_alerts()
        self.stdout.write(
            f"新增{result['created']}，重新出现{result['reopened']}，保持{result['kept']}，消除{result['resolved']}"
        )
        if options["remind"]:
            self.stdout.write(f"已发送提醒邮件{send_reminders()}封")
