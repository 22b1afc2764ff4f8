"""A mediation case through its flow, the refusals on the way, and the bulletin's definitions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from apps.core.calendar import add_working_days
from apps.core.errors import DomainError
from apps.core.testing.factories import UserFactory
from apps.core.workflow import events_of
from apps.mediation import documents, selectors, services
from apps.mediation.models import Case, Institution
from apps.mediation.tests.helpers import institution, mediator, received_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def street():
    center = institution("开发区矛调中心", "center")
    inst = institution("下沙街道人民调解委员会", "street", center)
    admin_user, _admin = mediator(inst, "xs-admin", admin=True, name="周调解")
    plain_user, plain = mediator(inst, "xs-mediator", name="吴调解")
    center_user, _ = mediator(center, "center-staff", name="矛调中心")
    return {
        "center": center,
        "inst": inst,
        "admin": admin_user,
        "plain": plain_user,
        "plain_mediator": plain,
        "center_user": center_user,
    }


def _mediate_to_success(world, case: Case) -> Case:
    services.accept(world["admin"], case.pk)
    services.assign(world["admin"], case.pk, world["plain_mediator"].pk)
    services.record_session(world["plain"], case.pk, {"held_on": timezone.localdate().isoformat(), "mode": "onsite", "summary": "双方陈述并交换意见"})  # fmt: skip
    return services.succeed(
        world["plain"], case.pk, "王建国于十五日内支付陈晓梅维修费1000元，双方再无争议。", "银行转账"
    )


def test_a_case_is_received_accepted_assigned_mediated_and_closed_with_an_agreement(street):
    case = received_case(street["inst"], key="k1")
    assert case.state == "received" and case.respond_by == add_working_days(case.received_on, 3)
    case = _mediate_to_success(street, case)
    case.refresh_from_db()
    assert case.state == "success" and case.number.startswith(f"（{timezone.localdate().year}）")
    assert case.response_days == 0 and case.accepted_on == timezone.localdate()
    assert [e.action for e in events_of(case)] == ["submit", "accept", "assign", "session", "succeed"]
    pdf = documents.agreement_pdf(case)
    assert pdf.startswith(b"%PDF-")


def test_numbers_count_up_per_institution_and_year(street):
    first = services.accept(street["admin"], received_case(street["inst"], key="a").pk)
    second = services.accept(street["admin"], received_case(street["inst"], key="b").pk)
    assert first.number.endswith("第0001号") and second.number.endswith("第0002号")


def test_rejecting_needs_a_reason_and_a_plain_mediator_cannot_accept(street):
    case = received_case(street["inst"], key="k2")
    with pytest.raises(DomainError) as refused:
        services.accept(street["plain"], case.pk)
    assert refused.value.status == 403
    with pytest.raises(DomainError, match="须填写原因"):
        services.reject(street["admin"], case.pk, "  ")
    services.reject(street["admin"], case.pk, "不属于受理范围")
    case.refresh_from_db()
    assert (
        case.state == "rejected" and case.reject_reason == "不属于受理范围" and case.responded_on is not None
    )


def test_closing_as_success_needs_a_recorded_session_first(street):
    case = received_case(street["inst"], key="k3")
    services.accept(street["admin"], case.pk)
    services.assign(street["admin"], case.pk, street["plain_mediator"].pk)
    with pytest.raises(DomainError, match="至少一次调解"):
        services.succeed(street["plain"], case.pk, "双方达成协议，各自承担一半费用。")


def test_the_supervising_center_may_accept_for_its_institution(street):
    case = received_case(street["inst"], key="k4")
    services.accept(street["center_user"], case.pk)
    assert Case.objects.get(pk=case.pk).state == "accepted"


def test_judicial_confirmation_only_within_thirty_days_of_the_agreement(street):
    today = timezone.localdate()
    day = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    old = received_case(street["inst"], key="old", on=day(60))
    services.accept(street["admin"], old.pk, on=day(59))
    services.assign(street["admin"], old.pk, street["plain_mediator"].pk, on=day(59))
    services.record_session(
        street["plain"],
        old.pk,
        {"held_on": day(58).isoformat(), "mode": "onsite", "summary": "双方达成一致意见"},
    )
    services.succeed(street["plain"], old.pk, "王建国于十五日内支付陈晓梅维修费1000元。", on=day(50))
    with pytest.raises(DomainError, match="30 日内"):
        services.apply_judicial(street["plain"], old.pk, "开发区人民法院")
    case = _mediate_to_success(street, received_case(street["inst"], key="k5"))
    services.apply_judicial(street["plain"], case.pk, "开发区人民法院")
    with pytest.raises(DomainError, match="已申请过"):
        services.apply_judicial(street["plain"], case.pk, "开发区人民法院")
    services.judicial_decide(street["plain"], case.pk, "confirm", court_number="（2026）浙0191民特1号")
    assert selectors.bulletin(today, today)["judicially_confirmed"] == 1


def test_an_action_cannot_be_dated_in_the_future_or_before_the_previous_step(street):
    today = timezone.localdate()
    case = received_case(street["inst"], key="d", on=today - dt.timedelta(days=30))
    with pytest.raises(DomainError, match="不能早于收案日期"):
        services.reject(street["admin"], case.pk, "不属于受理范围", on=dt.date(2000, 1, 1))
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.accept(street["admin"], case.pk, on=today + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.accept(street["admin"], case.pk, on=dt.date(9999, 12, 30))
    assert Case.objects.get(pk=case.pk).responded_on is None
    assert selectors.bulletin(case.received_on, case.received_on)["overdue_institutions"] == [
        street["inst"].pk
    ]


def test_the_bulletin_follows_its_definitions(street):
    today = timezone.localdate()
    success = _mediate_to_success(street, received_case(street["inst"], key="s"))
    failed = received_case(street["inst"], key="f")
    services.accept(street["admin"], failed.pk)
    services.assign(street["admin"], failed.pk, street["plain_mediator"].pk)
    services.fail(street["admin"], failed.pk, "双方分歧较大")
    services.reject(street["admin"], received_case(street["inst"], key="r").pk, "不属于受理范围")
    services.accept(street["admin"], received_case(street["inst"], key="open").pk)
    received_case(street["inst"], key="waiting")
    b = selectors.bulletin(today, today)
    assert (b["received"], b["accepted"], b["rejected"], b["mediated"], b["successful"]) == (5, 3, 1, 2, 1)
    assert b["mediation_rate"] == 0.6667 and b["success_rate"] == 0.5
    assert b["overdue_institutions"] == []
    other = institution("白杨街道人民调解委员会")
    assert selectors.bulletin(today, today, other)["received"] == 0
    assert selectors.bulletin(today, today, street["inst"].pk)["received"] == 5
    assert success.state == "success"


def test_an_institution_that_answered_after_its_deadline_is_named_in_the_bulletin(street):
    slow = institution("东湾社区人民调解委员会", "community", street["inst"])
    received = dt.date(2026, 9, 1)
    late = received_case(slow, key="late", on=received)
    admin = UserFactory(username="zone")
    admin.is_superuser = True
    admin.save()
    services.accept(admin, late.pk, on=add_working_days(received, 5))
    on_time = received_case(street["inst"], key="quick", on=received)
    services.accept(admin, on_time.pk, on=received)
    b = selectors.bulletin(received, received)
    assert b["overdue_institutions"] == [slow.pk]
    assert b["average_response_days"] == 2.5


def test_a_case_never_answered_past_its_deadline_makes_its_institution_overdue(street):
    old = timezone.localdate() - dt.timedelta(days=30)
    received_case(street["inst"], key="forgotten", on=old)
    assert selectors.bulletin(old, old)["overdue_institutions"] == [street["inst"].pk]


OUTCOMES = ["received", "rejected", "accepted", "success", "failure", "withdrawn"]


class BulletinProperties(HypothesisTestCase):
    """Whatever mix of outcomes, the bulletin equals a plain count of the same cases."""

    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.sampled_from(OUTCOMES), max_size=12))
    def test_bulletin_matches_a_plain_count(self, outcomes: list[str]) -> None:
        inst = Institution.objects.create(name="测试调解委员会", kind="street")
        day = dt.date(2026, 3, 2)
        for n, outcome in enumerate(outcomes):
            case = Case.objects.create(
                receipt=f"T{n:08d}", source="online", institution=inst, dispute_type="other", facts="事实" * 5, claims="请求",
                applicant_name="甲", applicant_phone="13800000000", received_on=day, respond_by=day, state=outcome,
                accepted_on=day if outcome in ("accepted", "success", "failure", "withdrawn") else None,
            )  # fmt: skip
            assert case.pk
        b = selectors.bulletin(day, day)
        accepted = sum(o in ("accepted", "success", "failure", "withdrawn") for o in outcomes)
        mediated = sum(o in ("success", "failure") for o in outcomes)
        successful = outcomes.count("success")
        assert (b["received"], b["accepted"], b["mediated"], b["successful"]) == (
            len(outcomes),
            accepted,
            mediated,
            successful,
        )
        assert b["mediation_rate"] == (round(mediated / accepted, 4) if accepted else 0.0)
        assert b["success_rate"] == (round(successful / mediated, 4) if mediated else 0.0)
        assert 0 <= b["mediation_rate"] <= 1 and 0 <= b["success_rate"] <= 1


def test_institutions_whose_names_begin_alike_never_share_a_case_number(street):
    twin = institution("下沙街道人民调解委员会第二调解室", "street")
    admin = UserFactory(username="root")
    admin.is_superuser = True
    admin.save()
    numbers = [
        services.accept(admin, received_case(inst, key=f"n{n}").pk).number
        for n, inst in enumerate([street["inst"], twin, street["inst"], twin])
    ]
    assert len(set(numbers)) == 4 and numbers[-1].endswith("第0004号")
