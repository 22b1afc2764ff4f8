"""Parks, units, their coverage history and the rates (SPEC §8), through the services, pages and API."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from openpyxl import Workbook

from apps.core.errors import DomainError
from apps.core.scoping import Role
from apps.core.testing.factories import UserFactory, grant
from apps.coverage import services
from apps.coverage.excel import HEADERS
from apps.coverage.models import CoverageRecord, Park, Unit
from apps.coverage.rules import make_credit_code
from apps.coverage.selectors import coverage_breakdown, coverage_rates, units_for

TODAY = timezone.localdate()
_codes = iter(range(1000, 10**6))


@pytest.fixture
def parks(zone, admin_user):
    """An industrial park under committee A and a special town under committee B."""
    return {
        "a": services.park_save(actor=admin_user, values={"name": "高新技术产业园", "park_type": "industrial", "org": zone["a"].pk}),
        "b": services.park_save(actor=admin_user, values={"name": "大创小镇", "park_type": "town", "org": zone["b"].pk}),
    }  # fmt: skip


def unit(
    actor,
    park=None,
    org=None,
    *,
    status="none",
    covering=None,
    since=None,
    members=0,
    kind="enterprise",
    **extra,
):
    values = {
        "kind": kind, "name": extra.pop("name", f"单位{next(_codes)}"), "credit_code": make_credit_code(next(_codes), kind=kind),
        "sector": "C", "size_class": "small", "employees": 50, "party_members": members,
        "park": park.pk if park else "", "org": org.pk if org else "", "established_on": dt.date(2015, 1, 1),
        "status": status, "covering_org": covering.pk if covering else "", "status_since": since or "", **extra,
    }  # fmt: skip
    return services.unit_create(actor=actor, values=values)


def test_rates_count_own_joint_and_instructor_coverage(zone, admin_user, parks):
    instructor = grant(UserFactory(username="guide"), Role.INSTRUCTOR, zone["root"])
    unit(admin_user, parks["a"], status="own", covering=zone["a1"], members=5)
    unit(admin_user, parks["a"], status="joint", covering=zone["a2"])
    unit(admin_user, parks["a"], status="instructor", instructor=instructor.pk)
    unit(admin_user, parks["a"])
    unit(admin_user, parks["b"], status="own", covering=zone["b1"], kind="social")
    zone_rates = coverage_rates(None)
    assert zone_rates == {
        "total": 5, "own": 2, "joint": 1, "instructor": 1, "uncovered": 1, "own_rate": Decimal("0.4000"),
        "joint_rate": Decimal("0.2000"), "org_rate": Decimal("0.6000"), "work_rate": Decimal("0.8000"),
    }  # fmt: skip
    park_rates = coverage_rates(parks["a"])
    assert (park_rates["total"], park_rates["org_rate"], park_rates["work_rate"]) == (
        4,
        Decimal("0.5000"),
        Decimal("0.7500"),
    )
    assert coverage_rates("town")["own_rate"] == Decimal("1.0000")
    assert coverage_rates(zone["a"])["total"] == 4  # the park's units belong to committee A's subtree
    assert coverage_rates(None, kind="social")["total"] == 1
    assert coverage_rates(None, kind="enterprise")["org_rate"] == Decimal("0.5000")


def test_rates_at_a_past_date_use_the_status_valid_then(zone, admin_user, parks):
    u = unit(admin_user, parks["a"], since=dt.date(2015, 1, 1))
    services.unit_set_status(
        actor=admin_user,
        unit_id=u.pk,
        values={"status": "own", "covering_org": zone["a1"].pk},
        on=dt.date(2020, 6, 1),
    )
    later = unit(
        admin_user, parks["a"], established_on=dt.date(2021, 1, 1), status="joint", covering=zone["a2"]
    )
    assert coverage_rates(None, dt.date(2019, 12, 31))["total"] == 1
    assert coverage_rates(None, dt.date(2019, 12, 31))["own"] == 0
    assert coverage_rates(None, dt.date(2020, 6, 1))["own"] == 1
    assert coverage_rates(None, dt.date(2022, 1, 1))["org_rate"] == Decimal("1.0000")
    services.unit_close(actor=admin_user, unit_id=later.pk, on=dt.date(2023, 3, 1))
    assert coverage_rates(None, dt.date(2023, 2, 28))["total"] == 2
    assert coverage_rates(None, dt.date(2023, 3, 1))["total"] == 1
    assert coverage_rates(None)["total"] == 1
    assert list(CoverageRecord.objects.filter(unit=u).values_list("status", "valid_to")) == [
        ("none", dt.date(2020, 6, 1)),
        ("own", None),
    ]


def test_a_change_on_the_same_day_corrects_the_record_and_dates_are_checked(zone, admin_user, parks):
    u = unit(admin_user, parks["a"], since=dt.date(2024, 1, 1))
    services.unit_set_status(
        actor=admin_user,
        unit_id=u.pk,
        values={"status": "joint", "covering_org": zone["a1"].pk},
        on=dt.date(2024, 1, 1),
    )
    assert CoverageRecord.objects.filter(unit=u).count() == 1
    with pytest.raises(DomainError) as exc:
        services.unit_set_status(
            actor=admin_user, unit_id=u.pk, values={"status": "none"}, on=dt.date(2023, 12, 1)
        )
    assert "不能早于" in exc.value.message
    with pytest.raises(DomainError):
        services.unit_set_status(
            actor=admin_user, unit_id=u.pk, values={"status": "none"}, on=TODAY + dt.timedelta(days=1)
        )
    with pytest.raises(DomainError):
        services.unit_set_status(
            actor=admin_user, unit_id=u.pk, values={"status": "own"}, on=TODAY
        )  # no organization


def test_bad_unit_input_is_refused_with_the_reason_and_nothing_is_written(zone, admin_user, parks):
    good = {"kind": "enterprise", "name": "某公司", "credit_code": make_credit_code(1), "sector": "C", "size_class": "small",
            "park": parks["a"].pk, "established_on": "2015-01-01"}  # fmt: skip
    cases = [
        (
            {"credit_code": make_credit_code(1)[:17] + ("0" if make_credit_code(1)[17] != "0" else "1")},
            "credit_code",
        ),
        ({"credit_code": "123"}, "credit_code"),
        ({"sector": "Z"}, "sector"),
        ({"employees": "-1"}, "employees"),
        ({"party_members": "9", "employees": "3"}, "party_members"),
        ({"park": "", "org": ""}, "park"),
        ({"established_on": (TODAY + dt.timedelta(days=2)).isoformat()}, "established_on"),
        ({"name": "  "}, "name"),
    ]
    for change, field in cases:
        with pytest.raises(DomainError) as exc:
            services.unit_create(actor=admin_user, values={**good, **change})
        assert exc.value.field == field, change
    assert not Unit.objects.exists()
    services.unit_create(actor=admin_user, values=good)
    with pytest.raises(DomainError) as exc:
        services.unit_create(actor=admin_user, values={**good, "name": "另一家"})
    assert "已登记" in exc.value.message


def test_a_committee_sees_and_changes_only_its_subtree(zone, admin_user, committee_user, parks):
    mine = unit(admin_user, parks["a"])
    theirs = unit(admin_user, parks["b"])
    assert list(units_for(committee_user)) == [mine]
    assert coverage_rates(None, units=units_for(committee_user))["total"] == 1
    with pytest.raises(Http404):
        services.unit_set_status(actor=committee_user, unit_id=theirs.pk, values={"status": "none"}, on=TODAY)
    with pytest.raises(DomainError):
        unit(committee_user, parks["b"])  # a park outside the scope


def test_an_instructor_sees_the_units_they_cover_and_records_visits(zone, admin_user, parks, client_for):
    guide = grant(UserFactory(username="guide"), Role.INSTRUCTOR, zone["a"])
    covered = unit(admin_user, parks["a"], status="instructor", instructor=guide.pk)
    other = unit(admin_user, parks["a"])
    assert list(units_for(guide)) == [covered]
    services.visit_record(
        actor=guide, unit_id=covered.pk, visited_on=TODAY, content="了解党员情况，指导筹建党支部"
    )
    with pytest.raises(Http404):
        services.visit_record(actor=guide, unit_id=other.pk, visited_on=TODAY, content="x")
    client = client_for(guide)
    assert client.get(f"/coverage/units/{covered.pk}/").status_code == 200
    assert client.get(f"/coverage/units/{other.pk}/").status_code == 404
    assert "指导筹建党支部" in client.get(f"/coverage/units/{covered.pk}/").content.decode()


def test_the_pages_link_every_number_to_its_list(zone, admin_user, parks, client_for):
    unit(admin_user, parks["a"], status="own", covering=zone["a1"], name="甲电器有限公司")
    unit(admin_user, parks["a"], name="乙线缆有限公司", members=4)
    client = client_for(admin_user)
    page = client.get("/coverage/?by=park_type").content.decode()
    assert "50.0%" in page and 'data-testid="coverage-chart"' in page
    listing = client.get("/coverage/units/?park_type=industrial&status=none").content.decode()
    assert "乙线缆有限公司" in listing and "甲电器有限公司" not in listing
    should = client.get("/coverage/units/?should_build=1").content.decode()
    assert "乙线缆有限公司" in should and "甲电器有限公司" not in should
    past = client.get(f"/coverage/units/?on={dt.date(2014, 1, 1)}").content.decode()
    assert "没有符合条件的单位" in past


def test_the_pages_and_api_hide_other_scopes(zone, admin_user, committee_user, parks, client_for):
    theirs = unit(admin_user, parks["b"], name="乙区企业")
    client = client_for(committee_user)
    assert client.get(f"/coverage/units/{theirs.pk}/").status_code == 404
    assert "乙区企业" not in client.get("/coverage/units/").content.decode()
    assert client.get("/api/v1/coverage/rates").json()["total"] == 0
    assert client.get(f"/api/v1/coverage/units/{theirs.pk}").status_code == 404
    assert client.get(f"/api/v1/coverage/rates?park={parks['b'].pk}").status_code == 404


def test_the_api_gives_the_same_figures_as_the_selector(zone, admin_user, parks, client):
    unit(admin_user, parks["a"], status="own", covering=zone["a1"])
    unit(admin_user, parks["a"])
    client.force_login(admin_user)
    body = client.get("/api/v1/coverage/rates?park_type=industrial").json()
    expected = coverage_rates("industrial")
    assert body["total"] == expected["total"] and Decimal(str(body["org_rate"])) == expected["org_rate"]
    rows = client.get("/api/v1/coverage/breakdown?by=park_type").json()
    assert rows[0]["label"] == "工业园区" and rows[0]["total"] == 2
    created = client.post(
        "/api/v1/coverage/units",
        {
            "kind": "social",
            "name": "开发区慈善协会",
            "credit_code": make_credit_code(42, kind="social"),
            "sector": "S",
            "size_class": "micro",
            "park": parks["a"].pk,
            "established_on": "2019-03-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["status"] == "none"
    bad = client.post(
        "/api/v1/coverage/units",
        {"kind": "social", "name": "x", "credit_code": "911", "sector": "S", "size_class": "micro", "park": parks["a"].pk, "established_on": "2019-03-01"},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "credit_code"


def workbook(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    data = BytesIO()
    wb.save(data)
    return SimpleUploadedFile("units.xlsx", data.getvalue())


def row(name, code, park="高新技术产业园", status="未覆盖", covering=""):
    return [
        "企业",
        name,
        code,
        "C",
        "小型",
        "否",
        30,
        1,
        park,
        "",
        "2016-05-01",
        status,
        covering,
        "",
        "",
        "",
    ]


def test_an_import_with_one_bad_row_writes_nothing_and_names_the_row(zone, admin_user, parks, client_for):
    client = client_for(admin_user)
    bad_code = make_credit_code(5)[:17] + ("0" if make_credit_code(5)[17] != "0" else "1")
    response = client.post(
        "/coverage/import/",
        {
            "file": workbook(
                [
                    row("甲公司", make_credit_code(3)),
                    row("乙公司", bad_code),
                    row("丙公司", make_credit_code(6), park="不存在的园区"),
                ]
            )
        },
    )
    body = response.content.decode()
    assert 'data-testid="import-errors"' in body and "校验位" in body and "不存在的园区" in body
    assert not Unit.objects.exists()
    response = client.post(
        "/coverage/import/",
        {
            "file": workbook(
                [
                    row("甲公司", make_credit_code(3)),
                    row("乙公司", make_credit_code(4), status="单建", covering="甲一支部"),
                ]
            )
        },
    )
    assert response.status_code == 302
    assert set(Unit.objects.values_list("name", "status")) == {("甲公司", "none"), ("乙公司", "own")}
    assert CoverageRecord.objects.count() == 2


def test_the_import_template_and_the_export_download(zone, admin_user, parks, client_for):
    unit(admin_user, parks["a"], name="导出测试公司")
    client = client_for(admin_user)
    template = client.get("/coverage/import/template.xlsx")
    assert template.status_code == 200 and b"".join(template.streaming_content)[:2] == b"PK"
    exported = b"".join(client.get("/coverage/units/export.xlsx").streaming_content)
    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(exported)).active
    assert [c.value for c in sheet[1]] == HEADERS and sheet.cell(2, 2).value == "导出测试公司"


def test_the_breakdown_groups_by_park_type_and_the_park_list_shows_rates(zone, admin_user, parks, client_for):
    unit(admin_user, parks["a"], status="own", covering=zone["a1"])
    unit(admin_user, None, org=zone["b"])
    rows = {r.label: r.figures for r in coverage_breakdown("park_type", units=Unit.objects.all())}
    assert rows["工业园区"]["own"] == 1 and rows["不在园区（街道）"]["total"] == 1
    assert "高新技术产业园" in client_for(admin_user).get("/coverage/parks/").content.decode()
    assert Park.objects.count() == 2


def test_coverage_pages_cost_the_same_queries_with_more_units(
    zone, admin_user, parks, client_for, django_assert_max_num_queries
):
    for _ in range(3):
        unit(admin_user, parks["a"])
    client = client_for(admin_user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/coverage/units/")
        client.get("/coverage/")
    for _ in range(12):
        unit(admin_user, parks["b"], status="own", covering=zone["b1"])
    with CaptureQueriesContext(connection) as many:
        client.get("/coverage/units/")
        client.get("/coverage/")
    assert len(many.captured_queries) == len(few.captured_queries)


def test_editing_a_park_moves_its_units_into_the_new_organizations_scope(
    zone, admin_user, committee_user, parks, client_for
):
    u = unit(admin_user, parks["b"], name="迁移企业")
    assert not units_for(committee_user).filter(pk=u.pk).exists()
    response = client_for(admin_user).post(
        f"/coverage/parks/{parks['b'].pk}/edit/",
        {"name": "大创小镇", "park_type": "town", "org": zone["a"].pk},
    )
    assert response.status_code == 302
    assert units_for(committee_user).filter(pk=u.pk).exists()
    assert client_for(committee_user).get(f"/coverage/parks/{parks['b'].pk}/edit/").status_code == 200
    bad = client_for(admin_user).post(
        f"/coverage/parks/{parks['a'].pk}/edit/",
        {"name": "大创小镇", "park_type": "town", "org": zone["a"].pk},
    )
    assert "已有名为" in bad.content.decode()


def test_parks_import_all_or_nothing_and_export(zone, admin_user, parks, client_for):
    from apps.coverage.excel import PARK_HEADERS

    def book(rows):
        wb = Workbook()
        ws = wb.active
        ws.append(PARK_HEADERS)
        for r in rows:
            ws.append(r)
        data = BytesIO()
        wb.save(data)
        return SimpleUploadedFile("parks.xlsx", data.getvalue())

    client = client_for(admin_user)
    response = client.post(
        "/coverage/parks/import/",
        {"file": book([["新园区", "工业园区", "甲党委", ""], ["坏园区", "火星园区", "甲党委", ""]])},
        follow=True,
    )
    assert "未导入任何园区" in response.content.decode() and "第3行" in response.content.decode()
    assert Park.objects.count() == 2
    client.post("/coverage/parks/import/", {"file": book([["新园区", "工业园区", "甲党委", "经二路"]])})
    assert Park.objects.filter(name="新园区", org=zone["a"]).exists()
    exported = b"".join(client.get("/coverage/parks/export.xlsx").streaming_content)
    from openpyxl import load_workbook

    names = [row[0] for row in load_workbook(BytesIO(exported)).active.iter_rows(min_row=2, values_only=True)]
    assert set(names) == {"高新技术产业园", "大创小镇", "新园区"}
