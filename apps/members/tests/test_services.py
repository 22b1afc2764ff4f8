import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from apps.core.errors import ConflictError, DomainError
from apps.core.models import AccessAction, AccessLog
from apps.core.testing.factories import make_member, member_values
from apps.members.models import Member, MemberOrgPeriod
from apps.members.selectors import org_on
from apps.members.services import (
    member_create,
    member_make_full,
    member_reveal,
    member_set_category,
    member_update,
)


def test_create_stores_the_id_encrypted_with_hash_tail_and_mask(zone, secretary_user):
    values = member_values(zone["a1"])
    member = member_create(actor=secretary_user, values=values)
    row = Member.objects.get(pk=member.pk)
    assert values["citizen_id"] not in row.citizen_id_encrypted
    assert row.citizen_id_last4 == values["citizen_id"][-4:]
    assert row.citizen_id_masked == values["citizen_id"][:6] + "********" + values["citizen_id"][-4:]
    assert row.org_path == zone["a1"].path
    assert MemberOrgPeriod.objects.filter(member=row, end__isnull=True, org=zone["a1"]).count() == 1


def test_the_same_id_cannot_be_registered_twice(zone, admin_user):
    values = member_values(zone["a1"])
    member_create(actor=admin_user, values=values)
    with pytest.raises(ConflictError):
        member_create(actor=admin_user, values=values | {"org": zone["b1"], "name": "另一人"})


def test_secretary_cannot_register_in_another_branch(zone, secretary_user):
    with pytest.raises(DomainError) as exc:
        member_create(actor=secretary_user, values=member_values(zone["a2"]))
    assert exc.value.field == "org"
    assert not Member.objects.exists()


def test_update_outside_scope_is_404_and_changes_nothing(zone, secretary_user):
    other = make_member(zone["b1"], name="王五")
    with pytest.raises(Http404):
        member_update(actor=secretary_user, member_id=other.pk, changes={"name": "篡改"})
    assert Member.objects.get(pk=other.pk).name == "王五"


def test_moving_a_member_closes_one_period_and_opens_the_next(zone, committee_user):
    member = make_member(zone["a1"])
    on = timezone.localdate() - dt.timedelta(days=10)
    member_update(
        actor=committee_user, member_id=member.pk, changes={"org": zone["a2"]}, reason="调整", effective_on=on
    )
    periods = list(MemberOrgPeriod.objects.filter(member=member).order_by("start"))
    assert [p.org_id for p in periods] == [zone["a1"].pk, zone["a2"].pk]
    assert periods[0].end == on == periods[1].start and periods[1].end is None
    assert org_on(member, on - dt.timedelta(days=1)) == zone["a1"]
    assert org_on(member, on) == zone["a2"]
    assert org_on(member, member.admission_date - dt.timedelta(days=1)) is None


def test_a_committee_cannot_move_a_member_out_of_its_subtree(zone, committee_user):
    member = make_member(zone["a1"])
    with pytest.raises(DomainError):
        member_update(actor=committee_user, member_id=member.pk, changes={"org": zone["b1"]})
    assert Member.objects.get(pk=member.pk).org_id == zone["a1"].pk


def test_probationary_member_becomes_full_after_one_year_only(zone, secretary_user):
    admission = timezone.localdate() - dt.timedelta(days=400)
    member = make_member(zone["a1"], admission_date=admission, full_membership_date=None)
    with pytest.raises(DomainError) as exc:
        member_make_full(actor=secretary_user, member_id=member.pk, on=admission + dt.timedelta(days=100))
    assert "最早可于" in exc.value.message
    member_make_full(
        actor=secretary_user,
        member_id=member.pk,
        on=admission + dt.timedelta(days=366),
        reason="支部大会通过",
    )
    member.refresh_from_db()
    assert member.status == "full"
    assert member.history.filter(history_change_reason="支部大会通过", history_user=secretary_user).exists()
    with pytest.raises(ConflictError):
        member_make_full(actor=secretary_user, member_id=member.pk, on=timezone.localdate())


def test_category_change_needs_a_reason_and_is_recorded(zone, secretary_user):
    member = make_member(zone["a1"])
    with pytest.raises(DomainError):
        member_set_category(
            actor=secretary_user,
            member_id=member.pk,
            category="lost_contact",
            on=timezone.localdate(),
            reason=" ",
        )
    member_set_category(
        actor=secretary_user,
        member_id=member.pk,
        category="lost_contact",
        on=timezone.localdate(),
        reason="半年未联系",
    )
    member.refresh_from_db()
    assert member.category == "lost_contact" and member.category_since == timezone.localdate()
    assert member.history.filter(history_change_reason="半年未联系").exists()


def test_reveal_returns_the_id_and_writes_the_access_log(zone, secretary_user):
    values = member_values(zone["a1"])
    member = member_create(actor=secretary_user, values=values)
    assert (
        member_reveal(actor=secretary_user, member_id=member.pk, field="citizen_id") == values["citizen_id"]
    )
    log = AccessLog.objects.get()
    assert (
        log.action == AccessAction.REVEAL_CITIZEN_ID
        and log.target_id == member.pk
        and log.user == secretary_user
    )


def test_a_member_may_reveal_only_their_own_record(zone, member_user):
    own = Member.objects.get(user=member_user)
    other = make_member(zone["a1"])
    assert member_reveal(actor=member_user, member_id=own.pk, field="phone") == own.phone
    with pytest.raises(Http404):
        member_reveal(actor=member_user, member_id=other.pk, field="phone")
