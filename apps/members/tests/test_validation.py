import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from apps.core.testing.factories import member_values, new_citizen_id
from apps.members.validation import validate_member
from apps.orgs.rules import add_years

TODAY = dt.date(2026, 11, 22)


def errors_of(values):
    clean, errors = validate_member(values, today=TODAY)
    return clean, {e.code for e in errors}, {e.field for e in errors}


def test_a_complete_member_is_clean(zone):
    clean, codes, _ = errors_of(member_values(zone["a1"]))
    assert codes == set() and clean is not None
    assert clean.status == "full"


def test_every_problem_is_reported_at_once(zone):
    values = member_values(
        zone["a1"], name="", phone="123", citizen_id="110105194912310021", admission_date=None
    )
    _, codes, fields = errors_of(values)
    assert {"name", "phone", "citizen_id", "admission_date"} <= fields
    assert "member.name_required" in codes


def test_gender_and_birth_date_must_match_the_id(zone):
    values = member_values(zone["a1"], birth_date=dt.date(1980, 5, 5), gender="male")
    values["gender"] = "女"
    _, codes, _ = errors_of(values)
    assert "member.gender_mismatch" in codes


def test_branch_level_organization_required(zone):
    _, codes, _ = errors_of(member_values(zone["root"]))
    assert "member.org_type" in codes


@given(st.integers(min_value=0, max_value=40 * 365))
def test_admission_before_eighteen_is_refused(days_after_birth):
    from apps.orgs.models import Organization

    org = Organization(name="x", org_type="branch", is_active=True, path="00001")
    birth = dt.date(1980, 3, 1)
    admission = birth + dt.timedelta(days=days_after_birth)
    values = {
        "name": "测试",
        "citizen_id": new_citizen_id(birth, "male"),
        "org": org,
        "admission_date": admission,
        "full_membership_date": None,
    }
    _, codes, _ = errors_of(values)
    assert ("member.under_18" in codes) == (admission < add_years(birth, 18))


@given(st.integers(min_value=0, max_value=800))
def test_full_membership_needs_one_year_of_probation(days):
    from apps.orgs.models import Organization

    org = Organization(name="x", org_type="branch", is_active=True, path="00001")
    admission = dt.date(2020, 6, 30)
    values = {
        "name": "测试",
        "citizen_id": new_citizen_id(dt.date(1980, 1, 1)),
        "org": org,
        "admission_date": admission,
        "full_membership_date": admission + dt.timedelta(days=days),
    }
    _, codes, _ = errors_of(values)
    assert ("member.probation_short" in codes) == (days < 365)


def test_dates_in_the_future_and_out_of_order_are_refused(zone):
    values = member_values(zone["a1"], application_date=dt.date(2027, 1, 1))
    _, codes, _ = errors_of(values)
    assert "member.date_future" in codes
    values = member_values(zone["a1"])
    values["activist_date"] = values["admission_date"] + dt.timedelta(days=10)
    _, codes, _ = errors_of(values)
    assert "member.date_order" in codes
