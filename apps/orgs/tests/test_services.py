import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.testing.factories import make_member
from apps.members.models import Member
from apps.orgs.models import Organization, OrgMove
from apps.orgs.services import committee_member_add, org_create, org_move, org_update


def test_create_builds_the_path_under_the_parent(zone, admin_user):
    org = org_create(
        actor=admin_user, parent_id=zone["a"].pk, values={"name": "甲三支部", "org_type": "branch"}
    )
    assert org.path.startswith(zone["a"].path)
    assert org.depth == zone["a"].depth + 1
    assert org.name_initials == "jszb"


def test_a_branch_cannot_hold_a_committee(zone, admin_user):
    with pytest.raises(DomainError) as exc:
        org_create(
            actor=admin_user, parent_id=zone["a1"].pk, values={"name": "错误党委", "org_type": "committee"}
        )
    assert exc.value.field == "org_type"


def test_temporary_branch_needs_an_end_date(zone, admin_user):
    with pytest.raises(DomainError) as exc:
        org_create(
            actor=admin_user,
            parent_id=zone["a"].pk,
            values={"name": "项目临时党支部", "org_type": "temp_branch"},
        )
    assert exc.value.code == "org.temp_end_required"


def test_committee_admin_cannot_create_outside_the_subtree(zone, committee_user):
    with pytest.raises(Http404):
        org_create(
            actor=committee_user, parent_id=zone["b"].pk, values={"name": "越权支部", "org_type": "branch"}
        )
    assert not Organization.objects.filter(name="越权支部").exists()


def test_move_rewrites_the_subtree_and_its_members_and_keeps_history(zone, admin_user):
    member = make_member(zone["a1"])
    group = org_create(
        actor=admin_user, parent_id=zone["a1"].pk, values={"name": "甲一第一党小组", "org_type": "group"}
    )

    org_move(actor=admin_user, org_id=zone["a1"].pk, new_parent_id=zone["b"].pk, reason="划转")

    a1 = Organization.objects.get(pk=zone["a1"].pk)
    group.refresh_from_db()
    assert a1.parent_id == zone["b"].pk
    assert a1.path.startswith(zone["b"].path)
    assert group.path.startswith(a1.path) and group.depth == a1.depth + 1
    assert Member.objects.get(pk=member.pk).org_path == a1.path
    move = OrgMove.objects.get(org=a1)
    assert move.from_parent_id == zone["a"].pk and move.to_parent_id == zone["b"].pk and move.reason == "划转"
    assert a1.history.filter(parent_id=zone["a"].pk).exists()


def test_move_under_its_own_descendant_is_refused(zone, admin_user):
    with pytest.raises(DomainError) as exc:
        org_move(actor=admin_user, org_id=zone["a"].pk, new_parent_id=zone["a1"].pk)
    assert exc.value.code in {"org.move_into_self", "org.child_type"}


def test_move_needs_rights_on_both_sides(zone, committee_user):
    with pytest.raises(Http404):
        org_move(actor=committee_user, org_id=zone["a1"].pk, new_parent_id=zone["b"].pk)
    assert Organization.objects.get(pk=zone["a1"].pk).parent_id == zone["a"].pk


def test_move_with_a_future_date_is_refused(zone, admin_user):
    with pytest.raises(DomainError):
        org_move(
            actor=admin_user,
            org_id=zone["a1"].pk,
            new_parent_id=zone["b"].pk,
            effective_on=timezone.localdate() + dt.timedelta(days=3),
        )


def test_update_refuses_an_election_date_in_the_future(zone, admin_user):
    with pytest.raises(DomainError) as exc:
        org_update(
            actor=admin_user,
            org_id=zone["a1"].pk,
            values={"last_election_on": timezone.localdate() + dt.timedelta(days=1)},
        )
    assert exc.value.field == "last_election_on"


def test_update_records_the_reason_in_history(zone, admin_user):
    org_update(actor=admin_user, org_id=zone["a1"].pk, values={"star_rating": 4}, reason="年度评星")
    assert zone["a1"].history.filter(history_change_reason="年度评星", star_rating=4).exists()


def test_only_one_sitting_secretary(zone, admin_user):
    committee_member_add(
        actor=admin_user,
        org_id=zone["a1"].pk,
        name="李四",
        role="secretary",
        term_start=dt.date(2024, 1, 1),
        term_end=None,
        member_id=None,
    )
    with pytest.raises(DomainError):
        committee_member_add(
            actor=admin_user,
            org_id=zone["a1"].pk,
            name="王五",
            role="secretary",
            term_start=dt.date(2024, 1, 1),
            term_end=None,
            member_id=None,
        )


def test_a_move_carries_the_records_of_the_subtree_to_the_new_parents_scope(zone, admin_user, client_for):
    """Zones, households and requests (and every other record holding a copy of the path) follow the
    organization, so the old committee loses them and the new one gains them."""
    from apps.core.scoping import Role
    from apps.core.testing.factories import UserFactory, grant
    from apps.grid.models import Group, Household, Zone
    from apps.grid.selectors import households_for
    from apps.orgs.services import path_copies
    from apps.resident_requests.models import ResidentRequest

    grid_zone = Zone.objects.create(org=zone["a1"], org_path=zone["a1"].path, code="Z1", name="甲一片")
    group = Group.objects.create(zone=grid_zone, code="1", name="一组")
    house = Household.objects.create(
        zone=grid_zone, group=group, org_path=zone["a1"].path, code="Z1-1", address="1号", head_name="王"
    )
    request = ResidentRequest.objects.create(
        receipt_code="SQTEST000001", channel="hotline", zone=grid_zone, org_path=zone["a1"].path, submitter_name="王",
        submitter_phone="13800000000", category="other", title="路灯坏了", content="小区路灯坏了三天", received_on=dt.date(2026, 11, 2),
    )  # fmt: skip
    committee_b = grant(UserFactory(username="committee-b"), Role.COMMITTEE_ADMIN, zone["b"])
    committee_a = grant(UserFactory(username="committee-a2"), Role.COMMITTEE_ADMIN, zone["a"])
    old_path = zone["a1"].path
    org_move(actor=admin_user, org_id=zone["a1"].pk, new_parent_id=zone["b"].pk)
    zone["a1"].refresh_from_db()
    for model, column in path_copies():
        stale = model._default_manager.filter(**{f"{column}__startswith": old_path})
        assert not stale.exists(), f"{model._meta.label}.{column} kept the old path"
    assert Zone.objects.get(pk=grid_zone.pk).org_path == zone["a1"].path
    assert ResidentRequest.objects.get(pk=request.pk).org_path == zone["a1"].path
    assert list(households_for(committee_b)) == [house]
    assert not households_for(committee_a).exists()
