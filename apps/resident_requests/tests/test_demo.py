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
