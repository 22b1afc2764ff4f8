"""Excel in and out for the units: the import template, an all-or-nothing import, and the list export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from apps.core.errors import DomainError
from apps.core.excel import Sheet, to_date, to_text, write_rows
from apps.core.scoping import Perm, Role
from apps.coverage.choices import CoverageStatus, FormationMode, Sector, SizeClass, UnitKind
from apps.coverage.models import CoverageRecord, Park, Unit
from apps.coverage.rules import normalize_credit_code
from apps.coverage.services import Lookups, clean_status, clean_unit
from apps.orgs.models import Organization

REQUIRED = ["类别", "单位名称", "统一社会信用代码", "行业门类", "规模", "成立日期"]
OPTIONAL = [
    "规模以上",
    "从业人员",
    "党员人数",
    "所在园区",
    "属地党组织",
    "党建状态",
    "覆盖的党组织",
    "组建方式",
    "党建指导员",
    "地址",
]
HEADERS = [
    *REQUIRED[:5],
    "规模以上",
    "从业人员",
    "党员人数",
    "所在园区",
    "属地党组织",
    "成立日期",
    *OPTIONAL[5:],
]
# Which column a service's field error belongs to.
FIELD_COLUMNS = {
    "kind": "类别", "name": "单位名称", "credit_code": "统一社会信用代码", "sector": "行业门类", "size_class": "规模",
    "employees": "从业人员", "party_members": "党员人数", "park": "所在园区", "org": "属地党组织",
    "established_on": "成立日期", "status": "党建状态", "covering_org": "覆盖的党组织", "formation_mode": "组建方式",
    "instructor": "党建指导员",
}  # fmt: skip
MAX_ROWS = 50_000


def template_workbook(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "两新组织"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B3121F")
    ws.append(
        ["企业", "杭州某某电器有限公司", "91330101MA2B3C4D5E", "C", "中型", "是", 320, 12, "开发区高新技术产业园",
         "", "2012-05-18", "单建", "杭州某某电器有限公司党支部", "同步孵化", "", "示例行，导入前请删除"]
    )  # fmt: skip
    lists = {
        "A": [k.label for k in UnitKind],
        "E": [s.label for s in SizeClass],
        "F": ["是", "否"],
        "L": [s.label for s in CoverageStatus],
        "N": [m.label for m in FormationMode],
    }
    for column, values in lists.items():
        validation = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        ws.add_data_validation(validation)
        validation.add(f"{column}2:{column}{MAX_ROWS + 1}")
    notes = wb.create_sheet("填写说明")
    for line in (
        "带*的列必填：类别、单位名称、统一社会信用代码、行业门类、规模、成立日期。",
        "统一社会信用代码18位，系统按国家标准GB 32100校验。",
        "行业门类填字母（A—T）或门类名称，如“C”或“制造业”。",
        "所在园区填园区全称；不在园区的单位填写属地党组织（街道党工委等）全称。",
        "党建状态：单建、联建须填写覆盖的党组织全称；党建指导员覆盖须填写指导员的登录账号。",
        "有任何一行错误时不导入任何数据，请按提示修改后重新上传。",
        *[f"{s.value} {s.label}" for s in Sector],
    ):
        notes.append([line])
    wb.save(path)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, reason)


def _choice(value: Any, choices: Any, column: str) -> str:
    text = to_text(value)
    for member in choices:
        if text in (member.value, member.label) or (
            column == "行业门类"
            and text[:1].upper() == member.value
            and (len(text) == 1 or member.label in text)
        ):
            return str(member.value)
    if not text:
        return ""
    raise DomainError("coverage.choice", f"“{text}”不是可选的值", field=column)


def import_units(actor: Any, path: Path) -> ImportResult:
    """Checks every row; writes all of them in one transaction only when none has an error."""
    sheet = Sheet(path, required=REQUIRED, optional=OPTIONAL)
    if sheet.estimated_rows > MAX_ROWS:
        sheet.close()
        raise DomainError("excel.too_many_rows", f"一次最多导入{MAX_ROWS}行，请分批导入", field="file")
    rows = list(sheet.rows())
    sheet.close()
    result = ImportResult(rows=len(rows))
    if not rows:
        raise DomainError("excel.no_rows", "文件中没有数据行", field="file")
    lookups, parks_by_name, orgs_by_name, users_by_name = _lookups(actor, rows)
    seen: dict[str, int] = {}
    clean_rows = []
    for number, row in rows:
        try:
            values = {
                "kind": _choice(row.get("类别"), UnitKind, "类别"),
                "name": to_text(row.get("单位名称")),
                "credit_code": to_text(row.get("统一社会信用代码")),
                "sector": _choice(row.get("行业门类"), Sector, "行业门类"),
                "size_class": _choice(row.get("规模"), SizeClass, "规模"),
                "above_size": to_text(row.get("规模以上")) in ("是", "1", "Y", "y"),
                "employees": to_text(row.get("从业人员")) or 0,
                "party_members": to_text(row.get("党员人数")) or 0,
                "address": to_text(row.get("地址")),
                "status": _choice(row.get("党建状态"), CoverageStatus, "党建状态") or CoverageStatus.NONE,
                "formation_mode": _choice(row.get("组建方式"), FormationMode, "组建方式"),
            }
            values["established_on"] = _cell_date(row.get("成立日期"))
            values["park"] = _resolve(row.get("所在园区"), parks_by_name, "所在园区", "园区")
            values["org"] = _resolve(row.get("属地党组织"), orgs_by_name, "属地党组织", "党组织")
            values["covering_org"] = _resolve(row.get("覆盖的党组织"), orgs_by_name, "覆盖的党组织", "党组织")
            username = to_text(row.get("党建指导员"))
            values["instructor"] = users_by_name.get(username, "") if username else ""
            if username and not values["instructor"]:
                raise DomainError(
                    "coverage.instructor_unknown", f"没有账号为“{username}”的党建指导员", field="党建指导员"
                )
            unit = clean_unit(actor, values, lookups=lookups)
            status = clean_status(actor, values, lookups)
        except DomainError as exc:
            column = FIELD_COLUMNS.get(exc.field or "", exc.field or "")
            result.errors.append((number, column, exc.message))
            continue
        if unit["credit_code"] in seen:
            result.errors.append((number, "统一社会信用代码", f"与第{seen[unit['credit_code']]}行重复"))
            continue
        seen[unit["credit_code"]] = number
        clean_rows.append((unit, status))
    if result.errors:
        return result
    with transaction.atomic():
        units = Unit.objects.bulk_create([Unit(**u, **s) for u, s in clean_rows], batch_size=2000)
        CoverageRecord.objects.bulk_create(
            [
                CoverageRecord(
                    unit=unit,
                    status=unit.status,
                    covering_org=unit.covering_org,
                    formation_mode=unit.formation_mode,
                    valid_from=unit.established_on,
                    note="Excel导入",
                    recorded_by_id=getattr(actor, "pk", None),
                )
                for unit in units
            ],
            batch_size=2000,
        )
    result.created = len(units)
    return result


def _cell_date(value: Any) -> dt.date | None:
    try:
        return to_date(value)
    except ValueError:
        raise DomainError(
            "coverage.date_invalid", "日期格式不正确（例如2024-03-01）", field="成立日期"
        ) from None


def _resolve(value: Any, by_name: dict[str, list[Any]], column: str, noun: str) -> Any:
    name = to_text(value)
    if not name:
        return ""
    found = by_name.get(name, [])
    if not found:
        raise DomainError("coverage.name_unknown", f"您的管理范围内没有名为“{name}”的{noun}", field=column)
    if len(found) > 1:
        raise DomainError(
            "coverage.name_ambiguous", f"名为“{name}”的{noun}不止一个，请在页面上逐个登记", field=column
        )
    return found[0].pk


def _lookups(
    actor: Any, rows: list[tuple[int, dict[str, Any]]]
) -> tuple[Lookups, dict[str, list[Park]], dict[str, list[Organization]], dict[str, int]]:
    """Everything the rows name, fetched once: parks, organizations and instructors in scope, and the
    credit codes already registered."""
    from apps.accounts.models import User
    from apps.coverage.selectors import parks_for
    from apps.orgs.selectors import orgs_for

    def names(*columns: str) -> set[str]:
        return {to_text(r.get(c)) for _n, r in rows for c in columns if to_text(r.get(c))}

    parks = list(
        parks_for(actor, Perm.COVERAGE_CHANGE).select_related("org").filter(name__in=names("所在园区"))
    )
    orgs = list(orgs_for(actor, Perm.COVERAGE_CHANGE).filter(name__in=names("属地党组织", "覆盖的党组织")))
    users = list(
        User.objects.filter(
            is_active=True, username__in=names("党建指导员"), grants__role=Role.INSTRUCTOR
        ).distinct()
    )
    codes = {normalize_credit_code(to_text(r.get("统一社会信用代码"))) for _n, r in rows}
    lookups = Lookups(
        parks={p.pk: p for p in parks},
        orgs={o.pk: o for o in orgs},
        users={u.pk: u for u in users},
        taken_codes=set(Unit.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True)),
    )
    parks_by_name: dict[str, list[Park]] = {}
    for p in parks:
        parks_by_name.setdefault(p.name, []).append(p)
    orgs_by_name: dict[str, list[Organization]] = {}
    for o in orgs:
        orgs_by_name.setdefault(o.name, []).append(o)
    return lookups, parks_by_name, orgs_by_name, {u.username: u.pk for u in users}


def export_units(units: Any, path: Path) -> int:
    rows = (
        [
            u.get_kind_display(),
            u.name,
            u.credit_code,
            f"{u.sector} {u.get_sector_display()}",
            u.get_size_class_display(),
            "是" if u.above_size else "否",
            u.employees,
            u.party_members,
            u.park.name if u.park else "",
            u.org.name,
            u.established_on,
            u.get_status_display(),
            u.covering_org.name if u.covering_org else "",
            u.get_formation_mode_display() if u.formation_mode else "",
            u.instructor.username if u.instructor else "",
            u.address,
        ]
        for u in units.select_related("park", "org", "covering_org", "instructor").iterator(chunk_size=2000)
    )
    return write_rows(
        path,
        title="两新组织",
        headers=HEADERS,
        rows=rows,
        widths=[8, 30, 22, 24, 6, 8, 8, 8, 24, 24, 12, 12, 28, 10, 12, 30],
    )


PARK_HEADERS = ["园区名称", "类型", "负责党组织", "地址"]


def import_parks(actor: Any, path: Path) -> ImportResult:
    """Parks from a workbook: every row checked, all written in one transaction or none."""
    from apps.coverage.choices import ParkType
    from apps.coverage.services import park_save
    from apps.orgs.selectors import orgs_for

    sheet = Sheet(path, required=PARK_HEADERS[:3], optional=PARK_HEADERS[3:])
    rows = list(sheet.rows())
    sheet.close()
    if not rows:
        raise DomainError("excel.no_rows", "文件中没有数据行", field="file")
    result = ImportResult(rows=len(rows))
    names = {to_text(r.get("负责党组织")) for _n, r in rows}
    orgs: dict[str, list[Organization]] = {}
    for org in orgs_for(actor, Perm.COVERAGE_CHANGE).filter(name__in=names):
        orgs.setdefault(org.name, []).append(org)
    seen: dict[str, int] = {}
    clean = []
    for number, row in rows:
        name = to_text(row.get("园区名称"))
        try:
            park_type = _choice(row.get("类型"), ParkType, "类型")
            if not park_type:
                raise DomainError("coverage.park_type", "请填写类型", field="类型")
            org_id = _resolve(row.get("负责党组织"), orgs, "负责党组织", "党组织")
            if not org_id:
                raise DomainError("coverage.org_required", "请填写负责党组织", field="负责党组织")
            if not name:
                raise DomainError("coverage.name_required", "请填写园区名称", field="园区名称")
            if name in seen:
                raise DomainError("coverage.park_repeated", f"与第{seen[name]}行重复", field="园区名称")
            if Park.objects.filter(name=name).exists():
                raise DomainError("coverage.park_exists", f"已有名为“{name}”的园区", field="园区名称")
        except DomainError as exc:
            result.errors.append((number, exc.field or "", exc.message))
            continue
        seen[name] = number
        clean.append(
            {"name": name, "park_type": park_type, "org": org_id, "address": to_text(row.get("地址"))}
        )
    if result.errors:
        return result
    with transaction.atomic():
        for values in clean:
            park_save(actor=actor, values=values)
    result.created = len(clean)
    return result


def export_parks(parks: Any, rates: dict[Any, Any], path: Path) -> int:
    rows = (
        [p.name, p.get_park_type_display(), p.org.name, p.address, *(
            [rates[p.pk].figures["total"], float(rates[p.pk].figures["org_rate"]), float(rates[p.pk].figures["work_rate"])]
            if p.pk in rates else [0, 0.0, 0.0])]
        for p in parks
    )  # fmt: skip
    return write_rows(
        path,
        title="园区",
        headers=[*PARK_HEADERS, "单位数", "组织覆盖率", "工作覆盖率"],
        rows=rows,
        widths=[28, 12, 28, 30, 10, 12, 12],
    )
