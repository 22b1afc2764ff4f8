"""The request flow: routing with the category's deadline, handling, replies, ratings, refusals,
work orders, escalation of what is overdue, and the alerts the department hears."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.alerts.models import Alert
from apps.alerts.selectors import alerts_for
from apps.alerts.store import refresh_alerts
from apps.core.calendar import add_working_days, is_working_day, working_days_between
from apps.core.errors import DomainError
from apps.core.models import WorkItemEvent
from apps.resident_requests import services
from apps.resident_requests.flow import REQUEST_FLOW
from apps.resident_requests.history import public_history, request_history
from apps.resident_requests.models import CategoryRule, ResidentRequest, WorkOrderPart
from apps.resident_requests.services import escalation_level

from .helpers import public_request, staff_request

pytestmark = pytest.mark.django_db


def test_the_data_migration_gives_every_category_a_deadline_and_most_a_department(db):
    rules = {r.category: r for r in CategoryRule.objects.select_related("department")}
    assert set(rules) == {
        "sanitation",
        "property",
        "municipal",
        "security",
        "neighbour",
        "welfare",
        "employment",
        "other",
    }
    assert rules["sanitation"].department.name == "城管科" and rules["sanitation"].working_days == 3
    assert rules["security"].department.code == "PAB"


def test_a_request_is_routed_with_its_categorys_deadline_accepted_replied_and_rated(zone, admin_user, depts):
    r = public_request()
    assert r.state == "submitted" and r.due_date == add_working_days(r.received_on, 1)
    today = timezone.localdate()
    r = services.route(actor=admin_user, request_id=r.pk, department_id=depts["dept"]["CGK"].pk)
    assert r.state == "routed" and r.due_date == add_working_days(today, 3)
    staff = depts["staff"]["CGK"]
    r = services.accept(actor=staff, request_id=r.pk)
    assert r.state == "handling" and r.due_date == add_working_days(today, 3)  # the deadline is kept
    r = services.reply(actor=staff, request_id=r.pk, text="已安排环卫车当日清运，并增加清运频次。")
    assert r.state == "replied" and r.replied_at is not None and r.rating_due == today + dt.timedelta(days=7)
    assert r.due_date == add_working_days(today, 3)  # the handling deadline stays after the reply
    r = services.rate(code=r.receipt_code.lower(), rating=5, comment="很及时")
    assert r.state == "closed" and r.rating == 5 and r.closed_on == today
    labels = [e["label"] for e in request_history(r)]
    assert labels == ["登记受理", "分派", "受理", "答复", "群众评价"]
    assert [e["to"] for e in request_history(r)][-1] == "已办结"


def test_a_changed_rule_changes_the_deadline_of_later_routings(zone, admin_user, depts):
    services.rule_save(
        actor=admin_user, category="sanitation", working_days=10, department_id=depts["dept"]["PAB"].pk
    )
    r = services.route(
        actor=admin_user, request_id=public_request().pk, department_id=depts["dept"]["CGK"].pk
    )
    assert r.due_date == add_working_days(timezone.localdate(), 10)
    with pytest.raises(DomainError):
        services.rule_save(actor=admin_user, category="sanitation", working_days=0)
    with pytest.raises(DomainError):
        services.rule_save(actor=depts["staff"]["CGK"], category="sanitation", working_days=3)


def test_only_the_zone_routes_and_only_the_routed_department_handles(zone, admin_user, committee_user, depts):
    r = public_request()
    for outsider in (depts["staff"]["CGK"], committee_user):
        with pytest.raises(Exception) as refused:
            services.route(actor=outsider, request_id=r.pk, department_id=depts["dept"]["CGK"].pk)
        assert refused.type.__name__ in ("DomainError", "Http404")
    services.route(actor=admin_user, request_id=r.pk, department_id=depts["dept"]["CGK"].pk)
    with pytest.raises(Exception):  # noqa: B017 — the other department does not even see it (404)
        services.accept(actor=depts["staff"]["PAB"], request_id=r.pk)
    with pytest.raises(DomainError) as wrong_state:
        services.reply(actor=depts["staff"]["CGK"], request_id=r.pk, text="答复")
    assert wrong_state.value.status == 409  # must be accepted first
    assert ResidentRequest.objects.get(pk=r.pk).state == "routed"


def test_returning_and_refusing_need_a_reason_and_refusal_tells_the_resident_why(zone, admin_user, depts):
    r = public_request()
    services.route(actor=admin_user, request_id=r.pk, department_id=depts["dept"]["CGK"].pk)
    with pytest.raises(DomainError) as no_reason:
        services.return_request(actor=depts["staff"]["CGK"], request_id=r.pk, reason="  ")
    assert no_reason.value.code.endswith("note_required")
    r = services.return_request(
        actor=depts["staff"]["CGK"], request_id=r.pk, reason="属物业管理范围，非本科室职责"
    )
    assert r.state == "submitted" and r.department is None
    assert r.due_date == add_working_days(timezone.localdate(), 1)
    with pytest.raises(DomainError):
        services.reject(actor=admin_user, request_id=r.pk, reason="")
    r = services.reject(actor=admin_user, request_id=r.pk, reason="属于司法诉讼程序，请通过法院解决")
    assert r.state == "rejected" and "法院" in r.reply
    public = public_history(r)
    assert public[-1]["label"] == "不予受理" and "法院" in public[-1]["note"]
    assert all(
        e["note"] == "" for e in public if e["label"] == "重新分派中"
    )  # internal reasons stay internal


@pytest.mark.parametrize("state", [s.value for s in REQUEST_FLOW.states])
def test_every_transition_is_refused_from_states_it_does_not_leave(state):
    from apps.core.workflow import move

    class Item:
        pk = None

    for transition in REQUEST_FLOW.transitions:
        if state in transition.sources:
            continue
        item = Item()
        item.state = state
        with pytest.raises(DomainError):
            move(item, REQUEST_FLOW, transition.action, actor=None, note="原因")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    day=st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 31)),
    days=st.integers(min_value=1, max_value=20),
)
def test_a_deadline_is_the_categorys_working_days_after_routing(day, days):
    """The deadline is a working day, exactly `days` working days after the routing day, and no earlier
    than `days` calendar days later."""
    due = add_working_days(day, days)
    assert is_working_day(due)
    assert working_days_between(day, due) == days
    assert (due - day).days >= days
    assert working_days_between(day, due - dt.timedelta(days=1)) == days - 1


@settings(max_examples=80, deadline=None)
@given(
    due=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 31)),
    late=st.integers(min_value=-5, max_value=30),
)
def test_the_escalation_level_follows_the_working_days_late(due, late):
    today = due + dt.timedelta(days=late)
    level = escalation_level(due, today)
    working_late = working_days_between(due, today)
    if working_late <= 0:
        assert level == 0
    elif working_late <= 2:
        assert level == 1
    else:
        assert level == 2


def test_national_day_holidays_push_the_deadline(zone, admin_user, depts):
    # Routed on 2025-09-30 (a Tuesday) with 3 working days: 1–8 October are holidays, 11 October is a working Saturday.
    assert services.deadline_for("sanitation", dt.date(2025, 9, 30)) == dt.date(2025, 10, 11)


def test_overdue_requests_escalate_once_per_level_with_a_history_line(zone, admin_user, depts):
    r = public_request()
    routed_on = dt.date(2025, 6, 2)  # Monday
    services.route(actor=admin_user, request_id=r.pk, department_id=depts["dept"]["CGK"].pk, on=routed_on)
    r.refresh_from_db()
    assert r.due_date == dt.date(2025, 6, 5)
    assert services.escalate_overdue(dt.date(2025, 6, 5)) == {"requests": 0, "parts": 0}
    assert services.escalate_overdue(dt.date(2025, 6, 6)) == {"requests": 1, "parts": 0}
    assert services.escalate_overdue(dt.date(2025, 6, 6))["requests"] == 0  # not twice
    r.refresh_from_db()
    assert r.escalation_level == 1
    services.escalate_overdue(dt.date(2025, 6, 12))
    r.refresh_from_db()
    assert r.escalation_level == 2
    escalations = [e for e in request_history(r) if e["label"] == "超期督办"]
    assert (
        len(escalations) == 2
        and "红色督办" in escalations[1]["note"]
        and escalations[1]["to"] == "已分派待受理"
    )
    assert (
        WorkItemEvent.objects.filter(
            action="escalate", object_id=r.pk, from_state="routed", to_state="routed"
        ).count()
        == 2
    )


def test_overdue_alerts_reach_the_departments_staff_and_the_zone_but_not_other_departments(
    zone, admin_user, depts
):
    late = public_request(title="路灯坏了")
    services.route(
        actor=admin_user, request_id=late.pk, department_id=depts["dept"]["CGK"].pk, on=dt.date(2025, 6, 2)
    )
    on_time = public_request(title="按时的诉求")
    services.route(
        actor=admin_user, request_id=on_time.pk, department_id=depts["dept"]["CGK"].pk, on=dt.date(2025, 6, 5)
    )
    unrouted = public_request(title="没人分派的诉求")
    ResidentRequest.objects.filter(pk=unrouted.pk).update(due_date=dt.date(2025, 6, 3))
    refresh_alerts(dt.date(2025, 6, 6))
    alerts = {a.key: a for a in Alert.objects.filter(kind="request_overdue")}
    assert set(alerts) == {f"request_overdue:request:{late.pk}", f"request_overdue:request:{unrouted.pk}"}
    assert alerts[f"request_overdue:request:{late.pk}"].level == "warning"
    assert alerts[f"request_overdue:request:{late.pk}"].channel == f"requests:dept:{depts['dept']['CGK'].pk}"
    staff_sees = set(alerts_for(depts["staff"]["CGK"]).values_list("key", flat=True))
    assert staff_sees == {f"request_overdue:request:{late.pk}"}
    assert not alerts_for(depts["staff"]["PAB"]).filter(kind="request_overdue").exists()
    assert alerts_for(admin_user).filter(kind="request_overdue").count() == 2
    refresh_alerts(dt.date(2025, 6, 12))
    assert Alert.objects.get(key=f"request_overdue:request:{late.pk}").level == "danger"
    services.accept(actor=depts["staff"]["CGK"], request_id=late.pk)
    services.reply(actor=depts["staff"]["CGK"], request_id=late.pk, text="已修复")
    refresh_alerts(dt.date(2025, 6, 12))
    assert Alert.objects.get(key=f"request_overdue:request:{late.pk}").resolved_at is not None


def test_replies_nobody_rates_close_after_seven_days(zone, admin_user, depts):
    r = public_request()
    services.route(actor=admin_user, request_id=r.pk, department_id=depts["dept"]["CGK"].pk)
    services.accept(actor=depts["staff"]["CGK"], request_id=r.pk)
    services.reply(actor=depts["staff"]["CGK"], request_id=r.pk, text="已处理")
    today = timezone.localdate()
    assert services.close_unrated(today + dt.timedelta(days=7)) == 0
    assert services.close_unrated(today + dt.timedelta(days=8)) == 1
    r.refresh_from_db()
    assert r.state == "closed" and r.rating is None
    with pytest.raises(DomainError):
        services.rate(code=r.receipt_code, rating=4)


def test_the_commands_escalate_and_close(zone, admin_user, depts):
    from io import StringIO

    from django.core.management import call_command

    r = public_request()
    services.route(
        actor=admin_user, request_id=r.pk, department_id=depts["dept"]["CGK"].pk, on=dt.date(2025, 6, 2)
    )
    out = StringIO()
    call_command("escalate_overdue_requests", "--date", "2025-06-12", stdout=out)
    assert "诉求1件" in out.getvalue()
    out = StringIO()
    call_command("close_unrated_requests", stdout=out)
    assert "自动办结0件" in out.getvalue()
    from apps.resident_requests.tasks import close_unrated_task, escalate_overdue_task

    assert escalate_overdue_task() == {"requests": 0, "parts": 0}  # already at the top level
    assert close_unrated_task() == 0


# ---------------------------------------------------------------- work orders


def _work_order(admin_user, depts, request=None):  # type: ignore[no-untyped-def]
    r = request or public_request(category="municipal", title="小区门口道路积水")
    return services.to_work_order(
        actor=admin_user, request_id=r.pk, title="道路积水联合整治", content="建设管理科疏通管网，城管科清理占道。",
        lead_department_id=depts["dept"]["JSGLK"].pk,
        parts=[
            {"department_id": depts["dept"]["JSGLK"].pk, "task": "疏通雨水管网", "working_days": 5},
            {"department_id": depts["dept"]["CGK"].pk, "task": "清理占道堆物", "working_days": 3},
        ],
    )  # fmt: skip


def test_a_work_order_runs_part_by_part_and_the_lead_sends_the_combined_reply(zone, admin_user, depts):
    order = _work_order(admin_user, depts)
    assert order.number == f"LXD-{timezone.localdate().year}-0001"
    order.request.refresh_from_db()
    assert order.request.state == "work_order" and order.request.department == depts["dept"]["JSGLK"]
    js, cg = (order.parts.get(department__code=c) for c in ("JSGLK", "CGK"))
    assert js.due_date == add_working_days(timezone.localdate(), 5)
    with pytest.raises(DomainError):
        services.part_sign(actor=depts["staff"]["CGK"], part_id=js.pk)  # not their part
    for staff, part, text in (
        (depts["staff"]["JSGLK"], js, "管网已疏通"),
        (depts["staff"]["CGK"], cg, "堆物已清理"),
    ):
        services.part_sign(actor=staff, part_id=part.pk)
        services.part_complete(actor=staff, part_id=part.pk, text=text)
    order.refresh_from_db()
    assert (
        order.state == "ready"
        and "【建设管理科】管网已疏通" in order.combined_reply
        and "【城管科】堆物已清理" in order.combined_reply
    )
    with pytest.raises(DomainError):
        services.work_order_send(
            actor=depts["staff"]["CGK"], work_order_id=order.pk, text="x"
        )  # not the lead
    services.work_order_send(
        actor=depts["staff"]["JSGLK"], work_order_id=order.pk, text="经联合整治，积水问题已解决。"
    )
    r = ResidentRequest.objects.get(pk=order.request_id)
    assert r.state == "replied" and r.reply == "经联合整治，积水问题已解决。"
    second = _work_order(admin_user, depts)
    assert second.number.endswith("-0002")


def test_a_work_order_needs_two_distinct_departments_and_a_returned_part_is_handed_out_again(
    zone, admin_user, depts
):
    r = public_request()
    with pytest.raises(DomainError) as one:
        services.to_work_order(actor=admin_user, request_id=r.pk, title="t", content="c", lead_department_id=depts["dept"]["CGK"].pk,
                               parts=[{"department_id": depts["dept"]["CGK"].pk, "task": "a"}])  # fmt: skip
    assert one.value.code == "work_order.parts"
    with pytest.raises(DomainError):
        services.to_work_order(actor=admin_user, request_id=r.pk, title="t", content="c", lead_department_id=depts["dept"]["CGK"].pk,
                               parts=[{"department_id": depts["dept"]["CGK"].pk, "task": "a"}, {"department_id": depts["dept"]["CGK"].pk, "task": "b"}])  # fmt: skip
    assert ResidentRequest.objects.get(pk=r.pk).state == "submitted"
    order = _work_order(admin_user, depts, r)
    cg = order.parts.get(department__code="CGK")
    with pytest.raises(DomainError):
        services.part_return(actor=depts["staff"]["CGK"], part_id=cg.pk, reason="")
    services.part_return(actor=depts["staff"]["CGK"], part_id=cg.pk, reason="占道属于平安办协调")
    part = services.part_reopen(actor=admin_user, part_id=cg.pk, department_id=depts["dept"]["PAB"].pk)
    assert part.state == "pending" and part.department == depts["dept"]["PAB"]
    with pytest.raises(DomainError):
        services.reply(actor=depts["staff"]["JSGLK"], request_id=r.pk, text="直接答复")


def test_overdue_parts_escalate_and_alert_their_department(zone, admin_user, depts):
    order = _work_order(admin_user, depts)
    cg = order.parts.get(department__code="CGK")
    WorkOrderPart.objects.filter(pk=cg.pk).update(due_date=dt.date(2025, 6, 2))
    assert services.escalate_overdue(dt.date(2025, 6, 10))["parts"] == 1
    cg.refresh_from_db()
    assert cg.escalation_level == 2
    refresh_alerts(dt.date(2025, 6, 10))
    keys = set(alerts_for(depts["staff"]["CGK"]).values_list("key", flat=True))
    assert f"request_overdue:part:{cg.pk}" in keys
    assert f"request_overdue:part:{cg.pk}" not in set(
        alerts_for(depts["staff"]["JSGLK"]).values_list("key", flat=True)
    )


def test_staff_intake_from_the_hotline_and_a_liaison_for_their_household(zone, admin_user, depts, grid):
    hot = staff_request(admin_user, channel="hotline", zone=str(grid["zone_b"].pk))
    assert hot.channel == "hotline" and hot.org_path == zone["b"].path and hot.created_by == admin_user
    mine = staff_request(
        grid["liaison_user"], household=grid["house_a"], submitter_name="", submitter_phone=""
    )
    assert mine.channel == "liaison" and mine.household == grid["house_a"] and mine.submitter_name == "王大妈"
    assert mine.submitter_phone == "13900001111" and mine.org_path == zone["a"].path
    from django.http import Http404

    with pytest.raises(Http404):  # a household the liaison does not serve
        staff_request(grid["liaison_user"], household=grid["house_b"])
    with pytest.raises(Http404):  # only the zone and departments take hotline calls
        staff_request(grid["liaison_user"], channel="hotline")
    leader_made = staff_request(grid["leader"], household=grid["house_a2"])
    assert leader_made.zone == grid["zone_a"]


def test_statistics_count_received_closed_overdue_and_satisfaction(zone, admin_user, depts):
    from apps.core.statistics import StatContext, collect, headline
    from apps.resident_requests.selectors import request_summary

    closed = public_request(category="security")
    services.route(actor=admin_user, request_id=closed.pk, department_id=depts["dept"]["PAB"].pk)
    services.accept(actor=depts["staff"]["PAB"], request_id=closed.pk)
    services.reply(actor=depts["staff"]["PAB"], request_id=closed.pk, text="已加强巡逻")
    services.rate(code=closed.receipt_code, rating=4)
    late = public_request()
    ResidentRequest.objects.filter(pk=late.pk).update(due_date=dt.date(2020, 1, 2))
    public_request(category="welfare")
    today = timezone.localdate()
    summary = request_summary(admin_user, today.replace(day=1), today)
    assert summary["received"] == 3 and summary["closed"] == 1 and summary["overdue"] == 1
    assert summary["average_rating"] == 4.0 and summary["satisfaction_rate"] == 1.0
    assert {r["category"]: r["count"] for r in summary["by_category"]}["sanitation"] == 1
    stats = headline(collect(StatContext(user=admin_user), ["requests"])["requests"])
    assert stats["requests.received"].value == 3 and stats["requests.overdue"].link.endswith("tab=overdue")
    assert request_summary(depts["staff"]["CGK"], today.replace(day=1), today)["received"] == 0
