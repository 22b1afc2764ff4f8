import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from apps.resident_requests.choices import RATING_WAIT_DAYS
from apps.resident_requests.services import close_unrated


class Command(BaseCommand):
    help = f"自动办结：答复后{RATING_WAIT_DAYS}天未评价的民情诉求（每日运行）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="按该日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = dt.date.fromisoformat(options["date"]) if options.get("date") else None
        self.stdout.write(f"自动办结{close_unrated(today)}件")
