import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from apps.resident_requests.services import escalate_overdue


class Command(BaseCommand):
    help = "超期督办：提高超期民情诉求和联系单分项的督办等级并记入办理记录（每日运行）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = dt.date.fromisoformat(options["date"]) if options.get("date") else None
        result = escalate_overdue(today)
        self.stdout.write(f"升级督办：诉求{result['requests']}件，联系单分项{result['parts']}项")
