"""Overdue requests and work-order parts as alerts (预警), heard by the department's staff.

The alerts are placed on the zone's top organization (departments are outside the party tree), so the
zone's administrators see them all, and carry the channel "requests:dept:<id>" that the department's
staff hear through the audience registered here. One query per kind of item, whatever the zone's size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from apps.core.calendar import working_days_between
from apps.core.rules_engine import AlertSpec, audience, rule
from apps.resident_requests.flow import PART_OPEN_STATES, WAITING_STATES

KIND = "request_overdue"


def channel_of(department_id: int | None) -> str:
    return f"requests:dept:{department_id}" if department_id else ""


@audience
def department_channels(user: Any) -> Iterator[str]:
    from apps.resident_requests.selectors import department_ids

    for pk in department_ids(user):
        yield channel_of(pk)


def level_of(due: dt.date, today: dt.date) -> str:
    """warning when 1–2 working days late, danger beyond."""
    return "warning" if working_days_between(due, today) <= 2 else "danger"


@rule(KIND, "民情诉求超期")
def request_overdue(today: dt.date) -> Iterator[AlertSpec]:
    from apps.orgs.selectors import zone_root
    from apps.resident_requests.models import ResidentRequest, WorkOrderPart

    root = zone_root()
    if root is None:
        return
    requests = ResidentRequest.objects.filter(state__in=WAITING_STATES, due_date__lt=today).values_list(
        "pk", "receipt_code", "title", "due_date", "department_id", "department__name"
    )
    for pk, code, title, due, department_id, department_name in requests.iterator(chunk_size=2000):
        if due is None:
            continue
        late = working_days_between(due, today)
        if late <= 0:
            continue  # past the date but not yet a working day late (a weekend or holiday after it)
        who = department_name or "待分派"
        yield AlertSpec(
            key=f"{KIND}:request:{pk}", kind=KIND, level=level_of(due, today), org_id=root.pk, org_path=root.path,
            title=f"民情诉求超期：{title[:30]}",
            message=f"{code}（{who}）办理期限{due:%Y-%m-%d}，已超期{late}个工作日",
            link=reverse("resident_requests:detail", args=[pk]), due_date=due, channel=channel_of(department_id),
        )  # fmt: skip
    parts = WorkOrderPart.objects.filter(state__in=PART_OPEN_STATES, due_date__lt=today).values_list(
        "pk",
        "work_order_id",
        "work_order__number",
        "work_order__title",
        "due_date",
        "department_id",
        "department__name",
    )
    for pk, order_id, number, title, due, department_id, department_name in parts.iterator(chunk_size=2000):
        if due is None:
            continue
        late = working_days_between(due, today)
        if late <= 0:
            continue
        yield AlertSpec(
            key=f"{KIND}:part:{pk}", kind=KIND, level=level_of(due, today), org_id=root.pk, org_path=root.path,
            title=f"工作联系单超期：{title[:30]}",
            message=f"{number} {department_name}承办部分期限{due:%Y-%m-%d}，已超期{late}个工作日",
            link=reverse("resident_requests:work_order", args=[order_id]), due_date=due,
            channel=channel_of(department_id),
        )  # fmt: skip
