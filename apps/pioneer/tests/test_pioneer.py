import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from apps.core.errors import DomainError
from apps.core.testing.factories import make_member
from apps.dues.models import DuesBill
from apps.dues.services import dues_base_set, dues_bills_generate, dues_payment_record
from apps.meetings.models import Attendance, Meeting
from apps.meetings.services import attendance_set, meeting_create, meeting_mark_held
from apps.pioneer.models import PioneerItem
from apps.pioneer.rules import class_hours, item_points
from apps.pioneer.selectors import branch_scores
from apps.pioneer.services import item_update, manual_score_add

TODAY = timezone.localdate()
MONTH = TODAY.replace(day=1)


@given(
    st.integers(0, 30),
    st.decimals(min_value=-20, max_value=20, places=1),
    st.one_of(st.none(), st.decimals(min_value=1, max_value=50, places=1)),
)
def test_item_points_respect_the_cap(count, points, cap):
    item = PioneerItem(source="attendance_present", points=points, monthly_cap=cap)
    value = item_points(item, count)
    assert value == (points * count if cap is None else max(min(points * count, cap), -cap)).quantize(
        Decimal("0.1")
    )


def test_scores_follow_attendance_dues_and_manual_items(zone, secretary_user, admin_user):
    busy = make_member(
        zone["a1"], name="积极", admission_date=dt.date(2000, 1, 1), full_membership_date=dt.date(2001, 1, 1)
    )
    idle = make_member(
        zone["a1"], name="消极", admission_date=dt.date(2000, 1, 1), full_membership_date=dt.date(2001, 1, 1)
    )
    meeting = meeting_create(
        actor=secretary_user,
        org_id=zone["a1"].pk,
        values={"meeting_type": "theme_day", "topic": "学习", "date": MONTH},
    )
    attendance_set(actor=secretary_user, meeting_id=meeting.pk, member_id=busy.pk, status="present")
    meeting_mark_held(actor=secretary_user, meeting_id=meeting.pk)  # idle is marked absent
    for m in (busy, idle):
        dues_base_set(
            actor=admin_user,
            member_id=m.pk,
            base="3000",
            category="employed",
            effective_from=dt.date(2020, 1, 1),
        )
    dues_bills_generate(actor=admin_user, month=MONTH)
    bill = DuesBill.objects.get(member=busy)
    dues_payment_record(
        actor=admin_user, bill_id=bill.pk, amount=bill.amount, method="cash", paid_on=TODAY, token="t"
    )
    volunteer = PioneerItem.objects.get(code="volunteer")
    manual_score_add(
        actor=secretary_user,
        member_id=busy.pk,
        item_id=volunteer.pk,
        month=MONTH,
        points="3",
        reason="社区志愿服务",
    )
    _items, scores = branch_scores(zone["a1"], MONTH.year, MONTH.month, today=TODAY)
    by_name = {s.name: s for s in scores}
    assert by_name["积极"].total == Decimal("70.0")  # 60 base + 2 attendance + 5 dues + 3 volunteering
    assert by_name["消极"].total == Decimal("50.0")  # 60 base − 5 absence − 5 arrears
    assert by_name["积极"].rank == 1 and by_name["消极"].rank == 2


def test_manual_points_need_a_reason_and_the_items_sign(zone, secretary_user):
    member = make_member(zone["a1"])
    violation = PioneerItem.objects.get(code="violation")
    with pytest.raises(DomainError):
        manual_score_add(
            actor=secretary_user,
            member_id=member.pk,
            item_id=violation.pk,
            month=MONTH,
            points="5",
            reason="x",
        )
    with pytest.raises(DomainError):
        manual_score_add(
            actor=secretary_user,
            member_id=member.pk,
            item_id=violation.pk,
            month=MONTH,
            points="-20",
            reason=" ",
        )
    other = make_member(zone["b1"])
    with pytest.raises(Http404):
        manual_score_add(
            actor=secretary_user,
            member_id=other.pk,
            item_id=violation.pk,
            month=MONTH,
            points="-20",
            reason="x",
        )


def test_the_scheme_is_data_the_zone_edits(zone, admin_user, secretary_user):
    base = PioneerItem.objects.get(code="base")
    with pytest.raises(Http404):
        item_update(actor=secretary_user, item_id=base.pk, points="80", monthly_cap="", is_active=True)
    item_update(actor=admin_user, item_id=base.pk, points="80", monthly_cap="", is_active=True)
    make_member(zone["a1"], name="甲乙")
    _, scores = branch_scores(zone["a1"], MONTH.year, MONTH.month, today=TODAY)
    assert scores[0].items["base"] == Decimal("80.0")


def test_pages_scoped_and_a_member_sees_their_own(zone, secretary_user, member_user, client_for):
    assert "张三" in client_for(secretary_user).get(f"/pioneer/?org={zone['a1'].pk}").content.decode()
    assert client_for(secretary_user).get(f"/pioneer/?org={zone['b1'].pk}").status_code == 404
    assert 'data-testid="my-score"' in client_for(member_user).get("/pioneer/").content.decode()


@given(
    st.times(),
    st.integers(min_value=0, max_value=600),
)
def test_class_hours_are_half_hour_steps_of_45_minutes_never_less_than_half(begin, minutes):
    start_minutes = begin.hour * 60 + begin.minute
    end_minutes = min(start_minutes + minutes, 23 * 60 + 59)
    end = dt.time(end_minutes // 60, end_minutes % 60)
    hours = class_hours(dt.time(begin.hour, begin.minute), end)
    if end_minutes <= start_minutes:
        assert hours == 1
    else:
        assert hours >= Decimal("0.5") and (hours * 2) == (hours * 2).to_integral_value()
        assert abs(hours - Decimal(end_minutes - start_minutes) / 45) <= Decimal("0.25") or hours == Decimal(
            "0.5"
        )


def test_attending_a_party_lecture_earns_its_class_hours(zone, secretary_user):
    member = make_member(zone["a1"])
    lecture = Meeting.objects.create(
        org=zone["a1"], org_path=zone["a1"].path, meeting_type="party_lecture", topic="书记讲党课",
        date=dt.date(2026, 5, 6), start_time=dt.time(14, 0), end_time=dt.time(15, 30), status="held",
    )  # fmt: skip
    Attendance.objects.create(meeting=lecture, member=member, status="present")
    _items, scores = branch_scores(zone["a1"], 2026, 5, today=dt.date(2026, 6, 1))
    assert scores[0].items["training_hours"] == 2
