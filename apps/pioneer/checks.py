"""Checklist item 党员先锋指数管理: each month's scores reviewed and published by the branch."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from apps.core.rules_engine import DUE, MISSED, CheckResult, Period, check


def _months(start: dt.date, last: dt.date) -> list[dt.date]:
    months, day = [], start.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


@check("pioneer", "先锋指数按月评定公示")
def pioneer_published(branch_ids: list[int], period: Period) -> dict[int, CheckResult]:
    """Every month of the period that has begun needs its publication; a month not yet over is only due."""
    from apps.pioneer.models import MonthlyPublication

    months = _months(period.start, period.checked_until)
    if not months:
        return {}
    published: dict[int, set[dt.date]] = {}
    for org_id, month in MonthlyPublication.objects.filter(
        org_id__in=branch_ids, month__gte=months[0], month__lte=months[-1]
    ).values_list("org_id", "month"):
        published.setdefault(org_id, set()).add(month)
    link = reverse("pioneer:ranking")
    result = {}
    for org_id in branch_ids:
        missing = [m for m in months if m not in published.get(org_id, set())]
        if not missing:
            continue
        ended = [m for m in missing if _months(m, period.today)[1:]]  # a later month has begun
        first = missing[0]
        result[org_id] = CheckResult(
            MISSED if ended else DUE,
            "、".join(f"{m.month}月" for m in missing) + "得分未公示",
            f"{link}?org={org_id}&year={first.year}&month={first.month}",
        )
    return result
