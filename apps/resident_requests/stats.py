"""Request figures for the statistics engine: received, closed, overdue, satisfaction, by category."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from apps.core.statistics import Stat, StatContext, provides
from apps.resident_requests.choices import Category
from apps.resident_requests.selectors import may_view_requests, request_summary


@provides("requests", "民情诉求")
def request_stats(ctx: StatContext) -> Iterator[Stat]:
    if not may_view_requests(ctx.user):
        return
    today = ctx.on or timezone.localdate()
    start = today.replace(month=1, day=1)
    figures = request_summary(ctx.user, start, today, org_path=ctx.org.path if ctx.org is not None else "")
    base = reverse("resident_requests:index")

    def link(**params: str) -> str:
        return f"{base}?{urlencode(params)}" if params else base

    yield Stat("requests.received", "本年受理诉求", figures["received"], link(tab="all"), "件")
    yield Stat("requests.closed", "已办结", figures["closed"], link(tab="closed"), "件")
    yield Stat("requests.overdue", "超期未办", figures["overdue"], link(tab="overdue"), "件")
    average = figures["average_rating"]
    yield Stat(
        "requests.satisfaction",
        "平均满意度（星）",
        Decimal(str(average)) if average is not None else None,
        link(tab="closed"),
        "星",
    )
    rate = figures["satisfaction_rate"]
    yield Stat(
        "requests.satisfaction_rate",
        "满意率（4星及以上）",
        Decimal(str(rate)) if rate is not None else None,
        link(tab="closed"),
        "%",
    )
    for row in figures["by_category"]:
        yield Stat(
            f"requests.by_category.{row['category']}",
            Category(row["category"]).label,
            row["count"],
            link(tab="all", category=row["category"]),
            "件",
            "requests.by_category",
        )
