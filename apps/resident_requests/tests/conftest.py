"""Fixtures of the requests tests: the street's departments with their staff, and a small grid."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.scoping import Role
from apps.core.testing.factories import UserFactory, grant, make_member
from apps.resident_requests import services
from apps.resident_requests.models import Department

from .helpers import PNG, VALUES, public_request, solved, staff_request


def make_zone(org, code, name, leaders=()):  # type: ignore[no-untyped-def]
    from apps.grid.models import Group, Zone

    zone = Zone.objects.create(org=org, org_path=org.path, code=code, name=name)
    if leaders:
        zone.leaders.set(leaders)
    Group.objects.create(zone=zone, code=f"{code}-1", name="第一组")
    return zone


def make_household(zone, code, *, liaison=None, head="王大妈", phone="13900001111"):  # type: ignore[no-untyped-def]
    from apps.grid.models import Household

    return Household.objects.create(
        zone=zone, group=zone.groups.first(), org_path=zone.org_path, code=code, address=f"{zone.name}{code}号",
        head_name=head, phone=phone, liaison=liaison,
    )  # fmt: skip


@pytest.fixture
def depts(db):  # type: ignore[no-untyped-def]
    """The departments of the data migration, each with one staff user."""
    from apps.resident_requests.services import ensure_defaults

    ensure_defaults()
    found = {d.code: d for d in Department.objects.all()}
    users = {}
    for code, username in (
        ("CGK", "cgk-staff"),
        ("SHSWK", "shswk-staff"),
        ("PAB", "pab-staff"),
        ("JSGLK", "js-staff"),
    ):
        users[code] = UserFactory(username=username, display_name=f"{found[code].name}工作人员")
        found[code].staff.add(users[code])
    return {"dept": found, "staff": users}


@pytest.fixture
def grid(zone):  # type: ignore[no-untyped-def]
    """A zone under committee A (with a leader and a liaison member) and one under committee B."""
    leader = UserFactory(username="zone-leader-a")
    liaison_user = UserFactory(username="liaison-a")
    liaison = make_member(zone["a1"], user=liaison_user, name="李联户")
    zone_a = make_zone(zone["a"], "A01", "甲社区", leaders=[leader])
    zone_b = make_zone(zone["b"], "B01", "乙社区")
    return {
        "zone_a": zone_a, "zone_b": zone_b, "leader": leader, "liaison_user": liaison_user, "liaison": liaison,
        "house_a": make_household(zone_a, "A01-001", liaison=liaison), "house_a2": make_household(zone_a, "A01-002"),
        "house_b": make_household(zone_b, "B01-001", head="赵大爷"),
    }  # fmt: skip


@pytest.fixture
def grid_leader(zone, grid):  # type: ignore[no-untyped-def]
    return grant(UserFactory(username="grid-leader-b"), Role.GRID_LEADER, zone["b"])


@pytest.fixture
def world(zone, admin_user, committee_user, depts, grid, grid_leader):  # type: ignore[no-untyped-def]
    """A request in each corner: routed to 城管科 from zone A's household, one from zone B for 平安办,
    one public without a zone, one in a work order shared by 建设管理科 and 社会事务科."""
    a = staff_request(grid["liaison_user"], household=grid["house_a"], title="甲社区路灯不亮")
    services.route(actor=admin_user, request_id=a.pk, department_id=depts["dept"]["CGK"].pk)
    b = staff_request(
        admin_user,
        channel="hotline",
        zone=str(grid["zone_b"].pk),
        title="乙社区噪音扰民",
        category="security",
    )
    services.route(actor=admin_user, request_id=b.pk, department_id=depts["dept"]["PAB"].pk)
    token, answer = solved()
    loose, _ = services.submit_public(
        values={**VALUES, "title": "无社区的诉求"}, token=token, answer=answer,
        files=[SimpleUploadedFile("a.png", PNG, "image/png")],
    )  # fmt: skip
    w = public_request(title="联合办理的诉求", zone=str(grid["zone_b"].pk))
    order = services.to_work_order(
        actor=admin_user, request_id=w.pk, title="联合办理", content="两部门", lead_department_id=depts["dept"]["JSGLK"].pk,
        parts=[{"department_id": depts["dept"]["JSGLK"].pk, "task": "甲"}, {"department_id": depts["dept"]["SHSWK"].pk, "task": "乙"}],
    )  # fmt: skip
    return {"a": a, "b": b, "loose": loose, "w": w, "order": order}
