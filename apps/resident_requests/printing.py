"""The work order (工作联系单) as a printable A4 PDF: the matter, the lead department and every
department's task, deadline, state and result, with space for signatures."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from apps.core.pdf import cjk_font
from apps.resident_requests.models import WorkOrder


def _wrap(
    c: canvas.Canvas, text: str, x: float, y: float, width: float, font: str, size: int, leading: float
) -> float:
    for paragraph in (text or "").splitlines() or [""]:
        line = ""
        for ch in paragraph:
            if c.stringWidth(line + ch, font, size) > width:
                c.drawString(x, y, line)
                y -= leading
                line = ""
            line += ch
        c.drawString(x, y, line)
        y -= leading
    return y


def render_work_order(order: WorkOrder) -> bytes:
    font = cjk_font()
    out = BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setTitle(f"工作联系单 {order.number}")
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    y = height - 22 * mm

    def ensure(space: float) -> None:
        nonlocal y
        if y < 25 * mm + space:
            c.showPage()
            y = height - 22 * mm

    c.setFont(font, 18)
    c.drawCentredString(width / 2, y, "工 作 联 系 单")
    y -= 9 * mm
    c.setFont(font, 10)
    c.drawCentredString(
        width / 2, y, f"编号：{order.number}　　发起日期：{timezone.localdate(order.created_at):%Y年%m月%d日}"
    )
    y -= 10 * mm
    request = order.request
    rows = [
        ("事　　项", order.title),
        (
            "来源诉求",
            f"{request.receipt_code}（{request.get_category_display()}，{request.received_on:%Y-%m-%d}受理）",
        ),
        ("牵头部门", order.lead_department.name),
        ("办理要求", order.content),
    ]
    for label, value in rows:
        ensure(12 * mm)
        c.setFont(font, 11)
        c.drawString(left, y, f"{label}：")
        y = _wrap(c, value, left + 24 * mm, y, right - left - 24 * mm, font, 11, 6 * mm) - 2 * mm
    y -= 4 * mm
    c.setFont(font, 13)
    c.drawString(left, y, "承办部门")
    y -= 8 * mm
    for index, part in enumerate(order.parts.select_related("department").order_by("id"), start=1):
        ensure(40 * mm)
        c.setFont(font, 11)
        due = f"{part.due_date:%Y-%m-%d}" if part.due_date else "—"
        c.drawString(
            left,
            y,
            f"{index}. {part.department.name}　时限：{part.working_days}个工作日（{due}前）　状态：{part.state_label}",
        )
        y -= 6 * mm
        y = _wrap(c, f"任务：{part.task}", left + 6 * mm, y, right - left - 6 * mm, font, 10, 5.5 * mm)
        if part.reply:
            y = _wrap(
                c, f"办理结果：{part.reply}", left + 6 * mm, y, right - left - 6 * mm, font, 10, 5.5 * mm
            )
        c.setFont(font, 10)
        c.drawRightString(right, y - 2 * mm, "承办人签字：__________　　日期：__________")
        y -= 10 * mm
    ensure(30 * mm)
    if order.combined_reply:
        c.setFont(font, 11)
        c.drawString(left, y, "汇总答复：")
        y = (
            _wrap(c, order.combined_reply, left + 24 * mm, y, right - left - 24 * mm, font, 10, 5.5 * mm)
            - 4 * mm
        )
    c.setFont(font, 11)
    c.drawRightString(right, max(y - 10 * mm, 22 * mm), f"{order.lead_department.name}（盖章）")
    c.showPage()
    c.save()
    return out.getvalue()
