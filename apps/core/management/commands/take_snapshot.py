from typing import Any

from django.core.management.base import BaseCommand

from apps.core.snapshots import backfill, take_snapshot


class Command(BaseCommand):
    help = "记录本月各党组织的统计快照（趋势图用）；--backfill N 按历史记录补齐过去N个月"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--backfill", type=int, default=0, help="补齐的月数（含本月）")

    def handle(self, *args: Any, **options: Any) -> None:
        written = backfill(options["backfill"]) if options["backfill"] else take_snapshot()
        self.stdout.write(self.style.SUCCESS(f"已写入 {written} 条统计快照"))
