"""The printable papers of mediation: the agreement (人民调解协议书), the bulletin (通报) as PDF and
Excel, and the ledger (工作台账) as Excel. User text goes into ReportLab paragraphs escaped, so markup
typed into a form prints as text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from apps.core.excel import safe_cell
from apps.core.pdf import cjk_font
from apps.mediation.models import Case, Institution

RED = "B3121F"


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def agreement_pdf(case: Case) -> bytes:
    """人民调解协议书: parties, the dispute, the agreed terms, how they are performed, signatures."""
    font = cjk_font()
    title = ParagraphStyle("t", fontName=font, fontSize=18, leading=26, alignment=1, spaceAfter=2 * mm)
    number = ParagraphStyle("n", fontName=font, fontSize=10, leading=14, alignment=2, spaceAfter=5 * mm)
    head = ParagraphStyle("h", fontName=font, fontSize=12, leading=18, spaceBefore=3 * mm)
    body = ParagraphStyle("b", fontName=font, fontSize=11, leading=19, firstLineIndent=22)
    story: list[Any] = [_p("人民调解协议书", title), _p(case.number or case.receipt, number)]
    for party in case.parties.all():
        line = f"{party.get_role_display()}：{party.name}"
        if party.address:
            line += f"，住址：{party.address}"
        story.append(_p(line, body))
    story += [
        _p("纠纷主要事实、争议事项：", head),
        _p(f"{case.get_dispute_type_display()}。{case.facts}", body),
        _p("经调解，自愿达成如下协议：", head),
        _p(case.agreement, body),
        _p("履行方式、时限：", head),
        _p(case.performance or "按上述协议约定履行。", body),
        _p(
            "本协议一式三份，当事人、人民调解委员会各持一份。本协议经双方当事人签名（盖章）、调解员签名并加盖"
            "调解组织印章后生效，具有法律约束力。当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认。",
            body,
        ),
        Spacer(1, 10 * mm),
    ]
    signatures = [
        ["当事人（签名）：", "当事人（签名）："],
        [
            f"调解员：{case.mediator.name if case.mediator else ''}",
            f"调解组织：{case.institution.name}（盖章）",
        ],
        ["", f"{case.closed_on or dt.date.today():%Y年%m月%d日}"],  # noqa: DTZ011 — a printed date
    ]
    table = Table(signatures, colWidths=[80 * mm, 90 * mm], rowHeights=14 * mm)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 11)]))
    story.append(table)
    out = BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        title=f"人民调解协议书 {case.number}",
    ).build(story)
    return out.getvalue()


HEADERS = ["调解机构", "收案", "受理", "不予受理", "调解结案", "调解成功", "调解率", "调解成功率", "司法确认", "平均响应（工作日）", "超期未响应", "在办"]  # fmt: skip


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


RATE_COLUMNS = (6, 7)  # 调解率, 调解成功率: fractions, shown as percentages


def bulletin_rows(
    per_institution: list[tuple[Institution, dict[str, Any]]], total: dict[str, Any]
) -> list[list[Any]]:
    def row(name: str, f: dict[str, Any]) -> list[Any]:
        avg = f["average_response_days"]
        return [
            name, f["received"], f["accepted"], f["rejected"], f["mediated"], f["successful"], f["mediation_rate"],
            f["success_rate"], f["judicially_confirmed"], avg, f["late"], f["open"],
        ]  # fmt: skip

    return [row(inst.name, f) for inst, f in per_institution] + [row("合计", total)]


def bulletin_title(start: dt.date, end: dt.date) -> str:
    return f"在线矛盾纠纷多元化解工作通报（{start:%Y年%m月%d日}至{end:%Y年%m月%d日}）"


def bulletin_notes(total: dict[str, Any], late_names: list[str]) -> list[str]:
    notes = [
        f"本期共收案 {total['received']} 件，受理 {total['accepted']} 件，调解结案 {total['mediated']} 件，"
        f"其中调解成功 {total['successful']} 件；调解率 {_pct(total['mediation_rate'])}，调解成功率 "
        f"{_pct(total['success_rate'])}；申请司法确认并获确认 {total['judicially_confirmed']} 件。",
        "口径：受理 = 收案中已受理的案件；调解结案 = 已受理且调解成功或调解不成结案的案件；调解率 = 调解结案 ÷ 受理；"
        "调解成功率 = 调解成功 ÷ 调解结案；按收案日期统计。",
    ]
    if late_names:
        notes.append("未在规定时限内响应（受理或不予受理）的机构：" + "、".join(late_names) + "。")
    else:
        notes.append("本期各机构均在规定时限内响应。")
    return notes


def bulletin_pdf(title: str, rows: list[list[Any]], notes: list[str]) -> bytes:
    font = cjk_font()
    heading = ParagraphStyle("h", fontName=font, fontSize=15, leading=22, alignment=1, spaceAfter=5 * mm)
    text = ParagraphStyle("p", fontName=font, fontSize=10, leading=16, spaceBefore=2 * mm)

    def shown(index: int, value: Any) -> str:
        if value is None:
            return "—"
        return _pct(value) if index in RATE_COLUMNS else str(value)

    table = Table([HEADERS, *[[shown(i, c) for i, c in enumerate(r)] for r in rows]], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(f"#{RED}")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F3F3F3")),
            ]
        )
    )
    story: list[Any] = [_p(title, heading), table] + [_p(n, text) for n in notes]
    out = BytesIO()
    SimpleDocTemplate(
        out, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, title=title
    ).build(story)
    return out.getvalue()


def _header(ws: Any, headers: list[str]) -> None:
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=RED)


def bulletin_xlsx(title: str, rows: list[list[Any]], notes: list[str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "通报"
    ws.append([title])
    ws.append([])
    header_row = ws.max_row + 1
    ws.append(HEADERS)
    for cell in ws[header_row]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=RED)
    for r in rows:
        ws.append([safe_cell("—" if v is None else v) for v in r])
        for index in RATE_COLUMNS:
            ws.cell(row=ws.max_row, column=index + 1).number_format = "0.0%"
    ws.append([])
    for n in notes:
        ws.append([n])
    ws.column_dimensions["A"].width = 30
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


LEDGER_HEADERS = ["案号", "回执码", "收案日期", "来源", "调解机构", "纠纷类型", "申请人", "被申请人", "涉及金额（元）", "状态", "受理日期", "响应用时（工作日）", "调解员", "调解次数", "结案日期", "司法确认"]  # fmt: skip


def ledger_xlsx(cases: Any) -> bytes:
    """The ledger (工作台账): one row per case; parties' names only, no phones."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("工作台账")
    ws.append(LEDGER_HEADERS)
    for c in cases:
        parties = {p.role: p.name for p in c.parties.all()}
        judicial = getattr(c, "judicial", None) if hasattr(c, "judicial") else None
        ws.append(
            [
                safe_cell(v)
                for v in (
                c.number, c.receipt, c.received_on, c.get_source_display(), c.institution.name, c.get_dispute_type_display(),
                parties.get("applicant", c.applicant_name), parties.get("respondent", ""), c.amount,
                c.get_state_display(), c.accepted_on, c.response_days, c.mediator.name if c.mediator else "", c.session_count,
                c.closed_on, judicial.get_state_display() if judicial else "",
                )
            ]
        )  # fmt: skip
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 50_000  # cases in one ledger export; more asks for a narrower period


@dataclass
class BulletinReport:
    start: dt.date
    end: dt.date
    title: str
    per_institution: list[tuple[Institution, dict[str, Any]]]
    total: dict[str, Any]
    late_names: list[str]
    notes: list[str]

    def pdf(self) -> bytes:
        return bulletin_pdf(self.title, bulletin_rows(self.per_institution, self.total), self.notes)

    def xlsx(self) -> bytes:
        return bulletin_xlsx(self.title, bulletin_rows(self.per_institution, self.total), self.notes)

    @property
    def filename(self) -> str:
        return f"mediation-bulletin-{self.start:%Y%m%d}-{self.end:%Y%m%d}"


def bulletin_report(
    user: Any, start: dt.date, end: dt.date, chosen: Institution | None = None
) -> BulletinReport:
    """The bulletin over what the user may see (or one of their institutions), with its table and notes —
    the same for the page, its downloads and the API."""
    from apps.mediation import selectors
    from apps.mediation.choices import InstitutionKind

    institutions = selectors.institutions_for(user).exclude(kind=InstitutionKind.CENTER)
    shown = institutions.filter(pk=chosen.pk) if chosen else institutions
    total = selectors.scoped_bulletin(user, start, end, chosen)
    names = dict(Institution.objects.filter(pk__in=total["overdue_institutions"]).values_list("pk", "name"))
    late_names = [names[pk] for pk in total["overdue_institutions"] if pk in names]
    return BulletinReport(
        start=start, end=end, title=bulletin_title(start, end), per_institution=selectors.bulletin_by_institution(start, end, shown),
        total=total, late_names=late_names, notes=bulletin_notes(total, late_names),
    )  # fmt: skip


def ledger_export(user: Any, cases: Any, limit: int) -> bytes:
    """The ledger of a filtered case list as Excel (names only, no phones), the export written to the
    access log. The caller has checked the count against `limit`."""
    from django.db.models import Count, Prefetch

    from apps.core.audit import log_access
    from apps.core.models import AccessAction
    from apps.mediation.models import Party

    rows = (
        cases.select_related("judicial")
        .prefetch_related(Prefetch("parties", queryset=Party.objects.only("case_id", "role", "name")))
        .annotate(session_count=Count("sessions", distinct=True))
    )
    data = ledger_xlsx(rows[:limit])
    log_access(
        user=user,
        action=AccessAction.EXPORT_MASKED,
        target_type="mediation.ledger",
        target_label=f"调解工作台账 {min(cases.count(), limit)} 件",
    )
    return data
