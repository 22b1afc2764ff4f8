"""What a request keeps after the answer (its handling deadline, a neutral note if it was escalated),
alerts that go away as soon as their condition ends, and work-order numbers past 9999 in a year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from apps.alerts.models import Alert
from apps.alerts.store import refresh_alerts
from apps.core.calendar import add_working_days
from apps.resident_requests import services
from apps.resident_requests.models import ResidentRequest, WorkOrder, WorkOrderPart

from .helpers import public_request

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2025, 6, 2)


def _handling(admin_user, depts, on=MONDAY):  # type: ignore[no-untyped-def]
    r = public_request()
    services.route(actor=admin_user, request_id=r.pk, department_id=depts["dept"]["CGK"].pk, on=on)
    services.accept(actor=depts["staff"]["CGK"], request_id=r.pk, on=on)
    return r


def test_a_replied_request_keeps_its_handling_deadline_and_waits_for_the_rating_separately(
    client, zone, admin_user, depts
):
    r = _handling(admin_user, depts)
    services.reply(actor=depts["staff"]["CGK"], request_id=r.pk, text="已清运", on=dt.date(2025, 6, 4))
    r.refresh_from_db()
    assert r.due_date == dt.date(2025, 6, 5)  # 3 working days from the routing, not the rating wait
    assert r.rating_due == dt.date(2025, 6, 11)
    assert not r.answered_late
    client.force_login(admin_user)
    html = client.get(f"/requests/{r.pk}/").content.decode()
    assert 'data-testid="request-due">2025-06-05' in html and "按期答复" in html
    assert "已超期" not in html and "escalation-badge" not in html
    assert "2025-06-11" in html  # the rating wait is shown apart
    # The resident rates it: the deadline still says when the answer was due.
    services.rate(code=r.receipt_code, rating=5)
    r.refresh_from_db()
    assert r.state == "closed" and r.due_date == dt.date(2025, 6, 5) and r.rating_due is None


def test_replies_still_close_by_themselves_after_the_rating_wait(zone, admin_user, depts):
    r = _handling(admin_user, depts)
    services.reply(actor=depts["staff"]["CGK"], request_id=r.pk, text="已清运", on=dt.date(2025, 6, 4))
    assert services.close_unrated(dt.date(2025, 6, 11)) == 0
    assert services.close_unrated(dt.date(2025, 6, 12)) == 1
    r.refresh_from_db()
    assert r.state == "closed" and r.closed_on == dt.date(2025, 6, 12) and r.due_date == dt.date(2025, 6, 5)


def test_an_escalated_request_once_answered_shows_a_neutral_note_not_a_red_badge(
    client, zone, admin_user, depts
):
    r = _handling(admin_user, depts)
    services.escalate_overdue(dt.date(2025, 6, 12))
    r.refresh_from_db()
    assert r.escalation_level == 2
    client.force_login(admin_user)
    html = client.get(f"/requests/{r.pk}/").content.decode()
    assert "红色督办" in html and "escalation-badge" in html  # still owed: red
    services.reply(actor=depts["staff"]["CGK"], request_id=r.pk, text="已清运", on=dt.date(2025, 6, 12))
    detail = client.get(f"/requests/{r.pk}/").content.decode()
    listing = client.get("/requests/?tab=replied").content.decode()
    for html in (detail, listing):
        assert "曾督办" in html and "escalation-badge" not in html and "text-bg-danger" not in html
    assert "逾期答复" in detail


def test_the_list_shows_an_answered_request_in_time_without_overdue_styling(client, zone, admin_user, depts):
    r = _handling(admin_user, depts)
    services.reply(actor=depts["staff"]["CGK"], request_id=r.pk, text="已清运", on=dt.date(2025, 6, 4))
    client.force_login(admin_user)
    html = client.get("/requests/?tab=replied").content.decode()
    rows = html[html.index('data-testid="request-cards"') : html.index("</table>")]
    assert rows.count("2025-06-05") == 2  # the phone card and the table row
    assert "text-danger" not in rows and "督" not in rows


def _open_alert(key: str) -> Alert:
    return Alert.objects.get(key=key, resolved_at__isnull=True)


@pytest.mark.parametrize("ending", ["reply", "reject"])
def test_an_overdue_alert_is_resolved_the_moment_the_request_is_answered_or_refused(
    zone, admin_user, depts, ending
):
    if ending == "reply":
        r = _handling(admin_user, depts)
    else:
        r = public_request()
        ResidentRequest.objects.filter(pk=r.pk).update(due_date=MONDAY)
    refresh_alerts(dt.date(2025, 6, 12))
    key = f"request_overdue:request:{r.pk}"
    assert _open_alert(key)
    if ending == "reply":
        services.reply(actor=depts["staff"]["CGK"], request_id=r.pk, text="已清运")
    else:
        services.reject(actor=admin_user, request_id=r.pk, reason="不属于受理范围")
    alert = Alert.objects.get(key=key)
    assert alert.resolved_at is not None  # no daily run needed


def test_other_requests_alerts_stay_open(zone, admin_user, depts):
    answered, waiting = _handling(admin_user, depts), _handling(admin_user, depts)
    refresh_alerts(dt.date(2025, 6, 12))
    services.reply(actor=depts["staff"]["CGK"], request_id=answered.pk, text="已清运")
    assert _open_alert(f"request_overdue:request:{waiting.pk}")
    assert Alert.objects.get(key=f"request_overdue:request:{answered.pk}").resolved_at is not None


@pytest.mark.parametrize("ending", ["complete", "return"])
def test_an_overdue_part_alert_is_resolved_when_the_part_is_completed_or_returned(
    zone, admin_user, depts, ending
):
    r = public_request()
    order = services.to_work_order(
        actor=admin_user, request_id=r.pk, title="联合", content="两部门", lead_department_id=depts["dept"]["JSGLK"].pk,
        parts=[{"department_id": depts["dept"]["JSGLK"].pk, "task": "甲"}, {"department_id": depts["dept"]["CGK"].pk, "task": "乙"}],
    )  # fmt: skip
    part = order.parts.get(department__code="CGK")
    other = order.parts.get(department__code="JSGLK")
    WorkOrderPart.objects.filter(work_order=order).update(due_date=MONDAY)
    refresh_alerts(dt.date(2025, 6, 12))
    staff = depts["staff"]["CGK"]
    services.part_sign(actor=staff, part_id=part.pk)
    if ending == "complete":
        services.part_complete(actor=staff, part_id=part.pk, text="已清理")
    else:
        services.part_return(actor=staff, part_id=part.pk, reason="不属于本部门")
    assert Alert.objects.get(key=f"request_overdue:part:{part.pk}").resolved_at is not None
    assert _open_alert(f"request_overdue:part:{other.pk}")


def _order(admin_user, depts, on):  # type: ignore[no-untyped-def]
    return services.to_work_order(
        actor=admin_user, request_id=public_request().pk, title="联合", content="两部门", on=on,
        lead_department_id=depts["dept"]["JSGLK"].pk,
        parts=[{"department_id": depts["dept"]["JSGLK"].pk, "task": "甲"}, {"department_id": depts["dept"]["CGK"].pk, "task": "乙"}],
    )  # fmt: skip


def test_work_order_numbers_count_on_past_9999_in_a_year(zone, admin_user, depts):
    first = _order(admin_user, depts, dt.date(2026, 3, 2))
    assert first.number == "LXD-2026-0001"
    WorkOrder.objects.filter(pk=first.pk).update(number="LXD-2026-9999")
    assert _order(admin_user, depts, dt.date(2026, 3, 3)).number == "LXD-2026-10000"
    assert _order(admin_user, depts, dt.date(2026, 3, 4)).number == "LXD-2026-10001"
    assert _order(admin_user, depts, dt.date(2027, 1, 4)).number == "LXD-2027-0001"  # a new year starts over


def test_work_order_numbers_stay_unique_when_a_number_is_taken_meanwhile(
    zone, admin_user, depts, monkeypatch
):
    _order(admin_user, depts, dt.date(2026, 3, 2))
    original = services._next_number
    calls = []

    def stale(year: int) -> str:
        calls.append(year)
        return "LXD-2026-0001" if len(calls) == 1 else original(year)  # another desk took it first

    monkeypatch.setattr(services, "_next_number", stale)
    second = _order(admin_user, depts, dt.date(2026, 3, 3))
    assert second.number == "LXD-2026-0002" and len(calls) == 2
    assert WorkOrder.objects.filter(number="LXD-2026-0001").count() == 1


def test_todays_handling_deadline_is_counted_from_the_local_date(zone, admin_user, depts):
    r = public_request()
    services.route(actor=admin_user, request_id=r.pk, department_id=depts["dept"]["CGK"].pk)
    r.refresh_from_db()
    assert r.due_date == add_working_days(timezone.localdate(), 3)
