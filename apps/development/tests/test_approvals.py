"""The higher committee's approval of an admission, as a work item of the shared engine."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.scoping import Role
from apps.core.testing.factories import UserFactory, grant, make_members, new_citizen_id
from apps.core.workflow import events_of
from apps.development import rules, services
from apps.development.models import AdmissionApproval, Stage

TODAY = timezone.localdate()


@pytest.fixture
def voted(zone, secretary_user):
    """A candidate of branch A1 whose branch meeting voted yes 40 days ago."""
    members = make_members(
        zone["a1"], 6, admission_date=dt.date(2005, 1, 1), full_membership_date=dt.date(2006, 1, 1)
    )
    start = TODAY - dt.timedelta(days=500)
    p = services.prospect_register(
        actor=secretary_user, org_id=zone["a1"].pk, name="李明", citizen_id=new_citizen_id(dt.date(1995, 5, 5), "male"),
        application_date=start,
    )  # fmt: skip
    services.record_talk(actor=secretary_user, prospect_id=p.pk, on=start + dt.timedelta(days=5), by="王书记")
    services.make_activist(
        actor=secretary_user, prospect_id=p.pk, on=start + dt.timedelta(days=10), contact_ids=[members[0].pk]
    )
    services.make_candidate(actor=secretary_user, prospect_id=p.pk, on=start + dt.timedelta(days=380))
    services.prepare_admission(
        actor=secretary_user, prospect_id=p.pk, review_date=start + dt.timedelta(days=390), training_hours=24,
        introducer_ids=[members[1].pk, members[2].pk], publicity_start=start + dt.timedelta(days=400),
    )  # fmt: skip
    services.branch_meeting_vote(
        actor=secretary_user, prospect_id=p.pk, on=TODAY - dt.timedelta(days=40), eligible=6, present=6, yes=6
    )
    p.refresh_from_db()
    return p


def test_the_vote_reports_to_the_nearest_committee_with_a_three_month_deadline(zone, voted):
    approval = AdmissionApproval.objects.get(prospect=voted)
    assert approval.org == zone["a"] and approval.state == "pending"
    assert approval.due_date == rules.approval_deadline(voted.meeting_date)
    assert [(e.action, e.from_state, e.to_state) for e in events_of(approval)] == [("submit", "", "pending")]


def test_the_branch_cannot_vote_again_while_the_committee_decides(voted, secretary_user):
    with pytest.raises(DomainError) as exc:
        services.branch_meeting_vote(
            actor=secretary_user, prospect_id=voted.pk, on=TODAY, eligible=6, present=6, yes=6
        )
    assert exc.value.code == "development.approval_pending"
    assert AdmissionApproval.objects.count() == 1


def test_only_the_committee_above_sees_and_decides_the_approval(zone, voted, committee_user, secretary_user):
    other = grant(UserFactory(username="committee-b"), Role.COMMITTEE_ADMIN, zone["b"])
    assert list(services.approvals_for(committee_user)) == [AdmissionApproval.objects.get()]
    assert not services.approvals_for(other).exists()
    assert not services.approvals_for(secretary_user).exists()
    with pytest.raises(Http404):
        services.approve_admission(actor=other, prospect_id=voted.pk, on=TODAY)
    with pytest.raises(Http404):
        services.return_admission(actor=secretary_user, prospect_id=voted.pk, reason="材料不全")


def test_approval_closes_the_work_item_and_cannot_be_repeated(voted, committee_user):
    services.approve_admission(actor=committee_user, prospect_id=voted.pk, on=TODAY)
    approval = AdmissionApproval.objects.get()
    assert (approval.state, approval.decided_on, approval.due_date) == ("approved", TODAY, None)
    assert [e.action for e in events_of(approval)] == ["submit", "approve"]
    with pytest.raises(DomainError):
        services.approve_admission(actor=committee_user, prospect_id=voted.pk, on=TODAY)


def test_a_returned_case_goes_back_to_the_branch_for_a_new_vote(voted, committee_user, secretary_user):
    with pytest.raises(DomainError):
        services.return_admission(actor=committee_user, prospect_id=voted.pk, reason="  ")
    services.return_admission(
        actor=committee_user, prospect_id=voted.pk, reason="谈话发现入党动机需进一步端正"
    )
    voted.refresh_from_db()
    first = AdmissionApproval.objects.get()
    assert first.state == "returned" and "入党动机" in first.note
    assert voted.stage == Stage.CANDIDATE and voted.meeting_date is None
    with pytest.raises(DomainError):
        services.approve_admission(actor=committee_user, prospect_id=voted.pk, on=TODAY)
    services.branch_meeting_vote(
        actor=secretary_user, prospect_id=voted.pk, on=TODAY, eligible=6, present=6, yes=5
    )
    assert AdmissionApproval.objects.filter(state="pending").count() == 1
    assert voted.steps.filter(step="上级党委退回").exists()


def test_the_queue_page_and_api_show_the_committee_its_cases_only(
    zone, voted, committee_user, secretary_user, client_for, client
):
    page = client_for(committee_user).get("/development/approvals/")
    assert page.status_code == 200 and "李明" in page.content.decode()
    api = client.get("/api/v1/development/approvals")
    assert [a["prospect_id"] for a in api.json()] == [voted.pk]
    client.force_login(grant(UserFactory(username="committee-b"), Role.COMMITTEE_ADMIN, zone["b"]))
    assert client.get("/api/v1/development/approvals").json() == []
    assert "李明" not in client.get("/development/approvals/").content.decode()
    client.force_login(secretary_user)
    assert client.get("/development/approvals/").status_code == 404


def test_the_detail_page_shows_the_approval_history_and_the_return_form(voted, committee_user, client_for):
    body = client_for(committee_user).get(f"/development/{voted.pk}/").content.decode()
    assert 'data-testid="approval"' in body and "支部报送" in body and 'data-testid="step-return"' in body
    response = client_for(committee_user).post(f"/development/{voted.pk}/return/", {"reason": "材料不全"})
    assert response.status_code == 302
    assert AdmissionApproval.objects.get().state == "returned"
