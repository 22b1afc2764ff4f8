import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.testing.factories import make_members, new_citizen_id
from apps.development import services
from apps.development.models import Stage
from apps.members.models import Member

TODAY = timezone.localdate()


@pytest.fixture
def branch_members(zone):
    return make_members(
        zone["a1"], 6, admission_date=dt.date(2005, 1, 1), full_membership_date=dt.date(2006, 1, 1)
    )


def register(actor, zone, application_date, birth=dt.date(1995, 5, 5)):
    return services.prospect_register(
        actor=actor,
        org_id=zone["a1"].pk,
        name="李明",
        citizen_id=new_citizen_id(birth, "male"),
        application_date=application_date,
    )


def test_the_whole_way_from_application_to_full_member(zone, secretary_user, committee_user, branch_members):
    start = TODAY - dt.timedelta(days=900)
    p = register(secretary_user, zone, start)
    services.record_talk(
        actor=secretary_user, prospect_id=p.pk, on=start + dt.timedelta(days=10), by="王书记"
    )
    services.make_activist(
        actor=secretary_user,
        prospect_id=p.pk,
        on=start + dt.timedelta(days=20),
        contact_ids=[branch_members[0].pk],
    )
    services.make_candidate(actor=secretary_user, prospect_id=p.pk, on=start + dt.timedelta(days=400))
    services.prepare_admission(
        actor=secretary_user,
        prospect_id=p.pk,
        review_date=start + dt.timedelta(days=410),
        training_hours=24,
        introducer_ids=[branch_members[1].pk, branch_members[2].pk],
        publicity_start=start + dt.timedelta(days=420),
    )
    p.refresh_from_db()
    meeting = p.publicity_end + dt.timedelta(days=1)
    services.branch_meeting_vote(
        actor=secretary_user, prospect_id=p.pk, on=meeting, eligible=6, present=5, yes=5
    )
    with pytest.raises(Http404):
        services.approve_admission(actor=secretary_user, prospect_id=p.pk, on=meeting + dt.timedelta(days=20))
    services.approve_admission(actor=committee_user, prospect_id=p.pk, on=meeting + dt.timedelta(days=20))
    p.refresh_from_db()
    member = Member.objects.get(pk=p.member_id)
    assert (
        p.stage == Stage.PROBATIONARY and member.status == "probationary" and member.admission_date == meeting
    )
    services.make_full(actor=secretary_user, prospect_id=p.pk, on=meeting + dt.timedelta(days=366))
    member.refresh_from_db()
    assert member.status == "full"
    assert p.steps.first().step == "递交入党申请" and p.steps.count() == 8


def test_under_eighteen_is_refused_with_the_date_it_becomes_possible(zone, secretary_user):
    birth = TODAY - dt.timedelta(days=365 * 17)
    with pytest.raises(DomainError) as exc:
        register(secretary_user, zone, TODAY, birth=birth)
    assert "年满18周岁" in exc.value.message and str(birth.year + 18) in exc.value.message


def test_candidate_needs_a_year_as_activist(zone, secretary_user, branch_members):
    p = register(secretary_user, zone, TODAY - dt.timedelta(days=100))
    services.record_talk(actor=secretary_user, prospect_id=p.pk, on=TODAY - dt.timedelta(days=90), by="书记")
    services.make_activist(
        actor=secretary_user,
        prospect_id=p.pk,
        on=TODAY - dt.timedelta(days=80),
        contact_ids=[branch_members[0].pk],
    )
    with pytest.raises(DomainError) as exc:
        services.make_candidate(actor=secretary_user, prospect_id=p.pk, on=TODAY)
    earliest = (TODAY - dt.timedelta(days=80)).replace(
        year=TODAY.year + (1 if (TODAY - dt.timedelta(days=80)).year == TODAY.year else 0)
    )
    assert "一年以上" in exc.value.message and f"{earliest:%Y}" in exc.value.message
    assert type(p).objects.get(pk=p.pk).stage == Stage.ACTIVIST


def test_steps_out_of_order_and_wrong_people_are_refused(zone, secretary_user, branch_members):
    p = register(secretary_user, zone, TODAY - dt.timedelta(days=30))
    with pytest.raises(DomainError):
        services.make_activist(
            actor=secretary_user, prospect_id=p.pk, on=TODAY, contact_ids=[branch_members[0].pk]
        )  # no talk yet
    services.record_talk(actor=secretary_user, prospect_id=p.pk, on=TODAY - dt.timedelta(days=5), by="书记")
    with pytest.raises(DomainError) as exc:
        services.make_activist(
            actor=secretary_user, prospect_id=p.pk, on=TODAY, contact_ids=[m.pk for m in branch_members[:3]]
        )
    assert "1至2名" in exc.value.message
    with pytest.raises(DomainError):
        services.make_candidate(actor=secretary_user, prospect_id=p.pk, on=TODAY)


def test_training_introducers_publicity_and_the_vote(zone, secretary_user, branch_members):
    p = register(secretary_user, zone, TODAY - dt.timedelta(days=800))
    services.record_talk(actor=secretary_user, prospect_id=p.pk, on=TODAY - dt.timedelta(days=790), by="书记")
    services.make_activist(
        actor=secretary_user,
        prospect_id=p.pk,
        on=TODAY - dt.timedelta(days=780),
        contact_ids=[branch_members[0].pk],
    )
    services.make_candidate(actor=secretary_user, prospect_id=p.pk, on=TODAY - dt.timedelta(days=40))
    with pytest.raises(DomainError) as exc:
        services.prepare_admission(
            actor=secretary_user,
            prospect_id=p.pk,
            review_date=TODAY - dt.timedelta(days=30),
            training_hours=16,
            introducer_ids=[branch_members[1].pk, branch_members[2].pk],
            publicity_start=TODAY - dt.timedelta(days=20),
        )
    assert "24学时" in exc.value.message
    with pytest.raises(DomainError):
        services.prepare_admission(
            actor=secretary_user,
            prospect_id=p.pk,
            review_date=TODAY - dt.timedelta(days=30),
            training_hours=24,
            introducer_ids=[branch_members[1].pk],
            publicity_start=TODAY - dt.timedelta(days=20),
        )
    services.prepare_admission(
        actor=secretary_user,
        prospect_id=p.pk,
        review_date=TODAY - dt.timedelta(days=30),
        training_hours=24,
        introducer_ids=[branch_members[1].pk, branch_members[2].pk],
        publicity_start=TODAY - dt.timedelta(days=20),
    )
    p.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.branch_meeting_vote(
            actor=secretary_user, prospect_id=p.pk, on=p.publicity_end, eligible=6, present=6, yes=6
        )
    assert "公示期未满" in exc.value.message
    after = p.publicity_end + dt.timedelta(days=1)
    with pytest.raises(DomainError) as exc:
        services.branch_meeting_vote(
            actor=secretary_user, prospect_id=p.pk, on=after, eligible=10, present=5, yes=5
        )
    assert "半数" in exc.value.message
    with pytest.raises(DomainError):
        services.branch_meeting_vote(
            actor=secretary_user, prospect_id=p.pk, on=after, eligible=10, present=10, yes=5
        )


def test_other_branches_prospects_are_invisible(zone, secretary_user, admin_user, client_for):
    other = services.prospect_register(
        actor=admin_user,
        org_id=zone["b1"].pk,
        name="赵六",
        citizen_id=new_citizen_id(dt.date(1990, 1, 1)),
        application_date=TODAY,
    )
    with pytest.raises(Http404):
        services.record_talk(actor=secretary_user, prospect_id=other.pk, on=TODAY, by="x")
    client = client_for(secretary_user)
    assert client.get(f"/development/{other.pk}/").status_code == 404
    assert "赵六" not in client.get("/development/").content.decode()
    assert client.get("/api/v1/development").json() == []


def test_board_and_api_walk(zone, secretary_user, branch_members, client_for):
    client = client_for(secretary_user)
    created = client.post(
        "/api/v1/development",
        {
            "org_id": zone["a1"].pk,
            "name": "钱七",
            "citizen_id": new_citizen_id(dt.date(1998, 3, 3)),
            "application_date": (TODAY - dt.timedelta(days=40)).isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["next_step"] == "派人谈话" and body["overdue"] is True
    talk = client.post(
        f"/api/v1/development/{body['id']}/steps/talk",
        {"on": TODAY.isoformat(), "by": "书记"},
        content_type="application/json",
    )
    assert talk.status_code == 200
    refused = client.post(
        f"/api/v1/development/{body['id']}/steps/candidate",
        {"on": TODAY.isoformat()},
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "stage"
    page = client.get("/development/").content.decode()
    assert "钱七" in page and "确定入党积极分子" in page
    assert (
        client.post(
            f"/development/{body['id']}/activist/",
            {"on": TODAY.isoformat(), "contacts": [branch_members[0].pk]},
        ).status_code
        == 302
    )
