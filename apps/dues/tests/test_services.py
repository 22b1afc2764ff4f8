import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone

from apps.core.errors import ConflictError, DomainError
from apps.core.testing.factories import make_member
from apps.dues.models import DuesBill, DuesPayment
from apps.dues.rules import monthly_dues
from apps.dues.selectors import arrears, collection, collection_by_child
from apps.dues.services import (
    dues_base_set,
    dues_bills_generate,
    dues_payment_record,
    dues_rebate_grant,
    rebate_spend,
)

THIS_MONTH = timezone.localdate().replace(day=1)
LAST_MONTH = (THIS_MONTH - dt.timedelta(days=1)).replace(day=1)
BASES = [
    "0",
    "0.01",
    "1001",
    "2999.90",
    "3000",
    "3000.01",
    "4999.99",
    "5000",
    "5000.01",
    "9999.99",
    "10000",
    "10000.01",
    "123456.78",
]


@pytest.fixture
def billed(zone, admin_user):
    members = []
    for i, base in enumerate(BASES):
        m = make_member(
            zone["a1"] if i % 2 else zone["b1"],
            admission_date=dt.date(2000, 1, 1),
            full_membership_date=dt.date(2001, 1, 1),
        )
        category = "retired" if i % 3 == 0 else "employed"
        dues_base_set(
            actor=admin_user, member_id=m.pk, base=base, category=category, effective_from=dt.date(2020, 1, 1)
        )
        members.append((m, Decimal(base), category))
    return members


def test_generated_amounts_match_the_rule_on_this_database(billed, admin_user):
    result = dues_bills_generate(actor=admin_user, month=THIS_MONTH)
    assert result.created == len(BASES)
    for member, base, category in billed:
        bill = DuesBill.objects.get(member=member, month=THIS_MONTH)
        assert bill.amount == monthly_dues(base, category), (base, category, bill.amount)


def test_generating_twice_creates_nothing_twice(billed, admin_user):
    dues_bills_generate(actor=admin_user, month=THIS_MONTH)
    again = dues_bills_generate(actor=admin_user, month=THIS_MONTH)
    assert again.created == 0 and again.existing == len(BASES)
    assert DuesBill.objects.count() == len(BASES)


def test_generation_stays_in_the_scope(billed, committee_user):
    result = dues_bills_generate(actor=committee_user, month=THIS_MONTH)
    assert (
        result.created
        == DuesBill.objects.count()
        == sum(1 for m, _, _ in billed if m.org_id != billed[0][0].org_id)
    )


def test_the_latest_base_before_the_month_applies(zone, admin_user):
    m = make_member(zone["a1"], admission_date=dt.date(2000, 1, 1), full_membership_date=dt.date(2001, 1, 1))
    dues_base_set(
        actor=admin_user, member_id=m.pk, base="2000", category="employed", effective_from=dt.date(2020, 1, 1)
    )
    dues_base_set(
        actor=admin_user, member_id=m.pk, base="8000", category="employed", effective_from=THIS_MONTH
    )
    dues_bills_generate(actor=admin_user, month=LAST_MONTH)
    dues_bills_generate(actor=admin_user, month=THIS_MONTH)
    assert DuesBill.objects.get(member=m, month=LAST_MONTH).amount == Decimal("10.00")
    assert DuesBill.objects.get(member=m, month=THIS_MONTH).amount == Decimal("120.00")


def test_members_without_a_base_or_not_yet_admitted_get_no_bill(zone, admin_user):
    make_member(zone["a1"])
    late = make_member(zone["a1"], admission_date=timezone.localdate(), full_membership_date=None)
    dues_base_set(
        actor=admin_user, member_id=late.pk, base="3000", category="employed", effective_from=THIS_MONTH
    )
    result = dues_bills_generate(actor=admin_user, month=LAST_MONTH)
    assert result.created == 0 and result.without_base == 1


def test_future_month_and_negative_base_are_refused(zone, admin_user):
    m = make_member(zone["a1"])
    with pytest.raises(DomainError):
        dues_bills_generate(actor=admin_user, month=THIS_MONTH + dt.timedelta(days=40))
    with pytest.raises(DomainError) as exc:
        dues_base_set(
            actor=admin_user, member_id=m.pk, base="-5", category="employed", effective_from=THIS_MONTH
        )
    assert exc.value.field == "base"
    with pytest.raises(DomainError):
        dues_base_set(
            actor=admin_user, member_id=m.pk, base="abc", category="employed", effective_from=THIS_MONTH
        )


def test_a_payment_is_recorded_once_only(billed, admin_user):
    dues_bills_generate(actor=admin_user, month=THIS_MONTH)
    bill = DuesBill.objects.filter(amount__gt=0).first()
    today = timezone.localdate()
    dues_payment_record(
        actor=admin_user, bill_id=bill.pk, amount=bill.amount, method="cash", paid_on=today, token="t-1"
    )
    with pytest.raises(ConflictError):
        dues_payment_record(
            actor=admin_user, bill_id=bill.pk, amount=bill.amount, method="cash", paid_on=today, token="t-1"
        )
    with pytest.raises(ConflictError):
        dues_payment_record(
            actor=admin_user, bill_id=bill.pk, amount=bill.amount, method="cash", paid_on=today, token="t-2"
        )
    assert DuesPayment.objects.count() == 1
    bill.refresh_from_db()
    assert bill.status == "paid" and bill.paid_amount == bill.amount


def test_wrong_amount_future_date_and_other_scopes_are_refused(billed, admin_user, committee_user):
    dues_bills_generate(actor=admin_user, month=THIS_MONTH)
    bill = DuesBill.objects.filter(amount__gt=0).first()
    with pytest.raises(DomainError) as exc:
        dues_payment_record(
            actor=admin_user,
            bill_id=bill.pk,
            amount=bill.amount + 1,
            method="cash",
            paid_on=timezone.localdate(),
            token="a",
        )
    assert exc.value.field == "amount"
    with pytest.raises(DomainError):
        dues_payment_record(
            actor=admin_user,
            bill_id=bill.pk,
            amount=bill.amount,
            method="cash",
            paid_on=timezone.localdate() + dt.timedelta(days=1),
            token="b",
        )
    other = DuesBill.objects.exclude(org_path__startswith=committee_user.grants.get().org.path).first()
    with pytest.raises(Http404):
        dues_payment_record(
            actor=committee_user,
            bill_id=other.pk,
            amount=other.amount,
            method="cash",
            paid_on=timezone.localdate(),
            token="c",
        )
    assert not DuesPayment.objects.exists()


def test_back_payment_is_limited_to_six_months(zone, admin_user):
    m = make_member(zone["a1"], admission_date=dt.date(2000, 1, 1), full_membership_date=dt.date(2001, 1, 1))
    dues_base_set(
        actor=admin_user, member_id=m.pk, base="4000", category="employed", effective_from=dt.date(2020, 1, 1)
    )
    old = (THIS_MONTH - dt.timedelta(days=7 * 31)).replace(day=1)
    dues_bills_generate(actor=admin_user, month=old)
    bill = DuesBill.objects.get(month=old)
    with pytest.raises(DomainError) as exc:
        dues_payment_record(
            actor=admin_user,
            bill_id=bill.pk,
            amount=bill.amount,
            method="transfer",
            paid_on=timezone.localdate(),
            token="x",
        )
    assert exc.value.code == "dues.back_payment_limit"


def test_member_cannot_record_a_payment_for_anyone(billed, admin_user, member_user):
    dues_bills_generate(actor=admin_user, month=THIS_MONTH)
    bill = DuesBill.objects.first()
    with pytest.raises(Http404):
        dues_payment_record(
            actor=member_user,
            bill_id=bill.pk,
            amount=bill.amount,
            method="online",
            paid_on=timezone.localdate(),
            token="m",
        )


def test_collection_rate_and_arrears(billed, admin_user, zone):
    dues_bills_generate(actor=admin_user, month=LAST_MONTH)
    dues_bills_generate(actor=admin_user, month=THIS_MONTH)
    paid = DuesBill.objects.filter(month=THIS_MONTH).order_by("id")[:3]
    for i, bill in enumerate(paid):
        dues_payment_record(
            actor=admin_user,
            bill_id=bill.pk,
            amount=bill.amount,
            method="cash",
            paid_on=timezone.localdate(),
            token=f"p{i}",
        )
    summary = collection(admin_user, month=THIS_MONTH)
    assert summary["bills"] == len(BASES) and summary["paid"] == 3
    assert summary["rate"] == (Decimal(3) / len(BASES)).quantize(Decimal("0.0001"))
    rows = {r["org"].name: r for r in collection_by_child(admin_user, month=THIS_MONTH, parent=zone["root"])}
    assert rows["甲党委"]["bills"] + rows["乙党委"]["bills"] == len(BASES)
    owed = {r["member_id"]: r["months"] for r in arrears(admin_user)}
    assert max(owed.values()) == 2 and len(owed) == len(BASES)


def test_rebate_spending_cannot_exceed_the_rebate(zone, admin_user):
    rebate = dues_rebate_grant(
        actor=admin_user,
        org_id=zone["a1"].pk,
        year=timezone.localdate().year,
        amount="500",
        granted_on=timezone.localdate(),
    )
    rebate_spend(
        actor=admin_user,
        rebate_id=rebate.pk,
        amount="300",
        spent_on=timezone.localdate(),
        purpose="购买学习书籍",
    )
    with pytest.raises(DomainError) as exc:
        rebate_spend(
            actor=admin_user, rebate_id=rebate.pk, amount="201", spent_on=timezone.localdate(), purpose="活动"
        )
    assert "余额200" in exc.value.message


def test_the_scheduled_job_and_the_command_bill_the_whole_zone(billed):
    from django.core.management import call_command

    from apps.dues.tasks import generate_zone_bills

    assert generate_zone_bills()["created"] == len(BASES)
    call_command("generate_dues_bills")
    assert DuesBill.objects.count() == len(BASES)
