"""Printable PDFs of the grid (A4, ReportLab): the liaison card (民情联系卡) — the liaison, their phone,
the zone's hotline and the households they serve — and the household file (住户档案)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from xml.sax.saxutils import escape as e

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from apps.core.masking import mask_phone
from apps.core.pdf import cjk_font
from apps.grid.models import Household, Visit, VulnerableTag, Zone
from apps.members.models import Member

RED = colors.HexColor("#B3121F")


def _styles() -> dict[str, ParagraphStyle]:
    font = cjk_font()
    base = ParagraphStyle("base", fontName=font, fontSize=10.5, leading=15, wordWrap="CJK")
    return {
        "base": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=9, leading=12, textColor=colors.HexColor("#555555")
        ),
        "title": ParagraphStyle("title", parent=base, fontSize=20, leading=26, alignment=1, textColor=RED),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=11, leading=16, alignment=1),
        "heading": ParagraphStyle(
            "heading", parent=base, fontSize=12.5, leading=18, spaceBefore=6, spaceAfter=4
        ),
        "big": ParagraphStyle("big", parent=base, fontSize=14, leading=20),
    }


def _table(rows: list[list[object]], widths: list[float], header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
        ("FONTSIZE", (0, 0), (-1, -1), 9.5),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F3D6D8"))]
    table.setStyle(TableStyle(style))
    return table


def _phone(value: str, unmasked: bool) -> str:
    return (value if unmasked else mask_phone(value)) or "—"


@dataclass
class Card:
    liaison: Member
    zones: list[Zone]
    households: list[Household]


def render_cards(cards: Iterable[Card], *, unmasked: bool = False, today: dt.date | None = None) -> bytes:
    """One page per liaison: the card to hand to the households, and the list of households served."""
    s = _styles()
    out = BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
        title="民情联系卡", author="先锋智慧党建",
    )  # fmt: skip
    story: list[object] = []
    day = today or dt.date.today()  # noqa: DTZ011 — the printed date only needs the calendar day
    for index, card in enumerate(cards):
        if index:
            story.append(PageBreak())
        m = card.liaison
        hotlines = "、".join(dict.fromkeys(z.hotline for z in card.zones if z.hotline)) or "—"
        zone_names = "、".join(z.name for z in card.zones) or "—"
        box = Table(
            [
                [Paragraph("民情联系卡", s["title"])],
                [Paragraph("联系无遗漏 · 管理无盲点 · 服务无缝隙", s["subtitle"])],
                [Paragraph(f"联户党员：{e(m.name)}", s["big"])],
                [Paragraph(f"联系电话：{_phone(m.phone, unmasked)}", s["big"])],
                [Paragraph(f"所在党组织：{e(m.org.name)}", s["base"])],
                [Paragraph(f"片区：{e(zone_names)}", s["base"])],
                [Paragraph(f"民情服务热线：{e(hotlines)}", s["big"])],
                [Paragraph("有困难、有诉求、有建议，请随时联系您的联户党员或拨打民情服务热线。", s["small"])],
            ],
            colWidths=[174 * mm],
        )
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 1.5, RED),
                    ("LEFTPADDING", (0, 0), (-1, -1), 10),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        story += [
            box,
            Spacer(1, 8 * mm),
            Paragraph(f"联系户名单（共{len(card.households)}户）", s["heading"]),
        ]
        rows: list[list[object]] = [["序号", "片区 / 服务组", "住址", "户主", "最近走访"]]
        for n, h in enumerate(card.households, start=1):
            rows.append([
                str(n), Paragraph(e(f"{h.zone.name} {h.group.name}"), s["small"]), Paragraph(e(h.address), s["base"]),
                h.head_name, h.last_visited_on.isoformat() if h.last_visited_on else "未走访",
            ])  # fmt: skip
        story.append(_table(rows, [12 * mm, 40 * mm, 70 * mm, 24 * mm, 28 * mm]))
        story.append(Spacer(1, 4 * mm))
        story.append(Paragraph(f"打印日期：{day:%Y年%m月%d日}", s["small"]))
    if not story:
        story.append(Paragraph("没有联户党员", s["base"]))
    doc.build(story)
    return out.getvalue()


def render_household(
    household: Household, visits: list[Visit], *, unmasked: bool = False, today: dt.date | None = None
) -> bytes:
    """The household file: the household, its residents with their tags, the liaison and recent visits."""
    s = _styles()
    out = BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm,
        title=f"住户档案 {household.code}", author="先锋智慧党建",
    )  # fmt: skip
    labels = dict(VulnerableTag.choices)
    h = household
    day = today or dt.date.today()  # noqa: DTZ011
    liaison = h.liaison
    info = [
        ["户编号", h.code, "片区 / 服务组", Paragraph(e(f"{h.zone.name} {h.group.name}"), s["base"])],
        ["住址", Paragraph(e(h.address), s["base"]), "户主", h.head_name],
        ["联系电话", _phone(h.phone, unmasked), "状态", "在册" if h.is_active else "已迁出"],
        [
            "联户党员",
            liaison.name if liaison else "未落实",
            "党员电话",
            _phone(liaison.phone, unmasked) if liaison else "—",
        ],
        [
            "民情服务热线",
            h.zone.hotline or "—",
            "最近走访",
            h.last_visited_on.isoformat() if h.last_visited_on else "未走访",
        ],
    ]
    story: list[object] = [
        Paragraph("住户档案", s["title"]),
        Spacer(1, 4 * mm),
        _table(info, [26 * mm, 60 * mm, 28 * mm, 60 * mm], header=False),
        Paragraph("家庭成员", s["heading"]),
    ]
    rows: list[list[object]] = [["姓名", "与户主关系", "出生年份", "联系电话", "关爱标签"]]
    for r in h.residents.all():
        rows.append([
            r.name, r.relation, str(r.birth_year or "—"), _phone(r.phone, unmasked),
            Paragraph("、".join(labels.get(t, t) for t in r.tag_codes) or "—", s["base"]),
        ])  # fmt: skip
    if len(rows) == 1:
        rows.append(["—", "", "", "", ""])
    story.append(_table(rows, [28 * mm, 26 * mm, 22 * mm, 34 * mm, 64 * mm]))
    story.append(Paragraph("走访记录（民情日志）", s["heading"]))
    vrows: list[list[object]] = [["日期", "方式", "走访党员", "走访情况", "群众诉求"]]
    for v in visits:
        vrows.append([
            v.visited_on.isoformat(), v.get_kind_display(), v.liaison.name if v.liaison else "—",
            Paragraph(e(v.content), s["small"]), Paragraph(e(v.needs or "—"), s["small"]),
        ])  # fmt: skip
    if len(vrows) == 1:
        vrows.append(["—", "", "", "还没有走访记录", ""])
    story.append(_table(vrows, [22 * mm, 20 * mm, 20 * mm, 66 * mm, 46 * mm]))
    story.append(Spacer(1, 4 * mm))
    story.append(KeepTogether([Paragraph(f"打印日期：{day:%Y年%m月%d日}", s["small"])]))
    doc.build(story)
    return out.getvalue()
