"""Concurrent requests change nothing twice (PostgreSQL: real row locks and parallel connections)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.testing.factories import make_member
from apps.dues.models import DuesBill, DuesPayment
from apps.dues.services import dues_base_set, dues_bills_generate, dues_payment_record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and parallel writers need PostgreSQL"
    ),
]


def run_parallel(fn, n=4):
    barrier = threading.Barrier(n)
    errors = []

    def worker(i):
        try:
            barrier.wait()
            fn(i)
        except DomainError as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_parallel_generation_creates_each_bill_once(zone, admin_user):
    for _ in range(5):
        m = make_member(
            zone["a1"], admission_date=dt.date(2001, 1, 1), full_membership_date=dt.date(2002, 1, 1)
        )
        dues_base_set(
            actor=admin_user,
            member_id=m.pk,
            base="4000",
            category="employed",
            effective_from=dt.date(2020, 1, 1),
        )
    month = timezone.localdate().replace(day=1)
    run_parallel(lambda i: dues_bills_generate(actor=admin_user, month=month))
    assert DuesBill.objects.filter(month=month).count() == 5


def test_parallel_payments_of_one_bill_record_one(zone, admin_user):
    m = make_member(zone["a1"], admission_date=dt.date(2001, 1, 1), full_membership_date=dt.date(2002, 1, 1))
    dues_base_set(
        actor=admin_user, member_id=m.pk, base="4000", category="employed", effective_from=dt.date(2020, 1, 1)
    )
    month = timezone.localdate().replace(day=1)
    dues_bills_generate(actor=admin_user, month=month)
    bill = DuesBill.objects.get()
    errors = run_parallel(
        lambda i: dues_payment_record(
            actor=admin_user,
            bill_id=bill.pk,
            amount=bill.amount,
            method="cash",
            paid_on=timezone.localdate(),
            token=f"tok-{i % 2}",
        )
    )
    assert DuesPayment.objects.count() == 1
    assert len(errors) == 3
