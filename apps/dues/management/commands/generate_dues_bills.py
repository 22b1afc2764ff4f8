"""Generates this month's dues bills for the whole zone (for cron where no Celery beat runs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.dues.tasks import generate_zone_bills


class Command(BaseCommand):
    help = "生成党费账单（默认本月；已生成的不会重复生成）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--month", help="YYYY-MM，默认本月")

    def handle(self, *args: Any, **options: Any) -> None:
        month = (
            dt.date.fromisoformat(options["month"] + "-01")
            if options["month"]
            else timezone.localdate().replace(day=1)
        )
        result = generate_zone_bills(month.isoformat())
        self.stdout.write(
            f"{month:%Y-%m}：新生成{result['created']}张，已有{result['existing']}张，未核定基数{result['without_base']}人"
        )
