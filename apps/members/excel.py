"""Member information form (党员信息采集表) in Excel: the template, the import (preview, then an
all-or-nothing commit) and the export of a filtered list."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from io import BytesIO
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_update_with_history

from apps.core import crypto
from apps.core.audit import log_access
from apps.core.errors import DomainError
from apps.core.excel import Sheet, to_date, to_text, write_rows
from apps.core.identity import CitizenId
from apps.core.jobs import new_file_path, register, report_progress, save_result
from apps.core.models import AccessAction, Job, JobStatus
from apps.core.scoping import Perm, get_scope
from apps.members.choices import Education, Gender, MemberCategory
from apps.members.models import Member
from apps.members.selectors import MemberFilters, filter_members
from apps.members.services import apply_clean, bulk_register
from apps.members.validation import FIELD_LABELS, MEMBER_HOLDING_TYPES, CleanMember, validate_member
from apps.orgs.models import Organization

COLUMNS = [
    ("姓名", "name"),
    ("身份证号", "citizen_id"),
    ("性别", "gender"),
    ("民族", "ethnicity"),
    ("出生日期", "birth_date"),
    ("学历", "education"),
    ("联系电话", "phone"),
    ("所在党组织", "org"),
    ("入党日期", "admission_date"),
    ("转正日期", "full_membership_date"),
    ("党员类别", "category"),
    ("工作单位", "work_unit"),
]
REQUIRED = ["姓名", "身份证号", "所在党组织", "入党日期"]
OPTIONAL = [h for h, _ in COLUMNS if h not in REQUIRED]
DATE_FIELDS = {"birth_date", "admission_date", "full_membership_date"}
PREVIEW_ROWS = 500
MAX_ERRORS = 2000
PROGRESS_EVERY = 500


def template_workbook() -> bytes:
    """The import template: the header, one example row, drop-down lists and a sheet of instructions."""
    wb = Workbook()
    ws = wb.active
    ws.title = "党员信息"
    ws.append([h + ("*" if h in REQUIRED else "") for h, _ in COLUMNS])  # the reader ignores the asterisks
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="B3121F")
    ws.append(
        [
            "张三",
            "11010519491231002X",
            "女",
            "汉族",
            "1949-12-31",
            "大学本科",
            "13812345678",
            "（填写组织全称）",
            "1975-07-01",
            "1976-07-01",
            "离退休",
            "示例单位",
        ]
    )
    for column in "BEGIJ":
        for row in range(2, 5002):
            ws[f"{column}{row}"].number_format = "@"
    widths = [10, 22, 6, 10, 12, 12, 14, 28, 12, 12, 10, 24]
    for index, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    lists = {
        "C": [label for _, label in Gender.choices],
        "F": [label for _, label in Education.choices],
        "K": [label for _, label in MemberCategory.choices],
    }
    for column, values in lists.items():
        validation = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
        validation.error = "请从下拉列表中选择"
        ws.add_data_validation(validation)
        validation.add(f"{column}2:{column}5001")
    help_sheet = wb.create_sheet("填写说明")
    notes = [
        "带 * 的列必填：姓名、身份证号、所在党组织、入党日期。",
        "身份证号为18位，请将单元格设为“文本”格式，避免被 Excel 改成科学计数法。",
        "性别、出生日期可不填，由身份证号自动得出；填写时须与身份证号一致。",
        "日期写作 2020-07-01、2020/7/1 或 2020年7月1日。",
        "所在党组织填写组织全称，须是您有权管理的党支部（或党总支、党委）。",
        "转正日期留空表示预备党员；转正日期不得早于入党日期满一年。",
        "党员类别：" + "、".join(label for _, label in MemberCategory.choices) + "；留空为“在职”。",
        "民族：56个民族的全称，如“汉族”“回族”；留空为“汉族”。",
        "身份证号已登记的党员将被更新，其余为新登记。导入前先预览，有任何错误行都不会写入。",
        "示例行（第2行）请删除后再导入。",
    ]
    for note in notes:
        help_sheet.append([note])
    help_sheet.column_dimensions["A"].width = 90
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


class OrgResolver:
    """Finds the organization a row names, among those the importing user may register members in."""

    FIELDS = ("id", "name", "short_name", "path", "org_type", "parent_id")

    def __init__(self, user: Any):
        scope = get_scope(user)
        # Plain tuples for the whole scope (tens of thousands at province scale); model instances are
        # built only for the organizations the file names.
        self.by_name: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self._orgs: dict[int, Organization] = {}
        qs = Organization.objects.filter(
            scope.org_q(Perm.MEMBERS_IMPORT), is_active=True, org_type__in=MEMBER_HOLDING_TYPES
        )
        for row in qs.values_list(*self.FIELDS):
            self.by_name[row[1]].append(row)
            if row[2] and row[2] != row[1]:
                self.by_name[row[2]].append(row)

    def _instance(self, row: tuple[Any, ...]) -> Organization:
        org = self._orgs.get(row[0])
        if org is None:
            org = Organization(
                id=row[0],
                name=row[1],
                short_name=row[2],
                path=row[3],
                org_type=row[4],
                parent_id=row[5],
                is_active=True,
            )
            self._orgs[row[0]] = org
        return org

    def resolve(self, name: str) -> tuple[Organization | None, str | None]:
        matches = self.by_name.get(name.strip(), [])
        if not matches:
            return None, f"找不到“{name}”，或它不是您有权管理的党支部"
        if len({m[0] for m in matches}) > 1:
            return None, f"“{name}”对应多个组织，请填写组织全称"
        return self._instance(matches[0]), None


def _row_values(raw: dict[str, Any], resolver: OrgResolver) -> tuple[dict[str, Any], list[dict[str, str]]]:
    values: dict[str, Any] = {}
    errors: list[dict[str, str]] = []
    for header, field in COLUMNS:
        cell = raw.get(header)
        if field == "citizen_id" and isinstance(cell, int | float):
            errors.append(
                {"column": header, "message": "身份证号被 Excel 存成了数字，请将该列设为文本格式后重新填写"}
            )
            continue
        if field in DATE_FIELDS:
            try:
                values[field] = to_date(cell)
            except ValueError:
                errors.append({"column": header, "message": f"“{to_text(cell)}”不是有效日期"})
            continue
        if field == "org":
            name = to_text(cell)
            if name:
                org, problem = resolver.resolve(name)
                if problem:
                    errors.append({"column": header, "message": problem})
                values["org"] = org
            continue
        values[field] = to_text(cell)
    return values, errors


def _column_of(field: str | None) -> str:
    return FIELD_LABELS.get(field or "", "—")


def _parse(job: Job, *, phase: str) -> tuple[list[tuple[int, CleanMember]], dict[str, Any]]:
    """Reads and validates the whole file; returns the clean rows and the preview (counts, rows, errors)."""
    # The commit reuses the rows the preview validated; only without them is the workbook read again.
    stored = _load_clean(job) if phase == "commit" else None
    sheet = Sheet(job.input_file, required=REQUIRED, optional=OPTIONAL) if stored is None else None
    resolver = OrgResolver(job.created_by)
    today = timezone.localdate()
    scope = get_scope(job.created_by)
    total = sheet.estimated_rows if sheet is not None else len(stored or [])
    report_progress(job, 0, total, "正在校验" if phase == "validate" else "正在写入")
    clean_rows: list[tuple[int, CleanMember]] = []
    preview: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    errors_count = 0
    seen: dict[str, int] = {}
    count = 0
    if stored is not None:
        # What can have changed since the preview is re-checked below: who holds each ID.
        clean_rows, count = stored, len(stored)
    try:
        for row_number, raw in sheet.rows() if sheet is not None else iter(()):
            count += 1
            values, row_errors = _row_values(raw, resolver)
            clean, problems = validate_member(values, today=today)
            for problem in problems:
                if problem.field == "org" and any(e["column"] == "所在党组织" for e in row_errors):
                    continue
                if problem.field in DATE_FIELDS and any(
                    e["column"] == _column_of(problem.field) for e in row_errors
                ):
                    continue
                if problem.field == "citizen_id" and any(e["column"] == "身份证号" for e in row_errors):
                    continue
                row_errors.append({"column": _column_of(problem.field), "message": problem.message})
            if clean is not None and not row_errors:
                digest = crypto.keyed_hash(clean.citizen.number)
                if digest in seen:
                    row_errors.append(
                        {"column": "身份证号", "message": f"与第{seen[digest]}行的身份证号重复"}
                    )
                else:
                    seen[digest] = row_number
                    clean_rows.append((row_number, clean))
            if row_errors:
                errors_count += 1
                if len(errors) < MAX_ERRORS:
                    errors.append({"row": row_number, "name": to_text(raw.get("姓名")), "errors": row_errors})
            if len(preview) < PREVIEW_ROWS:
                preview.append(
                    {
                        "row": row_number,
                        "name": to_text(raw.get("姓名")),
                        "org": to_text(raw.get("所在党组织")),
                        "status": "error" if row_errors else "ok",
                        "errors": row_errors,
                    }
                )
            if count % PROGRESS_EVERY == 0:
                report_progress(job, count // 2 if phase == "commit" else count, max(total, count))
    finally:
        if sheet is not None:
            sheet.close()

    # Existing members are updated when the importer's scope covers them; elsewhere the ID is taken.
    digests = {crypto.keyed_hash(c.citizen.number): n for n, c in clean_rows}
    existing: dict[str, tuple[int, str]] = {}
    keys = list(digests)
    for start in range(0, len(keys), 2000):
        for pk, digest, path in Member.objects.filter(
            citizen_id_hash__in=keys[start : start + 2000]
        ).values_list("id", "citizen_id_hash", "org_path"):
            existing[digest] = (pk, path)
    updates = 0
    blocked_rows: set[int] = set()
    for digest, (_pk, path) in existing.items():
        row_number = digests[digest]
        if scope.covers_path(Perm.MEMBERS_IMPORT, path):
            updates += 1
        else:
            blocked_rows.add(row_number)
            errors_count += 1
            errors.append(
                {
                    "row": row_number,
                    "name": "",
                    "errors": [
                        {
                            "column": "身份证号",
                            "message": "该身份证号已登记在您权限范围之外的组织，请联系其所在组织办理组织关系转接",
                        }
                    ],
                }
            )
    if blocked_rows:
        clean_rows = [(n, c) for n, c in clean_rows if n not in blocked_rows]
    update_rows = {digests[d] for d, (_pk, path) in existing.items() if digests[d] not in blocked_rows}
    for item in preview:
        if item["row"] in blocked_rows:
            item["status"] = "error"
            item["errors"] = [{"column": "身份证号", "message": "该身份证号已登记在您权限范围之外的组织"}]
        elif item["status"] == "ok":
            item["status"] = "update" if item["row"] in update_rows else "new"
    errors.sort(key=lambda e: e["row"])
    summary = {
        "total": count,
        "new": len(clean_rows) - updates,
        "update": updates,
        "errors_count": errors_count,
        "rows": preview,
        "errors": errors[:MAX_ERRORS],
        "existing": {
            str(digests[d]): pk for d, (pk, _path) in existing.items() if digests[d] not in blocked_rows
        },
    }
    if count == 0:
        raise DomainError("import.empty", "文件中没有数据行")
    return clean_rows, summary


def _clean_path(job: Job) -> Path:
    return Path(job.input_file + ".clean.jsonl")


_DATE_KEYS = (
    "birth_date",
    "application_date",
    "activist_date",
    "candidate_date",
    "admission_date",
    "full_membership_date",
)
_TEXT_KEYS = ("name", "gender", "ethnicity", "education", "phone", "work_unit", "position", "category")


def _save_clean(job: Job, rows: list[tuple[int, CleanMember]]) -> None:
    with _clean_path(job).open("w", encoding="utf-8") as out:
        for number, c in rows:
            record: dict[str, Any] = {
                "n": number,
                "cid": c.citizen.number,
                "org": c.org.pk,
                "group": c.party_group.pk if c.party_group else None,
            }
            record.update({k: getattr(c, k) for k in _TEXT_KEYS})
            record.update({k: (getattr(c, k).isoformat() if getattr(c, k) else None) for k in _DATE_KEYS})
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _load_clean(job: Job) -> list[tuple[int, CleanMember]] | None:
    """The rows validated by the preview, with their organizations re-read within the importer's scope."""
    path = _clean_path(job)
    if not path.is_file():
        return None
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    scope = get_scope(job.created_by)
    org_ids = {r["org"] for r in records} | {r["group"] for r in records if r["group"]}
    orgs = {
        o.pk: o
        for o in Organization.objects.filter(scope.org_q(Perm.MEMBERS_IMPORT), pk__in=org_ids, is_active=True)
    }
    if len(orgs) != len(org_ids):
        raise DomainError(
            "import.orgs_changed", "预览之后组织发生了变化（撤销或调整），未写入任何数据，请重新上传"
        )
    rows = []
    for r in records:
        dates: dict[str, Any] = {k: dt.date.fromisoformat(r[k]) if r[k] else None for k in _DATE_KEYS}
        citizen = CitizenId(number=r["cid"], birth_date=dates["birth_date"], gender=r["gender"])
        clean = CleanMember(
            citizen=citizen,
            org=orgs[r["org"]],
            party_group=orgs.get(r["group"]) if r["group"] else None,
            **{k: r[k] for k in _TEXT_KEYS},
            **dates,
        )
        rows.append((r["n"], clean))
    return rows


def _discard_files(job: Job) -> None:
    """The upload holds personal data in clear: it is removed once the import is done or cancelled."""
    for path in (Path(job.input_file), _clean_path(job)):
        path.unlink(missing_ok=True)


@register("members.import", "validate")
def import_validate(job: Job) -> str:
    try:
        clean, summary = _parse(job, phase="validate")
    except DomainError as exc:
        save_result(job, message=exc.message, result={"fatal": exc.message})
        return JobStatus.FAILED
    if not summary["errors_count"]:
        _save_clean(job, clean)
    summary.pop("existing")
    msg = f"共{summary['total']}行：新增{summary['new']}，更新{summary['update']}，错误{summary['errors_count']}"
    save_result(job, result=summary, message=msg, done=summary["total"], total=summary["total"])
    return JobStatus.READY


@register("members.import", "commit")
def import_commit(job: Job) -> str:
    """Writes the whole file in one transaction, after validating it again (data may have changed)."""
    try:
        clean_rows, summary = _parse(job, phase="commit")
    except DomainError as exc:
        save_result(job, message=exc.message)
        _discard_files(job)
        return JobStatus.FAILED
    if summary["errors_count"]:
        _discard_files(job)
        save_result(
            job,
            message="文件在预览后出现了错误（数据已变化），未写入任何数据，请重新上传",
            result={**job.result, **{k: summary[k] for k in ("errors_count", "errors")}},
        )
        return JobStatus.FAILED
    existing_ids: dict[int, int] = {int(k): v for k, v in summary["existing"].items()}
    total = len(clean_rows)
    written = 0
    now_date = timezone.localdate()
    user = job.created_by
    with transaction.atomic():
        to_create: list[Member] = []
        creates_clean: list[CleanMember] = []
        update_pairs: list[tuple[int, CleanMember]] = []
        for row_number, clean in clean_rows:
            if row_number in existing_ids:
                update_pairs.append((existing_ids[row_number], clean))
                continue
            member = Member()
            apply_clean(member, clean)
            if clean.category != MemberCategory.EMPLOYED:
                member.category_since = now_date
            member._change_reason = f"Excel导入（任务#{job.pk}）"  # type: ignore[attr-defined]
            to_create.append(member)
            creates_clean.append(clean)
            if len(to_create) >= 2000:
                written += bulk_register(to_create, creates_clean, user)
                to_create, creates_clean = [], []
                report_progress(job, total // 2 + written // 2, total)
        written += bulk_register(to_create, creates_clean, user)
        written += _apply_updates(update_pairs, user, job)
        report_progress(job, total, total)
    log_access(
        user=user,
        action=AccessAction.IMPORT,
        target_type="member_import",
        target_id=job.pk,
        target_label=job.input_name,
        org_path=_common_path(get_scope(user).paths(Perm.MEMBERS_IMPORT)),
        detail={"新增": summary["new"], "更新": summary["update"]},
    )
    _discard_files(job)
    save_result(
        job,
        message=f"已导入：新增{summary['new']}，更新{summary['update']}",
        result={**job.result, "committed": True, "new": summary["new"], "update": summary["update"]},
        done=total,
        total=total,
    )
    return JobStatus.DONE


def _apply_updates(pairs: list[tuple[int, CleanMember]], user: Any, job: Job) -> int:
    if not pairs:
        return 0
    from apps.members.services import move_org_period

    by_id = {m.pk: m for m in Member.objects.select_for_update().filter(pk__in=[pk for pk, _ in pairs])}
    changed_members: list[Member] = []
    fields: set[str] = set()
    moves: list[tuple[Member, int]] = []
    for pk, clean in pairs:
        member = by_id[pk]
        old_org = member.org_id
        changed = apply_clean(member, clean)
        if changed:
            if "category" in changed:
                member.category_since = timezone.localdate()
                changed.append("category_since")
            fields.update(changed)
            member._change_reason = f"Excel导入（任务#{job.pk}）"  # type: ignore[attr-defined]
            changed_members.append(member)
            if member.org_id != old_org:
                moves.append((member, member.org_id))
    if changed_members:
        bulk_update_with_history(
            changed_members,
            Member,
            sorted(fields | {"updated_at"}),
            batch_size=1000,
            default_user=user,
            default_change_reason=f"Excel导入（任务#{job.pk}）",
        )
    for member, org_id in moves:
        move_org_period(member, org_id, timezone.localdate(), "Excel导入调整组织")
    return len(pairs)


def _common_path(paths: tuple[str, ...]) -> str:
    return paths[0] if len(paths) == 1 else ""


EXPORT_HEADERS = [h for h, _ in COLUMNS] + ["职务", "党员状态", "党小组"]


@register("members.export", "run")
def export_run(job: Job) -> str:
    user = job.created_by
    filters = MemberFilters.from_mapping(job.params.get("filters", {}))
    unmasked = bool(job.params.get("unmasked")) and get_scope(user).has(Perm.MEMBERS_REVEAL)
    qs = (
        filter_members(user, filters, Perm.MEMBERS_EXPORT)
        .select_related("org", "party_group")
        .order_by("org_path", "name_pinyin", "id")
    )
    total = qs.count()
    report_progress(job, 0, total, "正在导出")
    path = new_file_path(".xlsx")

    def rows():  # type: ignore[no-untyped-def]
        for index, m in enumerate(qs.iterator(chunk_size=2000), start=1):
            if index % 2000 == 0:
                report_progress(job, index)
            yield [
                m.name,
                crypto.decrypt(m.citizen_id_encrypted) if unmasked else m.citizen_id_masked,
                m.get_gender_display(),
                m.ethnicity,
                m.birth_date,
                m.get_education_display() if m.education else "",
                m.phone if unmasked else m.phone_masked,
                m.org.name,
                m.admission_date,
                m.full_membership_date,
                m.get_category_display(),
                m.work_unit,
                m.position,
                m.get_status_display(),
                m.party_group.name if m.party_group else "",
            ]

    count = write_rows(
        path,
        title="党员名册",
        headers=EXPORT_HEADERS,
        rows=rows(),
        widths=[10, 22, 6, 8, 12, 10, 14, 28, 12, 12, 8, 24, 12, 10, 16],
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"党员名册-{stamp}{'-明文' if unmasked else ''}.xlsx"
    org_path = ""
    if filters.org:
        org_path = Organization.objects.filter(pk=filters.org).values_list("path", flat=True).first() or ""
    log_access(
        user=user,
        action=AccessAction.EXPORT_UNMASKED if unmasked else AccessAction.EXPORT_MASKED,
        target_type="member_export",
        target_id=job.pk,
        target_label=f"党员名册 {count} 人",
        org_path=org_path or _common_path(get_scope(user).paths(Perm.MEMBERS_EXPORT)),
        detail={"人数": count, "筛选": filters.as_query()},
        ip_address=job.ip_address,
    )
    save_result(
        job,
        message=f"已导出{count}人",
        output_file=path,
        result={"rows": count, "filename": filename, "unmasked": unmasked},
        done=count,
        total=count,
    )
    return JobStatus.DONE


def store_upload(upload: Any) -> str:
    path = new_file_path(".xlsx")
    with Path(path).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path
