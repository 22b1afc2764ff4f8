"""Who sees what: the zone, a department, a committee or grid leader, a liaison, a resident — on every
list, detail, export, attachment and API; the staff pages' actions; and constant query counts."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from apps.core.models import AccessLog
from apps.core.testing.factories import UserFactory
from apps.resident_requests import services
from apps.resident_requests.models import ResidentRequest
from apps.resident_requests.selectors import access_request, may_view_requests, requests_for, work_orders_for

from .helpers import PNG, VALUES, public_request, staff_request

pytestmark = pytest.mark.django_db


def _visible(user) -> set[str]:  # type: ignore[no-untyped-def]
    return set(requests_for(user).values_list("title", flat=True))


def test_each_scope_sees_exactly_its_requests(
    zone, admin_user, committee_user, depts, grid, grid_leader, world
):
    everything = {"甲社区路灯不亮", "乙社区噪音扰民", "无社区的诉求", "联合办理的诉求"}
    assert _visible(admin_user) == everything
    assert _visible(depts["staff"]["CGK"]) == {"甲社区路灯不亮"}
    assert _visible(depts["staff"]["PAB"]) == {"乙社区噪音扰民"}
    assert _visible(depts["staff"]["SHSWK"]) == {"联合办理的诉求"}  # a part of the work order
    assert _visible(depts["staff"]["JSGLK"]) == {"联合办理的诉求"}  # the lead
    assert _visible(committee_user) == {"甲社区路灯不亮"}  # org path in committee A
    assert _visible(grid_leader) == {"乙社区噪音扰民", "联合办理的诉求"}  # org path in committee B
    assert _visible(grid["leader"]) == {"甲社区路灯不亮"}  # leads zone A
    assert _visible(grid["liaison_user"]) == {"甲社区路灯不亮"}  # submitted it
    assert _visible(UserFactory(username="nobody")) == set()
    assert requests_for(depts["staff"]["SHSWK"]).count() == 1  # no duplicates from the join
    assert set(work_orders_for(depts["staff"]["SHSWK"])) == {world["order"]}
    assert not work_orders_for(depts["staff"]["CGK"]).exists()
    assert set(work_orders_for(grid_leader)) == {world["order"]}
    assert not work_orders_for(committee_user).exists()


def test_the_menu_shows_for_every_role_that_has_requests_and_not_for_others(
    zone, admin_user, committee_user, depts, grid, grid_leader, member_user, world
):
    for user in (
        admin_user,
        committee_user,
        depts["staff"]["CGK"],
        grid["leader"],
        grid["liaison_user"],
        grid_leader,
    ):
        assert may_view_requests(user)
    assert not may_view_requests(member_user)
    assert not may_view_requests(UserFactory(username="plain"))


def test_details_attachments_exports_and_the_api_hide_other_scopes(
    client, zone, admin_user, depts, grid, world
):
    staff = depts["staff"]["CGK"]
    client.force_login(staff)
    assert client.get(f"/requests/{world['a'].pk}/").status_code == 200
    for other in ("b", "loose", "w"):
        assert client.get(f"/requests/{world[other].pk}/").status_code == 404
        assert client.get(f"/api/v1/requests/{world[other].pk}").status_code == 404
        assert client.post(f"/requests/{world[other].pk}/accept/").status_code == 404
        assert client.post(f"/api/v1/requests/{world[other].pk}/accept").status_code == 404
    attachment = world["loose"].attachments.get()
    assert client.get(f"/requests/attachments/{attachment.pk}/").status_code == 404
    assert client.get(f"/requests/work-orders/{world['order'].pk}/").status_code == 404
    assert client.get(f"/api/v1/requests/work-orders/{world['order'].pk}").status_code == 404
    assert [r["title"] for r in client.get("/api/v1/requests").json()] == ["甲社区路灯不亮"]
    workbook = load_workbook(BytesIO(b"".join(client.get("/requests/export.xlsx").streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][4] == "甲社区路灯不亮" and rows[1][6] == "138****5678"
    html = client.get("/requests/?tab=all").content.decode()
    assert "甲社区路灯不亮" in html and "乙社区噪音扰民" not in html
    client.force_login(admin_user)
    response = client.get(f"/requests/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    client.logout()
    assert client.get(f"/requests/attachments/{attachment.pk}/").status_code == 302  # login first
    assert client.get("/api/v1/requests").status_code == 401


def test_a_liaison_may_only_submit_for_households_they_may_see(client, zone, depts, grid, committee_user):
    client.force_login(grid["liaison_user"])
    assert client.get(f"/requests/new/?household={grid['house_a'].pk}").status_code == 200
    assert client.get(f"/requests/new/?household={grid['house_b'].pk}").status_code == 404
    assert client.get("/requests/new/").status_code == 404  # the hotline form is for staff
    response = client.post(
        f"/requests/new/?household={grid['house_a'].pk}",
        {**VALUES, "submitter_phone": "", "household": grid["house_a"].pk},
    )
    created = ResidentRequest.objects.get(title=VALUES["title"])
    assert (
        response.status_code == 302
        and created.channel == "liaison"
        and created.submitter_phone == "13900001111"
    )
    client.force_login(committee_user)  # GRID_VIEW over committee A covers the household
    assert client.get(f"/requests/new/?household={grid['house_a2'].pk}").status_code == 200
    assert client.get(f"/requests/new/?household={grid['house_b'].pk}").status_code == 404


def test_the_detail_offers_each_role_its_actions_and_the_pages_run_the_flow(
    client, zone, admin_user, depts, world
):
    r = world["loose"]
    client.force_login(depts["staff"]["CGK"])
    assert client.get(f"/requests/{r.pk}/").status_code == 404
    client.force_login(admin_user)
    html = client.get(f"/requests/{r.pk}/").content.decode()
    assert 'data-testid="route-request"' in html and 'data-testid="reply-request"' not in html
    client.post(f"/requests/{r.pk}/route/", {"department": depts["dept"]["CGK"].pk})
    client.force_login(depts["staff"]["CGK"])
    html = client.get(f"/requests/{r.pk}/").content.decode()
    assert 'data-testid="accept-request"' in html and 'data-testid="route-request"' not in html
    client.post(f"/requests/{r.pk}/accept/")
    response = client.post(f"/requests/{r.pk}/reply/", {"reply": ""}, follow=True)
    assert "请填写答复内容" in response.content.decode()
    client.post(f"/requests/{r.pk}/reply/", {"reply": "已处理完毕"})
    assert ResidentRequest.objects.get(pk=r.pk).state == "replied"
    inbox = client.get("/requests/department/?tab=replied").content.decode()
    assert r.title in inbox


def test_revealing_a_phone_is_a_post_that_is_logged(client, zone, admin_user, world):
    client.force_login(admin_user)
    html = client.get(f"/requests/{world['a'].pk}/").content.decode()
    assert "13812345678" not in html and "138****5678" in html
    assert client.get(f"/requests/{world['a'].pk}/reveal/").status_code == 405
    revealed = client.post(f"/requests/{world['a'].pk}/reveal/").content.decode()
    assert "13812345678" in revealed
    log = AccessLog.objects.get(action="reveal_phone")
    assert log.user == admin_user and log.target_id == world["a"].pk


def test_work_order_pages_let_each_department_act_on_its_part(client, zone, admin_user, depts, world):
    order = world["order"]
    shswk = order.parts.get(department__code="SHSWK")
    client.force_login(depts["staff"]["SHSWK"])
    html = client.get(f"/requests/work-orders/{order.pk}/").content.decode()
    assert html.count('data-testid="sign-part"') == 1
    js = order.parts.get(department__code="JSGLK")
    client.post(f"/requests/parts/{js.pk}/sign/")  # not theirs: refused
    js.refresh_from_db()
    assert js.state == "pending"
    client.post(f"/requests/parts/{shswk.pk}/sign/")
    client.post(f"/requests/parts/{shswk.pk}/complete/", {"reply": "已落实救助"})
    client.force_login(depts["staff"]["JSGLK"])
    client.post(f"/requests/parts/{js.pk}/sign/")
    client.post(f"/requests/parts/{js.pk}/complete/", {"reply": "已维修"})
    html = client.get(f"/requests/work-orders/{order.pk}/").content.decode()
    assert 'data-testid="send-combined"' in html and "【社会事务科】已落实救助" in html
    client.post(f"/requests/work-orders/{order.pk}/send/", {"reply": "汇总：两项均已办结"})
    assert ResidentRequest.objects.get(pk=order.request_id).reply == "汇总：两项均已办结"
    pdf = client.get(f"/requests/work-orders/{order.pk}/print.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    listing = client.get("/requests/work-orders/").content.decode()
    assert order.number in listing


def test_the_zone_creates_a_work_order_from_the_page(client, zone, admin_user, depts, world):
    client.force_login(admin_user)
    r = world["b"]
    page = client.get(f"/requests/{r.pk}/work-order/")
    assert page.status_code == 200
    response = client.post(f"/requests/{r.pk}/work-order/", {
        "title": "噪音联合整治", "content": "平安办牵头", "lead_department": depts["dept"]["PAB"].pk,
        "part_department_1": depts["dept"]["PAB"].pk, "part_task_1": "约谈商户", "part_days_1": "3",
        "part_department_2": depts["dept"]["CGK"].pk, "part_task_2": "查处占道经营", "part_days_2": "5",
    })  # fmt: skip
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.state == "work_order" and r.work_order.parts.count() == 2
    client.force_login(depts["staff"]["CGK"])
    assert client.get(f"/requests/{r.pk}/work-order/").status_code == 404


def test_rules_and_departments_pages_are_for_the_zone(client, zone, admin_user, depts):
    client.force_login(depts["staff"]["CGK"])
    assert client.get("/requests/rules/").status_code == 404
    assert client.get("/requests/departments/").status_code == 404
    client.force_login(admin_user)
    data = {
        f"days_{c}": "4"
        for c in (
            "sanitation",
            "property",
            "municipal",
            "security",
            "neighbour",
            "welfare",
            "employment",
            "other",
        )
    }
    assert (
        client.post(
            "/requests/rules/", {**data, "department_sanitation": depts["dept"]["PAB"].pk}
        ).status_code
        == 302
    )
    from apps.resident_requests.models import CategoryRule, Department

    assert CategoryRule.objects.get(category="sanitation").department == depts["dept"]["PAB"]
    assert "1至60" in client.post("/requests/rules/", {"days_sanitation": "99"}).content.decode()
    response = client.post(
        "/requests/departments/",
        {"name": "应急管理科", "code": "yjk", "phone": "0571-1", "staff": "cgk-staff", "is_active": "1"},
    )
    assert response.status_code == 302
    created = Department.objects.get(code="YJK")
    assert list(created.staff.values_list("username", flat=True)) == ["cgk-staff"]
    clash = client.post("/requests/departments/", {"name": "应急管理科", "code": "X1"}).content.decode()
    assert "已有同名" in clash
    missing = client.post(
        f"/requests/departments/{created.pk}/", {"name": "应急管理科", "code": "YJK", "staff": "ghost"}
    ).content.decode()
    assert "ghost" in missing


def test_the_staff_api_runs_the_flow(client, zone, admin_user, depts, world):
    client.force_login(admin_user)
    r = world["loose"]
    assert (
        client.post(
            f"/api/v1/requests/{r.pk}/route",
            {"department_id": depts["dept"]["CGK"].pk},
            content_type="application/json",
        ).json()["state"]
        == "routed"
    )
    client.force_login(depts["staff"]["CGK"])
    assert client.post(f"/api/v1/requests/{r.pk}/accept").json()["state"] == "handling"
    replied = client.post(
        f"/api/v1/requests/{r.pk}/reply", {"reply": "已处理"}, content_type="application/json"
    ).json()
    assert replied["state"] == "replied" and replied["submitter_phone"] == "138****5678"
    detail = client.get(f"/api/v1/requests/{r.pk}").json()
    assert [h["label"] for h in detail["history"]] == ["登记受理", "分派", "受理", "答复"]
    refused = client.post(f"/api/v1/requests/{r.pk}/close")
    assert refused.status_code == 403
    client.force_login(admin_user)
    assert client.post(f"/api/v1/requests/{r.pk}/close").json()["state"] == "closed"
    no_reason = client.post(
        f"/api/v1/requests/{world['b'].pk}/return", {"note": ""}, content_type="application/json"
    )
    assert no_reason.status_code == 400
    created = client.post(
        "/api/v1/requests", {**VALUES, "channel": "hotline"}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["channel"] == "hotline"
    orders = client.get("/api/v1/requests/work-orders").json()
    assert orders[0]["number"] == world["order"].number and len(orders[0]["parts"]) == 2
    part = orders[0]["parts"][0]
    client.force_login(depts["staff"]["JSGLK"])
    assert (
        client.post(f"/api/v1/requests/parts/{part['id']}/sign", {}, content_type="application/json").json()[
            "state"
        ]
        == "working"
    )
    assert client.get(f"/api/v1/requests/work-orders/{world['order'].pk}").status_code == 200


def test_access_request_answers_404_for_missing_and_foreign_alike(zone, depts, world):
    from django.http import Http404

    for pk in (world["b"].pk, 999999):
        with pytest.raises(Http404):
            access_request(depts["staff"]["CGK"], pk)


@pytest.mark.parametrize(
    "url", ["/requests/?tab=all", "/requests/department/?tab=all", "/requests/work-orders/"]
)
def test_list_pages_cost_the_same_queries_with_more_rows(
    client, zone, admin_user, depts, grid, django_assert_max_num_queries, url
):
    def seed(n):  # type: ignore[no-untyped-def]
        for i in range(n):
            r = staff_request(admin_user, channel="hotline", zone=str(grid["zone_a"].pk), title=f"诉求{i}")
            services.route(actor=admin_user, request_id=r.pk, department_id=depts["dept"]["CGK"].pk)
            w = public_request(title=f"联合{i}")
            services.to_work_order(
                actor=admin_user, request_id=w.pk, title="联合", content="c", lead_department_id=depts["dept"]["CGK"].pk,
                parts=[{"department_id": depts["dept"]["CGK"].pk, "task": "甲"}, {"department_id": depts["dept"]["PAB"].pk, "task": "乙"}],
            )  # fmt: skip

    staff = depts["staff"]["CGK"]
    client.force_login(staff)
    seed(2)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    seed(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
