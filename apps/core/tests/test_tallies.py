"""The subtree tallies stay equal to the live counts whatever changes the rows (PostgreSQL triggers)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from apps.core import tallies
from apps.core.testing.factories import make_member, make_members
from apps.coverage import services as coverage
from apps.coverage.models import Unit
from apps.coverage.rules import make_credit_code
from apps.coverage.selectors import coverage_breakdown, coverage_rates, current_rates_by_park_type
from apps.dues.models import DuesBill
from apps.dues.selectors import collection
from apps.members.choices import AgeBand
from apps.members.models import Member
from apps.members.selectors import _breakdown_live, member_breakdown

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the tallies are kept by PostgreSQL triggers"
)

TODAY = timezone.localdate()


def same_as_live(user, org_path=None):
    assert member_breakdown(user, org_path) == _breakdown_live(user, org_path)


def test_member_tallies_follow_creates_updates_moves_bulk_writes_and_deletes(
    zone, admin_user, committee_user
):
    people = make_members(zone["a1"], 5)
    make_members(zone["b1"], 3, category="retired")
    same_as_live(admin_user)
    same_as_live(committee_user)
    same_as_live(admin_user, zone["a"].path)
    Member.objects.filter(pk=people[0].pk).update(status="probationary", gender="female")
    Member.objects.filter(pk=people[1].pk).update(category="deceased")
    Member.objects.filter(pk=people[2].pk).update(org=zone["b1"], org_path=zone["b1"].path)
    same_as_live(admin_user)
    same_as_live(committee_user)
    Member.objects.filter(pk=people[3].pk).delete()
    Member.objects.bulk_create(
        [Member(**{f.attname: getattr(people[4], f.attname) for f in Member._meta.concrete_fields if not f.primary_key} | {
            "citizen_id_hash": f"h{i}", "name": f"批量{i}"}) for i in range(4)]
    )  # fmt: skip
    same_as_live(admin_user)
    tallies.compact()
    same_as_live(admin_user)
    same_as_live(committee_user)


def test_age_bands_are_exact_on_the_boundary_days(zone, admin_user):
    # Born exactly 31 years ago today (31, band 31–40) and one day later (30, band ≤30): same birth month.
    make_member(zone["a1"], birth_date=TODAY.replace(year=TODAY.year - 31))
    make_member(zone["a1"], birth_date=TODAY.replace(year=TODAY.year - 31) + dt.timedelta(days=1))
    b = member_breakdown(admin_user)
    assert b["by_age_band"] == _breakdown_live(admin_user, None)["by_age_band"]
    assert b["by_age_band"][AgeBand.UPTO_30] == 1 and b["by_age_band"][AgeBand.FROM_31_TO_40] == 1


def test_bill_tallies_follow_generation_payment_and_deletion(zone, admin_user, committee_user):
    month = TODAY.replace(day=1)
    members = make_members(zone["a1"], 3) + make_members(zone["b1"], 2)
    DuesBill.objects.bulk_create(
        [DuesBill(member=m, month=month, org=m.org, org_path=m.org_path, category="employed", base=Decimal("5000"), amount=Decimal("50.00"))
         for m in members]
    )  # fmt: skip
    DuesBill.objects.filter(member=members[0]).update(
        status="paid", paid_amount=Decimal("50.00"), paid_on=TODAY
    )
    c = collection(admin_user, month=month)
    assert (c["bills"], c["paid"], c["due_amount"], c["paid_amount"]) == (
        5,
        1,
        Decimal("250.00"),
        Decimal("50.00"),
    )
    assert collection(committee_user, month=month)["bills"] == 3
    assert collection(admin_user, month=month, org=zone["b"])["bills"] == 2
    DuesBill.objects.filter(member=members[4]).delete()
    assert collection(admin_user, month=month)["bills"] == 4


def test_unit_tallies_follow_status_changes_closing_moves_and_park_types(zone, admin_user, committee_user):
    park = coverage.park_save(
        actor=admin_user, values={"name": "工业园", "park_type": "industrial", "org": zone["a"].pk}
    )
    other = coverage.park_save(
        actor=admin_user, values={"name": "小镇", "park_type": "town", "org": zone["b"].pk}
    )
    units = [
        coverage.unit_create(actor=admin_user, values={"kind": "enterprise", "name": f"企业{n}", "credit_code": make_credit_code(300 + n),
                             "sector": "C", "size_class": "small", "park": p.pk, "established_on": "2015-01-01"})
        for n, p in enumerate([park, park, park, other])
    ]  # fmt: skip

    def check(user):
        fast = current_rates_by_park_type(user)
        assert fast is not None
        totals, rows = fast
        live_units = (
            Unit.objects.all()
            if user is admin_user
            else Unit.objects.filter(org_path__startswith=zone["a"].path)
        )
        assert totals == coverage_rates(None, units=live_units)
        assert {r.label: r.figures for r in rows} == {
            r.label: r.figures for r in coverage_breakdown("park_type", units=live_units)
        }

    check(admin_user)
    coverage.unit_set_status(
        actor=admin_user,
        unit_id=units[0].pk,
        values={"status": "own", "covering_org": zone["a1"].pk},
        on=TODAY,
    )
    coverage.unit_close(actor=admin_user, unit_id=units[1].pk, on=TODAY)
    check(admin_user)
    check(committee_user)
    coverage.park_save(
        actor=admin_user,
        values={"name": "小镇", "park_type": "cultural", "org": zone["a"].pk},
        park_id=other.pk,
    )
    check(admin_user)
    check(committee_user)
    tallies.rebuild()
    check(admin_user)


def test_organization_tallies_follow_new_closed_and_moved_organizations(zone, admin_user, committee_user):
    from django.db.models import Count

    from apps.core.testing.factories import make_org
    from apps.orgs.models import Organization
    from apps.orgs.stats import org_counts_by_type

    def live(root_path):
        qs = Organization.objects.filter(is_active=True, path__startswith=root_path)
        return dict(qs.values_list("org_type").annotate(n=Count("id")).order_by())

    extra = make_org("甲三支部", "branch", zone["a"])
    assert org_counts_by_type(committee_user) == live(zone["a"].path)
    Organization.objects.filter(pk=extra.pk).update(is_active=False)
    assert org_counts_by_type(committee_user) == live(zone["a"].path)
    Organization.objects.filter(pk=zone["b1"].pk).update(
        path=zone["a"].path + zone["b1"].path[-5:], parent=zone["a"]
    )
    assert org_counts_by_type(committee_user) == live(zone["a"].path)
    assert org_counts_by_type(admin_user) == live(zone["root"].path)
