"""Dates and times printed or exported are local (Asia/Shanghai), not UTC: an evening in UTC is the
next morning in 下沙."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook
from reportlab.pdfgen import canvas

from apps.resident_requests import services
from apps.resident_requests.models import ResidentRequest, WorkOrder
from apps.resident_requests.printing import render_work_order

from .helpers import public_request

pytestmark = pytest.mark.django_db

# 2026-03-01 17:30 UTC is 2026-03-02 01:30 in Asia/Shanghai.
LATE_EVENING_UTC = dt.datetime(2026, 3, 1, 17, 30, tzinfo=dt.UTC)


def test_the_work_order_pdf_prints_the_local_date_it_was_raised(zone, admin_user, depts, monkeypatch):
    r = public_request()
    order = services.to_work_order(
        actor=admin_user, request_id=r.pk, title="联合整治", content="两部门办理",
        lead_department_id=depts["dept"]["JSGLK"].pk,
        parts=[{"department_id": depts["dept"]["JSGLK"].pk, "task": "甲"}, {"department_id": depts["dept"]["CGK"].pk, "task": "乙"}],
    )  # fmt: skip
    WorkOrder.objects.filter(pk=order.pk).update(created_at=LATE_EVENING_UTC)
    printed: list[str] = []
    original = canvas.Canvas.drawCentredString

    def record(self, x, y, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        printed.append(text)
        return original(self, x, y, text, *args, **kwargs)

    monkeypatch.setattr(canvas.Canvas, "drawCentredString", record)
    pdf = render_work_order(WorkOrder.objects.select_related("request", "lead_department").get(pk=order.pk))
    assert pdf.startswith(b"%PDF")
    header = next(line for line in printed if "发起日期" in line)
    assert "发起日期：2026年03月02日" in header


def test_the_excel_export_gives_the_reply_time_in_local_time(client, zone, admin_user, depts):
    r = public_request()
    ResidentRequest.objects.filter(pk=r.pk).update(
        state="replied", replied_at=LATE_EVENING_UTC, reply="已处理"
    )
    client.force_login(admin_user)
    workbook = load_workbook(BytesIO(b"".join(client.get("/requests/export.xlsx?tab=all").streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    column = rows[0].index("答复时间")
    assert rows[1][column] == "2026-03-02 01:30"


def test_the_pages_show_the_reply_time_in_local_time(client, zone, admin_user, depts):
    r = public_request()
    ResidentRequest.objects.filter(pk=r.pk).update(
        state="replied", replied_at=LATE_EVENING_UTC, reply="已处理"
    )
    client.force_login(admin_user)
    assert "2026-03-02 01:30" in client.get(f"/requests/{r.pk}/").content.decode()
    track = client.post("/requests/track/", {"code": r.receipt_code}).content.decode()
    assert "2026-03-02 01:30" in track
