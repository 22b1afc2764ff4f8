"""The demo requests: about 150 across every state, some overdue and rated, two work orders, the
城管科 account; loading twice adds nothing."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from apps.core.testing.factories import UserFactory
from apps.resident_requests.models import ResidentRequest, WorkOrder
from apps.resident_requests.selectors import overdue_q, requests_for

pytestmark = pytest.mark.django_db


def test_the_demo_loads_requests_in_every_state_once(zone, grid):
    from apps.core.demo import requests as demo

    system = UserFactory(username="system", is_active=False)
    created = demo.load(system, random.Random(2026))
    assert 140 <= created <= 160 and ResidentRequest.objects.count() == created
    states = set(ResidentRequest.objects.values_list("state", flat=True))
    assert {"submitted", "routed", "handling", "work_order", "replied", "closed", "rejected"} <= states
    assert ResidentRequest.objects.filter(rating__isnull=False).count() > 30
    assert ResidentRequest.objects.filter(overdue_q(timezone.localdate())).exists()
    assert ResidentRequest.objects.filter(escalation_level__gt=0).exists()
    assert ResidentRequest.objects.filter(household__isnull=False, channel="liaison").exists()
    assert WorkOrder.objects.count() == 2 and set(WorkOrder.objects.values_list("state", flat=True)) == {
        "sent",
        "working",
    }
    first = ResidentRequest.objects.order_by("received_on").first()
    assert (timezone.localdate() - first.received_on).days > 90
    from apps.accounts.models import User

    clerk = User.objects.get(username="demo-dept")
    assert clerk.display_name == "城管科工作人员" and clerk.check_password("Xianfeng@2026")
    seen = requests_for(clerk)
    assert (
        seen.exists()
        and not seen.exclude(department__code="CGK")
        .exclude(work_order__parts__department__code="CGK")
        .exists()
    )
    assert demo.load(system, random.Random(2026)) == 0
    assert ResidentRequest.objects.count() == created


def test_every_demo_history_runs_in_order_on_its_dates_and_names_system_and_resident(zone, grid):
    from apps.core.demo import requests as demo
    from apps.core.models import WorkItemEvent
    from apps.resident_requests.history import request_history
    from apps.resident_requests.models import WorkOrderPart

    system = UserFactory(username="system", is_active=False)
    demo.load(system, random.Random(7))
    now = timezone.now()
    by_item: dict[tuple[str, int], list] = {}
    for e in WorkItemEvent.objects.select_related("content_type").order_by("id"):
        by_item.setdefault((e.content_type.model, e.object_id), []).append(e)
    for (model, _pk), events in by_item.items():
        stamps = [e.at for e in events]  # in the order they were recorded
        assert stamps == sorted(stamps), (model, [(e.action, e.at) for e in events])
        assert all(at <= now for at in stamps)
    for r in ResidentRequest.objects.all():
        events = by_item[("residentrequest", r.pk)]
        assert events[0].action == "submit"
        assert timezone.localdate(events[0].at) == r.received_on and r.created_at == events[0].at
        for e in events:
            if e.action in ("reject", "close", "rate"):
                assert timezone.localdate(e.at) == r.closed_on, (r.pk, e.action)
            if e.action == "reply":
                assert e.at == r.replied_at
        if r.rated_at is not None:
            assert r.rated_at == next(e.at for e in events if e.action == "rate")
    for part in WorkOrderPart.objects.select_related("work_order"):
        assert by_item[("workorderpart", part.pk)][0].at >= part.work_order.created_at
    # Who acted: the system for escalation and automatic closing, the resident for their own rating.
    rows = [row for r in ResidentRequest.objects.all() for row in request_history(r)]
    assert rows and all(row["by"] != "系统/群众" for row in rows)
    escalations = [row for row in rows if row["action"] == "escalate"]
    assert escalations and {row["by"] for row in escalations} == {"系统"}
    assert {row["by"] for row in rows if row["action"] == "rate"} == {"群众"}
    automatic = [row for row in rows if row["action"] == "close" and "自动办结" in row["note"]]
    assert automatic and {row["by"] for row in automatic} == {"系统"}
    public = ResidentRequest.objects.filter(channel="public").first()
    assert request_history(public)[0]["by"] == "群众"
