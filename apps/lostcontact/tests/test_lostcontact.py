import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from apps.alerts.models import Alert
from apps.alerts.store import refresh_alerts
from apps.core.errors import ConflictError, DomainError
from apps.core.testing.factories import make_member
from apps.lostcontact import services
from apps.lostcontact.models import LostContactCase

TODAY = timezone.localdate()


def test_open_follow_up_and_resolve_restores_the_category(zone, secretary_user):
    member = make_member(zone["a1"], category="retired")
    case = services.case_open(actor=secretary_user, member_id=member.pk, reason="居住地改变")
    member.refresh_from_db()
    assert member.category == "lost_contact"
    with pytest.raises(ConflictError):
        services.case_open(actor=secretary_user, member_id=member.pk, reason="again")
    services.follow_up(actor=secretary_user, case_id=case.pk, action="电话", note="无人接听")
    services.case_resolve(actor=secretary_user, case_id=case.pk, note="家属告知新号码，已联系上")
    member.refresh_from_db()
    case.refresh_from_db()
    assert member.category == "retired" and case.state == "resolved" and case.follow_ups.count() == 2


def test_suspension_needs_six_months_and_a_search_then_removal_is_due_in_two_years(zone, secretary_user):
    member = make_member(
        zone["a1"], admission_date=dt.date(2000, 1, 1), full_membership_date=dt.date(2001, 1, 1)
    )
    case = services.case_open(
        actor=secretary_user, member_id=member.pk, reason="外出务工经商", on=TODAY - dt.timedelta(days=100)
    )
    with pytest.raises(DomainError) as exc:
        services.case_suspend(actor=secretary_user, case_id=case.pk, decision="支部大会决定")
    assert "满6个月" in exc.value.message
    LostContactCase.objects.filter(pk=case.pk).update(opened_on=TODAY - dt.timedelta(days=200))
    with pytest.raises(DomainError):
        services.case_suspend(
            actor=secretary_user, case_id=case.pk, decision="支部大会决定"
        )  # no search recorded
    services.follow_up(
        actor=secretary_user,
        case_id=case.pk,
        action="函询原单位",
        note="查无此人",
        on=TODAY - dt.timedelta(days=150),
    )
    services.case_suspend(actor=secretary_user, case_id=case.pk, decision="支部大会决定（2026年第5次）")
    case.refresh_from_db()
    member.refresh_from_db()
    assert member.category == "suspended" and case.removal_due == TODAY.replace(year=TODAY.year + 2)
    LostContactCase.objects.filter(pk=case.pk).update(removal_due=TODAY)
    refresh_alerts()
    assert Alert.objects.filter(key=f"removal:{case.pk}", resolved_at__isnull=True).exists()


def test_other_scopes_cases_are_invisible(zone, secretary_user, admin_user, client_for):
    other = make_member(zone["b1"])
    case = services.case_open(actor=admin_user, member_id=other.pk, reason="其他")
    with pytest.raises(Http404):
        services.follow_up(actor=secretary_user, case_id=case.pk, action="电话", note="x")
    client = client_for(secretary_user)
    assert client.get(f"/lost-contact/{case.pk}/").status_code == 404
    assert other.name not in client.get("/lost-contact/").content.decode()


def test_from_the_member_page(zone, secretary_user, client_for):
    member = make_member(zone["a1"])
    client = client_for(secretary_user)
    response = client.post(
        f"/lost-contact/members/{member.pk}/open/", {"reason": "毕业去向不明", "on": TODAY.isoformat()}
    )
    case = LostContactCase.objects.get()
    assert response.url == f"/lost-contact/{case.pk}/"
    client.post(
        f"/lost-contact/{case.pk}/follow/", {"action": "走访", "note": "未见本人", "on": TODAY.isoformat()}
    )
    assert "未见本人" in client.get(f"/lost-contact/{case.pk}/").content.decode()
