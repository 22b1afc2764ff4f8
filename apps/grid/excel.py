"""Excel in and out for the grid: one workbook with three sheets (片区, 服务组, 住户), checked row by
row and written all or nothing; the household and liaison lists as workbooks."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from apps.core.audit import log_access
from apps.core.errors import DomainError
from apps.core.excel import to_text, write_rows
from apps.core.identity import normalize_phone
from apps.core.models import AccessAction
from apps.core.scoping import Perm
from apps.grid import selectors
from apps.grid.models import Group, Household, Resident, VulnerableTag, Zone
from apps.grid.services import clean_tags
from apps.members.choices import INACTIVE_CATEGORIES
from apps.members.models import Member

ZONE_SHEET, GROUP_SHEET, HOUSEHOLD_SHEET = "片区", "服务组", "住户"
ZONE_COLUMNS = (["片区编号", "片区名称", "所属党组织"], ["民情服务热线", "片长账号", "备注"])
GROUP_COLUMNS = (["片区编号", "组编号", "组名称"], ["组长"])
HOUSEHOLD_COLUMNS = (
    ["片区编号", "组编号", "住址", "户主"],
    ["户编号", "联系电话", "联户党员", "关爱标签", "备注"],
)
MAX_ROWS = 50_000


@dataclass
class ImportResult:
    zones: int = 0
    groups: int = 0
    households: int = 0
    rows: int = 0
    errors: list[tuple[str, int, str, str]] = field(default_factory=list)  # (sheet, row, column, reason)

    @property
    def created(self) -> int:
        return self.zones + self.groups + self.households


def _header_fill(ws: Any) -> None:
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B3121F")


def template_workbook(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = ZONE_SHEET
    ws.append([*ZONE_COLUMNS[0], *ZONE_COLUMNS[1]])
    ws.append(["SS01", "上沙社区第一片", "上沙社区党委", "0571-86901234", "", "示例行，导入前请删除"])
    _header_fill(ws)
    ws = wb.create_sheet(GROUP_SHEET)
    ws.append([*GROUP_COLUMNS[0], *GROUP_COLUMNS[1]])
    ws.append(["SS01", "01", "1幢服务组", ""])
    _header_fill(ws)
    ws = wb.create_sheet(HOUSEHOLD_SHEET)
    ws.append([*HOUSEHOLD_COLUMNS[0], *HOUSEHOLD_COLUMNS[1]])
    ws.append(["SS01", "01", "上沙路1幢1单元101室", "王某某", "", "13800000000", "", "独居老人", ""])
    _header_fill(ws)
    notes = wb.create_sheet("填写说明")
    for line in (
        "一个文件包含三张表：片区、服务组、住户（表名不能改）；不需要的表可以只留表头。",
        "片区：片区编号、片区名称、所属党组织（社区或村党组织全称，须在您的管理范围内）必填；片长账号填平台登录账号，多个用顿号分隔。",
        "服务组：片区编号（本文件中的或系统中已有的片区）、组编号、组名称必填；组长填党员姓名。",
        "住户：片区编号、组编号、住址、户主必填；户编号留空时自动编号；联户党员填党员姓名（须在片区所属党组织或您的管理范围内，重名时请在页面上指定）。",
        "关爱标签可填：" + "、".join(VulnerableTag.labels) + "，多个用逗号分隔；标签记在户主名下。",
        "有任何一行错误时不导入任何数据，请按提示修改后重新上传。",
    ):
        notes.append([line])
    wb.save(path)


def _open(path: Path) -> Any:
    try:
        return load_workbook(filename=str(path), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise DomainError(
            "excel.unreadable", "无法读取该 Excel 文件，请确认文件未损坏、未加密", field="file"
        ) from exc


def _rows(wb: Any, title: str, columns: tuple[list[str], list[str]]) -> Iterator[tuple[int, dict[str, Any]]]:
    if title not in wb.sheetnames:
        return
    rows = wb[title].iter_rows(values_only=True)
    try:
        header = next(rows)
    except StopIteration:
        return
    index: dict[str, int] = {}
    for i, raw in enumerate(header):
        key = re.sub(r"[\s*＊]", "", str(raw or ""))
        if key and key not in index:
            index[key] = i
    missing = [h for h in columns[0] if h not in index]
    if missing:
        raise DomainError(
            "excel.missing_columns",
            f"“{title}”表缺少必需的列：{'、'.join(missing)}（请使用导入模板）",
            field="file",
        )
    known = [h for h in (*columns[0], *columns[1]) if h in index]
    for number, row in enumerate(rows, start=2):
        if row is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        yield number, {h: to_text(row[index[h]] if index[h] < len(row) else None) for h in known}


class _Errors:
    def __init__(self, result: ImportResult):
        self.result = result

    def add(self, sheet: str, row: int, column: str, reason: str) -> None:
        self.result.errors.append((sheet, row, column, reason))


def import_workbook(actor: Any, path: Path) -> ImportResult:
    """Checks every row of the three sheets; writes them in one transaction only when none is wrong."""
    from apps.accounts.models import User
    from apps.orgs.selectors import orgs_for

    wb = _open(path)
    try:
        zone_rows = list(_rows(wb, ZONE_SHEET, ZONE_COLUMNS))
        group_rows = list(_rows(wb, GROUP_SHEET, GROUP_COLUMNS))
        household_rows = list(_rows(wb, HOUSEHOLD_SHEET, HOUSEHOLD_COLUMNS))
        if not any(name in wb.sheetnames for name in (ZONE_SHEET, GROUP_SHEET, HOUSEHOLD_SHEET)):
            raise DomainError(
                "excel.no_sheets", "文件中没有“片区”“服务组”“住户”表（请使用导入模板）", field="file"
            )
    finally:
        wb.close()
    result = ImportResult(rows=len(zone_rows) + len(group_rows) + len(household_rows))
    if not result.rows:
        raise DomainError("excel.no_rows", "文件中没有数据行", field="file")
    if result.rows > MAX_ROWS:
        raise DomainError("excel.too_many_rows", f"一次最多导入{MAX_ROWS}行，请分批导入", field="file")
    errors = _Errors(result)

    # Everything the rows name, fetched once.
    org_names = {r.get("所属党组织", "") for _n, r in zone_rows}
    orgs: dict[str, list[Any]] = {}
    for org in orgs_for(actor, Perm.GRID_CHANGE).filter(name__in=org_names):
        orgs.setdefault(org.name, []).append(org)
    usernames = {u for _n, r in zone_rows for u in re.split(r"[、,，\s]+", r.get("片长账号", "")) if u}
    # Leaders are accounts the importer could pick on the zone form: grants within their grid scope.
    allowed = {u.pk for u in selectors.leader_candidates(actor)}
    users = {
        u.username: u for u in User.objects.filter(username__in=usernames, is_active=True, pk__in=allowed)
    }
    codes = {
        r.get("片区编号", "").upper() for rows in (zone_rows, group_rows, household_rows) for _n, r in rows
    }
    existing_codes = set(Zone.objects.filter(code__in=codes).values_list("code", flat=True))
    changeable = {z.code: z for z in selectors.zones_for(actor, Perm.GRID_CHANGE).filter(code__in=codes)}

    # 片区
    new_zones: dict[str, dict[str, Any]] = {}
    for number, row in zone_rows:
        code, name, org_name = (
            row.get("片区编号", "").upper(),
            row.get("片区名称", ""),
            row.get("所属党组织", ""),
        )
        problems = []
        if not code:
            problems.append(("片区编号", "请填写片区编号"))
        elif code in existing_codes:
            problems.append(("片区编号", f"片区编号{code}已存在"))
        elif code in new_zones:
            problems.append(("片区编号", f"与第{new_zones[code]['row']}行重复"))
        if not name:
            problems.append(("片区名称", "请填写片区名称"))
        found = orgs.get(org_name, [])
        if not org_name:
            problems.append(("所属党组织", "请填写所属党组织"))
        elif not found:
            problems.append(("所属党组织", f"您的管理范围内没有名为“{org_name}”的党组织"))
        elif len(found) > 1:
            problems.append(("所属党组织", f"名为“{org_name}”的党组织不止一个，请在页面上创建该片区"))
        leaders = []
        for username in (u for u in re.split(r"[、,，\s]+", row.get("片长账号", "")) if u):
            if username not in users:
                problems.append(("片长账号", f"“{username}”不是您管理范围内的网格长或管理员账号"))
            else:
                leaders.append(users[username])
        for column, reason in problems:
            errors.add(ZONE_SHEET, number, column, reason)
        if not problems:
            new_zones[code] = {"row": number, "name": name[:80], "org": found[0], "hotline": row.get("民情服务热线", "")[:30],
                               "note": row.get("备注", "")[:200], "leaders": leaders}  # fmt: skip

    def zone_path(code: str) -> str | None:
        if code in new_zones:
            return new_zones[code]["org"].path
        if code in changeable:
            return changeable[code].org_path
        return None

    # Members named as group leaders and liaisons: those under the zones' organizations or the actor's scope.
    member_names = {r.get("组长", "") for _n, r in group_rows} | {
        r.get("联户党员", "") for _n, r in household_rows
    }
    member_names.discard("")
    candidates: dict[str, list[Member]] = {}
    if member_names:
        pool = selectors.liaison_candidates(actor).filter(name__in=member_names)
        paths = {p for p in (zone_path(c) for c in codes) if p}
        extra = Member.objects.none()
        for root in paths:
            extra = extra | Member.objects.exclude(category__in=INACTIVE_CATEGORIES).filter(
                org_path__startswith=root, name__in=member_names
            )
        for m in (pool | extra).distinct().only("id", "name", "org_path"):
            candidates.setdefault(m.name, []).append(m)

    def member_for(name: str, code: str, sheet: str, number: int, column: str) -> Member | bool | None:
        if not name:
            return None
        prefix = zone_path(code) or ""
        found = [m for m in candidates.get(name, []) if m.org_path.startswith(prefix)] or candidates.get(
            name, []
        )
        if not found:
            errors.add(sheet, number, column, f"片区所属党组织及您的管理范围内没有名为“{name}”的党员")
            return False
        if len(found) > 1:
            errors.add(sheet, number, column, f"名为“{name}”的党员不止一位，请导入后在页面上指定")
            return False
        return found[0]

    # 服务组
    existing_groups = {
        (g.zone.code, g.code): g for g in Group.objects.filter(zone__code__in=codes).select_related("zone")
    }
    new_groups: dict[tuple[str, str], dict[str, Any]] = {}
    for number, row in group_rows:
        zone_code, code, name = row.get("片区编号", "").upper(), row.get("组编号", ""), row.get("组名称", "")
        bad = False
        if not zone_code:
            errors.add(GROUP_SHEET, number, "片区编号", "请填写片区编号")
            bad = True
        elif zone_path(zone_code) is None:
            errors.add(
                GROUP_SHEET, number, "片区编号", f"本文件和您的管理范围内都没有编号为{zone_code}的片区"
            )
            bad = True
        if not code:
            errors.add(GROUP_SHEET, number, "组编号", "请填写组编号")
            bad = True
        elif (zone_code, code) in existing_groups:
            errors.add(GROUP_SHEET, number, "组编号", f"片区{zone_code}已有编号为{code}的组")
            bad = True
        elif (zone_code, code) in new_groups:
            errors.add(GROUP_SHEET, number, "组编号", f"与第{new_groups[(zone_code, code)]['row']}行重复")
            bad = True
        if not name:
            errors.add(GROUP_SHEET, number, "组名称", "请填写组名称")
            bad = True
        leader = member_for(row.get("组长", ""), zone_code, GROUP_SHEET, number, "组长")
        if leader is False or bad:
            continue
        new_groups[(zone_code, code)] = {"row": number, "name": name[:80], "leader": leader}

    # 住户
    household_codes = {r.get("户编号", "").upper() for _n, r in household_rows if r.get("户编号")}
    taken = set(Household.objects.filter(code__in=household_codes).values_list("code", flat=True))
    seen_codes: dict[str, int] = {}
    new_households: list[dict[str, Any]] = []
    for number, row in household_rows:
        zone_code, group_code = row.get("片区编号", "").upper(), row.get("组编号", "")
        bad = False
        if zone_path(zone_code) is None:
            errors.add(HOUSEHOLD_SHEET, number, "片区编号",
                       f"本文件和您的管理范围内都没有编号为{zone_code}的片区" if zone_code else "请填写片区编号")  # fmt: skip
            bad = True
        elif (zone_code, group_code) not in new_groups and (zone_code, group_code) not in existing_groups:
            errors.add(HOUSEHOLD_SHEET, number, "组编号",
                       f"片区{zone_code}没有编号为{group_code}的组" if group_code else "请填写组编号")  # fmt: skip
            bad = True
        code = row.get("户编号", "").upper()
        if code and code in taken:
            errors.add(HOUSEHOLD_SHEET, number, "户编号", f"户编号{code}已存在")
            bad = True
        elif code and code in seen_codes:
            errors.add(HOUSEHOLD_SHEET, number, "户编号", f"与第{seen_codes[code]}行重复")
            bad = True
        if len(code) > 40:
            errors.add(HOUSEHOLD_SHEET, number, "户编号", "户编号不超过40个字符")
            bad = True
        for column in ("住址", "户主"):
            if not row.get(column):
                errors.add(HOUSEHOLD_SHEET, number, column, f"请填写{column}")
                bad = True
        try:
            phone = normalize_phone(row.get("联系电话", ""))
        except DomainError as exc:
            errors.add(HOUSEHOLD_SHEET, number, "联系电话", exc.message)
            bad = True
        try:
            tags = clean_tags(row.get("关爱标签", ""))
        except DomainError as exc:
            errors.add(HOUSEHOLD_SHEET, number, "关爱标签", exc.message)
            bad = True
        liaison = member_for(row.get("联户党员", ""), zone_code, HOUSEHOLD_SHEET, number, "联户党员")
        if bad or liaison is False:
            continue
        if code:
            seen_codes[code] = number
        new_households.append(
            {"zone": zone_code, "group": group_code, "code": code, "address": row["住址"][:160], "head_name": row["户主"][:50],
             "phone": phone, "liaison": liaison, "tags": tags, "note": row.get("备注", "")[:200]}
        )  # fmt: skip
    if result.errors:
        return result

    with transaction.atomic():
        zones: dict[str, Zone] = dict(changeable)
        for code, z in new_zones.items():
            zone = Zone.objects.create(code=code, name=z["name"], org=z["org"], org_path=z["org"].path,
                                       hotline=z["hotline"], note=z["note"])  # fmt: skip
            if z["leaders"]:
                zone.leaders.set(z["leaders"])
            zones[code] = zone
        groups = dict(existing_groups)
        created_groups = Group.objects.bulk_create(
            [
                Group(zone=zones[zc], code=gc, name=g["name"], leader=g["leader"])
                for (zc, gc), g in new_groups.items()
            ]
        )
        for group in created_groups:
            groups[(group.zone.code, group.code)] = group
        counters: dict[str, int] = {}
        rows = []
        for h in new_households:
            zone, group = zones[h["zone"]], groups[(h["zone"], h["group"])]
            code = h["code"]
            if not code:
                prefix = f"{zone.code}-{group.code}-"
                if prefix not in counters:
                    counters[prefix] = Household.objects.filter(code__startswith=prefix).count()
                while True:
                    counters[prefix] += 1
                    code = f"{prefix}{counters[prefix]:03d}"
                    if code not in seen_codes and not Household.objects.filter(code=code).exists():
                        break
            rows.append(Household(zone=zone, group=group, org_path=zone.org_path, code=code, address=h["address"],
                                  head_name=h["head_name"], phone=h["phone"], liaison=h["liaison"], note=h["note"]))  # fmt: skip
        created = Household.objects.bulk_create(rows, batch_size=2000)
        Resident.objects.bulk_create(
            [Resident(household=hh, name=hh.head_name, relation="户主", phone=hh.phone, tags=h["tags"])
             for hh, h in zip(created, new_households, strict=True)],
            batch_size=2000,
        )  # fmt: skip
        log_access(
            user=actor, action=AccessAction.IMPORT, target_type="grid.import", target_label="片组户导入",
            detail={"zones": len(new_zones), "groups": len(created_groups), "households": len(created)},
        )  # fmt: skip
    result.zones, result.groups, result.households = len(new_zones), len(created_groups), len(created)
    return result


HOUSEHOLD_EXPORT = [
    "片区",
    "服务组",
    "户编号",
    "住址",
    "户主",
    "联系电话",
    "联户党员",
    "最近走访",
    "居民人数",
    "关爱标签",
    "在册",
    "备注",
]


def export_households(households: Iterable[Household], path: Path, *, unmasked: bool = False) -> int:
    """The households as a sheet; phones masked unless `unmasked` (the caller logs the export)."""
    labels = dict(VulnerableTag.choices)

    def tags_of(h: Household) -> str:
        codes = {t for r in h.residents.all() for t in r.tag_codes}
        return "、".join(labels.get(t, t) for t in sorted(codes))

    rows = (
        [h.zone.name, h.group.name, h.code, h.address, h.head_name, (h.phone if unmasked else h.phone_masked),
         h.liaison.name if h.liaison else "", h.last_visited_on, len(h.residents.all()), tags_of(h),
         "是" if h.is_active else "否", h.note]
        for h in households
    )  # fmt: skip
    return write_rows(path, title="住户", headers=HOUSEHOLD_EXPORT, rows=rows,
                      widths=[16, 14, 18, 34, 10, 14, 10, 12, 8, 24, 6, 20])  # fmt: skip


def export_liaisons(rows: Iterable[tuple[Member, int, Any]], path: Path, limit: int) -> int:
    return write_rows(
        path,
        title="联户党员",
        headers=["党员", "所在党组织", "联系户数", f"超出（要求{limit}户左右）", "最近走访"],
        rows=([m.name, m.org.name, n, max(0, n - limit), last] for m, n, last in rows),
        widths=[12, 32, 10, 18, 12],
    )
