"""The checklist items evidenced by records other than meetings (SPEC §3 items 4–9)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from apps.core.rules_engine import CHECKS, Period, overdue_within, pending_within
from apps.core.testing.factories import make_member, make_org
from apps.development.models import Prospect
from apps.dues.models import DuesBill
from apps.meetings.models import Meeting, MeetingAttachment, Requirement, RequirementSource
from apps.meetings.selectors import branch_checklist, committee_table
from apps.orgs.models import Organization
from apps.pioneer.models import MonthlyPublication
from apps.pioneer.services import publish_month
from apps.transfers.models import Transfer

# A fixed Wednesday in the middle of a month, so periods and deadlines do not depend on the run date.
TODAY = dt.date(2026, 6, 17)


def item(org, source, on=TODAY, today=TODAY):
    return next(i for i in branch_checklist(org, on=on, today=today) if i.requirement.source == source)


def test_every_record_source_has_a_registered_check_and_a_default_requirement(db):
    sources = set(RequirementSource.values) - {RequirementSource.MEETING}
    assert sources <= set(CHECKS)
    assert set(Requirement.objects.exclude(source="meeting").values_list("source", flat=True)) == sources


def test_a_deadline_counts_against_every_period_it_was_overdue_in():
    june = Period(dt.date(2026, 6, 1), dt.date(2026, 6, 30), TODAY)
    may = Period(dt.date(2026, 5, 1), dt.date(2026, 5, 31), TODAY)
    # Due in May, done in June: late in May and in June (overdue on 1 June too).
    assert overdue_within(dt.date(2026, 5, 20), dt.date(2026, 6, 3), may)
    assert overdue_within(dt.date(2026, 5, 20), dt.date(2026, 6, 3), june)
    # Done on time: never late. Still open: late in every period since.
    assert not overdue_within(dt.date(2026, 5, 20), dt.date(2026, 5, 20), may)
    assert overdue_within(dt.date(2026, 4, 1), None, june)
    # Due later this month and not done yet: pending, not late.
    assert not overdue_within(dt.date(2026, 6, 25), None, june)
    assert pending_within(dt.date(2026, 6, 25), None, june)


def test_a_transfer_left_without_its_letter_misses_the_transfer_item(zone):
    member = make_member(zone["a1"])
    Transfer.objects.create(
        kind="out", member=member, person_name=member.name, from_org=zone["a1"], from_path=zone["a1"].path,
        to_external="外省某党委", reason="工作调动", requested_on=dt.date(2026, 5, 4),
    )  # fmt: skip
    result = item(zone["a1"], "transfers")
    assert (result.status, result.light) == ("missed", "red")
    assert "超过办理期限" in result.note and f"org={zone['a1'].pk}" in result.link
    # The receiving side of nothing and an unrelated branch are not affected.
    assert item(zone["a2"], "transfers").status == "done"
    # Before the letter was due (issue within 5 working days of 4 May), April was fine.
    assert item(zone["a1"], "transfers", on=dt.date(2026, 4, 15)).status == "done"


def test_a_transfer_handled_in_time_leaves_the_item_done(zone):
    member = make_member(zone["a1"])
    Transfer.objects.create(
        kind="within", member=member, person_name=member.name, from_org=zone["a1"], from_path=zone["a1"].path,
        to_org=zone["b1"], to_path=zone["b1"].path, reason="工作调动", requested_on=dt.date(2026, 6, 1),
        issued_on=dt.date(2026, 6, 2), completed_on=dt.date(2026, 6, 10), state="completed",
    )  # fmt: skip
    assert item(zone["a1"], "transfers").status == "done"
    assert item(zone["b1"], "transfers").status == "done"


def bill(member, month, **fields):
    return DuesBill.objects.create(
        member=member, month=month, org=member.org, org_path=member.org_path, category="employed",
        base=Decimal("5000"), amount=Decimal("50.00"), **fields,
    )  # fmt: skip


def test_dues_unpaid_are_due_this_month_and_missed_once_the_month_is_over(zone):
    member = make_member(zone["a1"])
    bill(member, dt.date(2026, 5, 1))
    bill(member, dt.date(2026, 6, 1))
    assert item(zone["a1"], "dues").status == "due"
    may = item(zone["a1"], "dues", on=dt.date(2026, 5, 10))
    assert may.status == "missed" and "status=unpaid" in may.link and "month=2026-05" in may.link
    # Paid back in June: May stays late (补缴), June is done.
    DuesBill.objects.update(status="paid", paid_amount=Decimal("50.00"), paid_on=dt.date(2026, 6, 5))
    assert item(zone["a1"], "dues").status == "done"
    assert item(zone["a1"], "dues", on=dt.date(2026, 5, 10)).status == "missed"


def test_a_probation_ended_without_a_decision_misses_the_records_item(zone):
    make_member(
        zone["a1"], status="probationary", admission_date=dt.date(2025, 3, 1), full_membership_date=None
    )
    make_member(
        zone["a2"], status="probationary", admission_date=dt.date(2025, 11, 1), full_membership_date=None
    )
    assert item(zone["a1"], "records").status == "missed"
    assert item(zone["a2"], "records").status == "done"


def test_a_talk_not_held_within_a_month_of_the_application_misses_the_development_item(zone):
    Prospect.objects.create(
        org=zone["a1"], org_path=zone["a1"].path, name="王五", citizen_id_encrypted="x", citizen_id_hash="h1",
        citizen_id_last4="0000", citizen_id_masked="x", gender="男", birth_date=dt.date(1995, 1, 1),
        application_date=dt.date(2026, 4, 1),
    )  # fmt: skip
    assert item(zone["a1"], "development").status == "missed"
    Prospect.objects.update(talk_date=dt.date(2026, 4, 20))
    assert item(zone["a1"], "development").status == "done"


def test_pioneer_scores_published_by_the_branch_complete_the_item(zone, secretary_user, admin_user):
    make_member(zone["a1"])
    assert item(zone["a1"], "pioneer").status == "due"
    assert item(zone["a1"], "pioneer", on=dt.date(2026, 5, 1)).status == "missed"
    publication = publish_month(actor=secretary_user, org_id=zone["a1"].pk, month=dt.date(2026, 5, 1))
    assert len(publication.scores) == 1 and publication.scores[0]["rank"] == 1
    assert item(zone["a1"], "pioneer", on=dt.date(2026, 5, 1)).status == "done"
    # Publishing again is a correction of the same month, not a second publication.
    publish_month(actor=admin_user, org_id=zone["a1"].pk, month=dt.date(2026, 5, 1))
    assert MonthlyPublication.objects.get().revisions == 1


def test_another_branch_cannot_publish_and_a_committee_is_refused(zone, secretary_user, admin_user):
    from apps.core.errors import DomainError

    with pytest.raises(Http404):
        publish_month(actor=secretary_user, org_id=zone["b1"].pk, month=dt.date(2026, 5, 1))
    with pytest.raises(DomainError):
        publish_month(actor=admin_user, org_id=zone["a"].pk, month=dt.date(2026, 5, 1))
    assert not MonthlyPublication.objects.exists()


def test_a_meeting_without_minutes_or_attachment_leaves_the_ledger_incomplete(zone):
    meeting = Meeting.objects.create(
        org=zone["a1"], org_path=zone["a1"].path, meeting_type="theme_day", topic="主题党日",
        date=dt.date(2026, 6, 2), status="held",
    )  # fmt: skip
    result = item(zone["a1"], "ledger")
    assert result.status == "due" and "1次会议" in result.note
    MeetingAttachment.objects.create(
        meeting=meeting, name="签到表.pdf", path="/x", size=1, content_type="application/pdf"
    )
    assert item(zone["a1"], "ledger").status == "done"


def test_a_term_past_its_end_misses_the_election_item(zone):
    Organization.objects.filter(pk=zone["a1"].pk).update(last_election_on=dt.date(2023, 3, 1))
    Organization.objects.filter(pk=zone["a2"].pk).update(last_election_on=dt.date(2023, 12, 1))
    zone["a1"].refresh_from_db()
    zone["a2"].refresh_from_db()
    assert item(zone["a1"], "election").status == "missed"
    assert item(zone["a2"], "election", on=dt.date(2026, 12, 1)).status == "due"


def test_the_committee_table_counts_record_items_as_red(zone, committee_user):
    Organization.objects.filter(pk=zone["a1"].pk).update(last_election_on=dt.date(2020, 1, 1))
    member = make_member(zone["a2"])
    bill(member, dt.date(2026, 5, 1))
    requirements, rows = committee_table(committee_user, zone["a"], on=dt.date(2026, 5, 10), today=TODAY)
    by_org = {r.org.pk: r for r in rows}
    election = next(r for r in requirements if r.source == "election")
    dues = next(r for r in requirements if r.source == "dues")
    assert by_org[zone["a1"].pk].lights[election.pk] == "red"
    assert by_org[zone["a2"].pk].lights[dues.pk] == "red"
    assert by_org[zone["a1"].pk].lights[dues.pk] == "green"


def test_the_checklist_page_links_a_record_item_to_its_records(zone, secretary_user, client_for):
    make_org("甲一支部第一党小组", "group", zone["a1"])
    member = make_member(zone["a1"])
    bill(member, dt.date(2026, 5, 1))
    response = client_for(secretary_user).get(f"/meetings/checklist/?org={zone['a1'].pk}&on=2026-05-10")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="check-dues"' in body and "/dues/bills/?org=" in body


def test_the_api_publishes_a_month_and_the_checklist_api_reports_record_items(zone, secretary_user, client):
    make_member(zone["a1"])
    client.force_login(secretary_user)
    response = client.post(
        "/api/v1/pioneer/publications",
        {"org": zone["a1"].pk, "month": "2026-05-01"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["members"] == 1
    other = client.post(
        "/api/v1/pioneer/publications",
        {"org": zone["b1"].pk, "month": "2026-05-01"},
        content_type="application/json",
    )
    assert other.status_code == 404
    items = client.get(f"/api/v1/meetings/checklist?org={zone['a1'].pk}&on=2026-05-10").json()
    pioneer = next(i for i in items if i["source"] == "pioneer")
    assert pioneer["status"] == "done"
    dues = next(i for i in items if i["source"] == "dues")
    assert dues["status"] == "done" and dues["note"] == ""
