"""Concurrent confirmations change nothing twice (PostgreSQL row locks)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.scoping import Role
from apps.core.testing.factories import UserFactory, grant, make_member, new_citizen_id
from apps.development import services as dev
from apps.members.models import Member, MemberOrgPeriod
from apps.transfers import services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and parallel writers need PostgreSQL"
    ),
]


def run_parallel(fn, n=4):
    barrier = threading.Barrier(n)
    refused = []

    def worker():
        try:
            barrier.wait()
            fn()
        except DomainError as exc:
            refused.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return refused


def test_parallel_receipts_move_the_member_once(zone, secretary_user):
    receiver = grant(UserFactory(username="receiver"), Role.BRANCH_SECRETARY, zone["b1"])
    member = make_member(
        zone["a1"], admission_date=dt.date(2010, 1, 1), full_membership_date=dt.date(2011, 1, 1)
    )
    t = services.transfer_request(
        actor=secretary_user, member_id=member.pk, to_org_id=zone["b1"].pk, reason="调动"
    )
    services.transfer_issue(actor=secretary_user, transfer_id=t.pk, dues_paid_to=timezone.localdate())
    refused = run_parallel(lambda: services.transfer_receive(actor=receiver, transfer_id=t.pk))
    assert len(refused) == 3
    assert Member.objects.get(pk=member.pk).org_id == zone["b1"].pk
    assert MemberOrgPeriod.objects.filter(member=member).count() == 2


def test_parallel_identical_development_steps_record_once(zone, secretary_user):
    today = timezone.localdate()
    p = dev.prospect_register(
        actor=secretary_user,
        org_id=zone["a1"].pk,
        name="并发甲",
        citizen_id=new_citizen_id(dt.date(1995, 1, 1)),
        application_date=today - dt.timedelta(days=3),
    )
    refused = run_parallel(
        lambda: dev.record_talk(actor=secretary_user, prospect_id=p.pk, on=today, by="书记")
    )
    p.refresh_from_db()
    assert p.talk_date == today
    assert p.steps.filter(step="派人谈话").count() == 1 and len(refused) == 3
