"""The introduction letter (党员组织关系介绍信) as a printable A4 PDF: stub, letter and receipt, in the
three-part layout of the official form, separated by cut lines."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from apps.core import crypto
from apps.core.pdf import cjk_font
from apps.transfers.models import Transfer


def _wrap(
    c: canvas.Canvas, text: str, x: float, y: float, width: float, font: str, size: int, leading: float
) -> float:
    line = ""
    for ch in text:
        if c.stringWidth(line + ch, font, size) > width:
            c.drawString(x, y, line)
            y -= leading
            line = ""
        line += ch
    if line:
        c.drawString(x, y, line)
        y -= leading
    return y


def render_letter(t: Transfer) -> bytes:
    member = t.member
    font = cjk_font()
    out = BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setTitle(f"党员组织关系介绍信 {t.number}")
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    status = "正式" if member and member.status == "full" else "预备"
    gender = "男" if member and member.gender == "male" else "女"
    age = ""
    if member:
        today = dt.date.today()  # noqa: DTZ011 — the printed age only needs the calendar day
        age = str(
            today.year
            - member.birth_date.year
            - ((today.month, today.day) < (member.birth_date.month, member.birth_date.day))
        )
    citizen = crypto.decrypt(member.citizen_id_encrypted) if member else ""
    issued = t.issued_on or dt.date.today()  # noqa: DTZ011
    dues = f"{t.dues_paid_to:%Y年%m月}" if t.dues_paid_to else "—"
    person = f"{t.person_name}同志（{gender}，{age}岁，{member.ethnicity if member else ''}，身份证号码{citizen}）系中共{status}党员"
    parts = [
        ("存根", f"{person}，组织关系由{t.from_label}转到{t.to_label}。党费已交到{dues}。", True),
        (
            "党员组织关系介绍信",
            f"{t.to_label}：\n　　{person}，由{t.from_label}转到{t.to_label}，请接洽。\n　　该同志党费已交到{dues}。",
            False,
        ),
        ("回执", f"{t.from_label}：\n　　{t.person_name}同志的党员组织关系已转达我处，特此回执。", False),
    ]
    top = height - 18 * mm
    section = (height - 36 * mm) / 3
    for index, (title, body, is_stub) in enumerate(parts):
        y = top - index * section
        c.setFont(font, 16)
        c.drawCentredString(width / 2, y, title if not is_stub else "党员组织关系介绍信（存根）")
        c.setFont(font, 10)
        c.drawCentredString(width / 2, y - 7 * mm, f"（{t.number}）")
        c.setFont(font, 12)
        yy = y - 16 * mm
        for paragraph in body.split("\n"):
            yy = _wrap(c, paragraph, left, yy, right - left, font, 12, 7 * mm)
        c.setFont(font, 11)
        if title == "回执":
            c.drawRightString(right, y - section + 22 * mm, "接收党组织（盖章）")
            c.drawRightString(right, y - section + 15 * mm, "　　年　　月　　日")
        else:
            c.drawString(left, y - section + 22 * mm, f"（有效期{t.valid_days}天）")
            c.drawRightString(right, y - section + 22 * mm, f"{t.from_label}（盖章）")
            c.drawRightString(right, y - section + 15 * mm, f"{issued:%Y年%m月%d日}")
        if index < 2:
            c.setDash(4, 3)
            c.line(left - 8 * mm, y - section + 8 * mm, right + 8 * mm, y - section + 8 * mm)
            c.setDash()
    c.showPage()
    c.save()
    return out.getvalue()
