"""The yearly party statistics report of a scope (党内统计年报): Excel and PDF, built as a background job.

Every figure is read from the same selectors the pages use, for the user's scope (or one subtree of
it): members at the end of the year (from the registration periods) and their structure today, the
year's flows (admissions, full memberships, transfers), organizations by type, coverage of the "two new"
organizations at the year's end by park type, dues collection month by month, and the routine meetings
held. The job reports its progress section by section and keeps both files for download.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from apps.core.jobs import new_file_path, register, report_progress, save_result
from apps.core.models import Job, JobStatus

SECTIONS = 6


@dataclass
class Section:
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{float(value) * 100:.1f}%"


def build_sections(user: Any, year: int, org: Any, progress: Any = None) -> list[Section]:
    from apps.coverage.choices import ParkType
    from apps.coverage.selectors import coverage_breakdown, coverage_rates, units_for
    from apps.dues.selectors import collection
    from apps.meetings.models import Meeting, MeetingType
    from apps.members.choices import AgeBand, Education, MemberCategory, MemberStatus
    from apps.members.models import MemberOrgPeriod
    from apps.members.selectors import member_breakdown, members_for
    from apps.orgs.choices import OrgType
    from apps.orgs.selectors import orgs_for
    from apps.transfers.models import Transfer

    today = timezone.localdate()
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    path = org.path if org is not None else None
    members = members_for(user)
    if path:
        members = members.filter(org_path__startswith=path)
    sections: list[Section] = []

    def step(section: Section) -> None:
        sections.append(section)
        if progress:
            progress(len(sections), section.title)

    # 1. Members: the year's end from registration periods, the year's flows.
    periods = MemberOrgPeriod.objects.filter(member__in=members.values("pk"))
    at_start = periods.filter(start__lte=start).filter(Q(end__isnull=True) | Q(end__gt=start)).count()
    at_end = periods.filter(start__lte=end).filter(Q(end__isnull=True) | Q(end__gt=end)).count()
    admitted = members.filter(admission_date__gte=start, admission_date__lte=end).count()
    full = members.filter(full_membership_date__gte=start, full_membership_date__lte=end).count()
    step(
        Section(
            "一、党员总量与变动",
            ["项目", "人数"],
            [
                ["年初党员数", at_start],
                [f"{end:%m月%d日}党员数", at_end],
                ["本年发展党员（接收预备党员）", admitted],
                ["本年预备党员转正", full],
            ],
            "年初、年末人数按党员组织关系的起止日期统计。",
        )
    )
    # 2. Structure today.
    b = member_breakdown(user, path)
    rows = [["党员总数", "", b["total"]]]
    for title, key, choices in (
        ("党员状态", "by_status", MemberStatus.choices),
        ("性别", "by_gender", [("male", "男"), ("female", "女")]),
        ("年龄", "by_age_band", AgeBand.choices),
        ("学历", "by_education", Education.choices),
        ("类别", "by_category", MemberCategory.choices),
    ):
        rows += [[title, label, b[key].get(value, 0)] for value, label in choices if b[key].get(value, 0)]
    step(
        Section(
            "二、党员结构（统计时）",
            ["分类", "项目", "人数"],
            rows,
            f"统计时间：{timezone.localtime():%Y-%m-%d %H:%M}",
        )
    )
    # 3. Organizations and transfers.
    orgs = orgs_for(user).filter(is_active=True)
    if path:
        orgs = orgs.filter(path__startswith=path)
    by_type = dict(orgs.values_list("org_type").annotate(n=Count("id")).order_by())
    transfers = Transfer.objects.filter(completed_on__gte=start, completed_on__lte=end, state="completed")
    if path:
        transfers_in = transfers.filter(to_path__startswith=path).exclude(from_path__startswith=path).count()
        transfers_out = transfers.filter(from_path__startswith=path).exclude(to_path__startswith=path).count()
    else:
        transfers_in = transfers.filter(kind="in").count()
        transfers_out = transfers.filter(kind="out").count()
    rows = [[label, by_type.get(value, 0)] for value, label in OrgType.choices if by_type.get(value)]
    rows += [["本年组织关系转入", transfers_in], ["本年组织关系转出", transfers_out]]
    step(Section("三、党组织与组织关系转接", ["项目", "数量"], rows))
    # 4. Coverage at the year's end.
    units = units_for(user)
    if path:
        units = units.filter(org_path__startswith=path)
    on = end if end < today else None
    total = coverage_rates(None, on, units=units)
    rows = []
    for row in coverage_breakdown("park_type", units=units, on=on):
        f = row.figures
        label = ParkType(row.key).label if row.key else "不在园区"
        rows.append(
            [
                label,
                f["total"],
                f["own"],
                f["joint"],
                f["instructor"],
                f["uncovered"],
                _pct(f["org_rate"]),
                _pct(f["work_rate"]),
            ]
        )
    rows.append(
        [
            "合计",
            total["total"],
            total["own"],
            total["joint"],
            total["instructor"],
            total["uncovered"],
            _pct(total["org_rate"]),
            _pct(total["work_rate"]),
        ]
    )
    step(
        Section(
            "四、两新组织党建覆盖（年末）",
            ["园区类型", "单位", "单建", "联建", "指导员覆盖", "未覆盖", "组织覆盖率", "工作覆盖率"],
            rows,
        )
    )
    # 5. Dues month by month.
    rows = []
    for month in range(1, (end.month if end.year == year else 12) + 1):
        c = collection(user, month=dt.date(year, month, 1), org=org)
        rows.append(
            [
                f"{month}月",
                c["bills"],
                c["paid"],
                str(c["due_amount"]),
                str(c["paid_amount"]),
                _pct(c["rate"]),
            ]
        )
    step(
        Section(
            "五、党费收缴",
            ["月份", "应缴笔数", "已缴笔数", "应缴金额（元）", "实缴金额（元）", "收缴率"],
            rows,
        )
    )
    # 6. Routine meetings held.
    meetings = Meeting.objects.filter(status="held", date__gte=start, date__lte=end).filter(
        org_path__in=orgs.filter(org_type__in=["branch", "joint_branch", "temp_branch"]).values("path")
    )
    held = dict(meetings.values_list("meeting_type").annotate(n=Count("id")).order_by())
    rows = [[label, held.get(value, 0)] for value, label in MeetingType.choices]
    step(Section("六、组织生活开展情况", ["活动", "次数"], rows))
    return sections


def write_excel(sections: list[Section], path: Path, title: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "年报"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    for section in sections:
        ws.append([])
        ws.append([section.title])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        ws.append(section.headers)
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="B3121F")
            cell.alignment = Alignment(horizontal="center")
        for row in section.rows:
            ws.append(row)
        if section.note:
            ws.append([section.note])
    for column, width in zip("ABCDEFGH", (26, 14, 12, 14, 14, 12, 14, 14), strict=True):
        ws.column_dimensions[column].width = width
    wb.save(path)


def write_pdf(sections: list[Section], path: Path, title: str) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from apps.core.pdf import cjk_font

    font = cjk_font()
    heading = ParagraphStyle("h", fontName=font, fontSize=16, leading=22, alignment=1, spaceAfter=6 * mm)
    sub = ParagraphStyle("s", fontName=font, fontSize=12, leading=18, spaceBefore=4 * mm, spaceAfter=2 * mm)
    small = ParagraphStyle("n", fontName=font, fontSize=8, leading=11, textColor=colors.grey)
    story: list[Any] = [Paragraph(title, heading)]
    for section in sections:
        story.append(Paragraph(section.title, sub))
        table = Table([section.headers, *[[str(c) for c in row] for row in section.rows]], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), font),
                    ("FONTSIZE", (0, 0), (-1, -1), 9),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#B3121F")),
                    ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ]
            )
        )
        story.append(table)
        if section.note:
            story.append(Spacer(1, 2 * mm))
            story.append(Paragraph(section.note, small))
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, title=title)
    doc.build(story)


def start_report(*, user: Any, year: int, org: Any, ip_address: str | None) -> Job:
    """Queues the yearly report of the user's scope (or of `org`, already checked to be in it)."""
    from apps.core.jobs import start_job
    from apps.core.scoping import get_scope

    scope = get_scope(user)
    label = "、".join(g.org_name for g in scope.grants[:3]) or "全区"
    params = {"year": year, "org": org.pk if org is not None else None, "scope_label": label}
    return start_job(user=user, kind="reports.yearly", params=params, ip_address=ip_address)


@register("reports.yearly", "run")
def run_yearly(job: Job) -> str:
    from apps.orgs.selectors import access_org

    user = job.created_by
    year = int(job.params["year"])
    org = access_org(user, int(job.params["org"])) if job.params.get("org") else None
    scope_name = org.name if org is not None else job.params.get("scope_label") or "全区"
    title = f"{scope_name}{year}年党内统计报表"
    report_progress(job, 0, SECTIONS + 2, "正在统计")
    sections = build_sections(
        user, year, org, lambda done, name: report_progress(job, done, message=f"已完成{name}")
    )
    xlsx, pdf = new_file_path(".xlsx"), new_file_path(".pdf")
    write_excel(sections, Path(xlsx), title)
    report_progress(job, SECTIONS + 1, message="已生成Excel")
    write_pdf(sections, Path(pdf), title)
    report_progress(job, SECTIONS + 2, message="已生成PDF")
    save_result(
        job,
        output_file=xlsx,
        result={
            "filename": f"{title}.xlsx",
            "files": {"xlsx": xlsx, "pdf": pdf},
            "filenames": {"xlsx": f"{title}.xlsx", "pdf": f"{title}.pdf"},
            "title": title,
        },
        message="已完成",
    )
    return JobStatus.DONE
