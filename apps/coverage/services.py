"""Parks, units and their coverage: every change validated here, with who and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from apps.core.errors import ConflictError, DomainError
from apps.core.identity import name_pinyin
from apps.core.scoping import Perm, get_scope
from apps.coverage.choices import CoverageStatus, FormationMode, ParkType, Sector, SizeClass, UnitKind
from apps.coverage.models import CoverageRecord, InstructorVisit, Park, Unit
from apps.coverage.rules import credit_code_problem, normalize_credit_code
from apps.coverage.selectors import access_park, access_unit
from apps.orgs.choices import OrgType
from apps.orgs.models import Organization
from apps.orgs.selectors import access_org

# Organizations that may be "the unit's own" or the joint organization covering it.
PARTY_ORG_TYPES = {t for t in OrgType.values if t != OrgType.GROUP}


@dataclass
class Lookups:
    """What a bulk import resolved beforehand, so validating a row runs no query."""

    parks: dict[int, Park] = field(default_factory=dict)
    orgs: dict[int, Organization] = field(default_factory=dict)
    users: dict[int, Any] = field(default_factory=dict)
    taken_codes: set[str] = field(default_factory=set)


def _org_for(actor: Any, org_id: Any, field: str, lookups: Lookups | None = None) -> Organization:
    try:
        if lookups is not None:
            return lookups.orgs[int(org_id)]
        return access_org(actor, int(org_id), Perm.COVERAGE_CHANGE)
    except (TypeError, ValueError, KeyError, Http404):
        raise DomainError("coverage.org_invalid", "请选择您管理范围内的党组织", field=field) from None


@transaction.atomic
def park_save(*, actor: Any, values: dict[str, Any], park_id: int | None = None) -> Park:
    name = str(values.get("name") or "").strip()
    if not name:
        raise DomainError("coverage.name_required", "请填写园区名称", field="name")
    if values.get("park_type") not in ParkType.values:
        raise DomainError("coverage.park_type", "请选择园区类型", field="park_type")
    org = _org_for(actor, values.get("org"), "org")
    park = access_park(actor, park_id, Perm.COVERAGE_CHANGE) if park_id else Park()
    if Park.objects.filter(name=name).exclude(pk=park.pk).exists():
        raise ConflictError("coverage.park_exists", f"已有名为“{name}”的园区", field="name")
    park.name, park.park_type, park.org, park.org_path = name, values["park_type"], org, org.path
    park.address = str(values.get("address") or "").strip()[:200]
    park.save()
    if park_id:
        # The units of the park follow its organization, so scopes stay consistent.
        Unit.objects.filter(park=park).update(org=org, org_path=org.path)
    return park


def _int(values: dict[str, Any], field: str, label: str) -> int:
    raw = values.get(field)
    try:
        value = int(str(raw).strip() or 0) if raw not in (None, "") else 0
    except ValueError:
        raise DomainError("coverage.number", f"{label}应为整数", field=field) from None
    if value < 0:
        raise DomainError("coverage.number", f"{label}不能为负数", field=field)
    return value


def _date(value: Any, field: str, label: str, *, required: bool = True) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    elif value in (None, ""):
        if required:
            raise DomainError("coverage.date_required", f"请填写{label}", field=field)
        return None
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise DomainError(
                "coverage.date_invalid", f"{label}格式不正确（例如2024-03-01）", field=field
            ) from None
    if day > timezone.localdate():
        raise DomainError("coverage.date_future", f"{label}不能晚于今天", field=field)
    return day


def _required_date(value: Any, field: str, label: str) -> dt.date:
    day = _date(value, field, label)
    if day is None:  # _date raises for a missing required date; this keeps the type exact
        raise DomainError("coverage.date_required", f"请填写{label}", field=field)
    return day


def clean_unit(
    actor: Any, values: dict[str, Any], *, unit: Unit | None = None, lookups: Lookups | None = None
) -> dict[str, Any]:
    """Checks a unit's master data and returns the clean values (raises on the first problem)."""
    if values.get("kind") not in UnitKind.values:
        raise DomainError("coverage.kind", "请选择类别（企业或社会组织）", field="kind")
    name = str(values.get("name") or "").strip()
    if not name:
        raise DomainError("coverage.name_required", "请填写单位名称", field="name")
    code = normalize_credit_code(str(values.get("credit_code") or ""))
    problem = credit_code_problem(code)
    if problem:
        raise DomainError("coverage.credit_code", problem, field="credit_code")
    if lookups is not None:
        taken = code in lookups.taken_codes
    else:
        clash = Unit.objects.filter(credit_code=code)
        taken = (clash.exclude(pk=unit.pk) if unit is not None else clash).exists()
    if taken:
        raise ConflictError(
            "coverage.credit_code_exists", f"统一社会信用代码{code}已登记", field="credit_code"
        )
    if values.get("sector") not in Sector.values:
        raise DomainError("coverage.sector", "请选择行业门类", field="sector")
    if values.get("size_class") not in SizeClass.values:
        raise DomainError("coverage.size_class", "请选择企业规模", field="size_class")
    employees = _int(values, "employees", "从业人员")
    party_members = _int(values, "party_members", "党员人数")
    if party_members > employees:
        raise DomainError("coverage.members_over", "党员人数不能多于从业人员", field="party_members")
    park = None
    if values.get("park") not in (None, ""):
        try:
            park = (
                lookups.parks[int(values["park"])]
                if lookups is not None
                else access_park(actor, int(values["park"]), Perm.COVERAGE_CHANGE)
            )
        except (TypeError, ValueError, KeyError, Http404):
            raise DomainError("coverage.park_invalid", "请选择您管理范围内的园区", field="park") from None
        org = park.org
    elif values.get("org") not in (None, ""):
        org = _org_for(actor, values.get("org"), "org", lookups)
    else:
        raise DomainError(
            "coverage.place_required", "请选择所在园区，或不在园区时选择属地（街道）党组织", field="park"
        )
    established = _date(values.get("established_on"), "established_on", "成立日期")
    return {
        "kind": values["kind"], "name": name[:120], "name_initials": name_pinyin(name)[1][:60], "credit_code": code,
        "sector": values["sector"], "size_class": values["size_class"], "above_size": bool(values.get("above_size")),
        "employees": employees, "party_members": party_members, "park": park, "org": org, "org_path": org.path,
        "address": str(values.get("address") or "").strip()[:200], "established_on": established,
    }  # fmt: skip


def clean_status(actor: Any, values: dict[str, Any], lookups: Lookups | None = None) -> dict[str, Any]:
    """The party-building status fields: own and joint need the covering organization, instructor
    coverage needs the instructor (a user account)."""
    from apps.accounts.models import User

    status = values.get("status") or CoverageStatus.NONE
    if status not in CoverageStatus.values:
        raise DomainError("coverage.status", "请选择党建状态", field="status")
    covering = None
    instructor = None
    if status in (CoverageStatus.OWN, CoverageStatus.JOINT):
        if values.get("covering_org") in (None, ""):
            label = "本单位党组织" if status == CoverageStatus.OWN else "联建党组织"
            raise DomainError("coverage.covering_required", f"请选择{label}", field="covering_org")
        covering = _org_for(actor, values.get("covering_org"), "covering_org", lookups)
        if covering.org_type not in PARTY_ORG_TYPES:
            raise DomainError("coverage.covering_type", "覆盖的党组织不能是党小组", field="covering_org")
    mode = str(values.get("formation_mode") or "")
    if mode and mode not in FormationMode.values:
        raise DomainError("coverage.mode", "组建方式不正确", field="formation_mode")
    if status == CoverageStatus.INSTRUCTOR:
        raw = values.get("instructor")
        if lookups is not None:
            instructor = lookups.users.get(int(str(raw))) if str(raw or "").isdigit() else None
        else:
            instructor = (
                User.objects.filter(is_active=True, pk=int(str(raw))).first()
                if str(raw or "").isdigit()
                else User.objects.filter(is_active=True, username=str(raw or "").strip()).first()
            )
        if instructor is None:
            raise DomainError(
                "coverage.instructor_required", "请选择党建指导员（须为平台用户）", field="instructor"
            )
    return {
        "status": status,
        "covering_org": covering,
        "formation_mode": mode if status in (CoverageStatus.OWN, CoverageStatus.JOINT) else "",
        "instructor": instructor,
        "liaison": str(values.get("liaison") or "").strip()[:50],
    }


def _open_record(unit: Unit, status: dict[str, Any], on: dt.date, actor: Any, note: str = "") -> None:
    CoverageRecord.objects.create(
        unit=unit, status=status["status"], covering_org=status["covering_org"], formation_mode=status["formation_mode"],
        valid_from=on, note=note[:200], recorded_by_id=getattr(actor, "pk", None),
    )  # fmt: skip


@transaction.atomic
def unit_create(*, actor: Any, values: dict[str, Any]) -> Unit:
    """Registers a unit with its status since `status_since` (by default its founding date)."""
    clean = clean_unit(actor, values)
    status = clean_status(actor, values)
    since = (
        _date(values.get("status_since"), "status_since", "状态起始日期", required=False)
        or clean["established_on"]
    )
    if since < clean["established_on"]:
        raise DomainError("coverage.since_before", "状态起始日期不能早于成立日期", field="status_since")
    unit = Unit.objects.create(**clean, **status)
    _open_record(unit, status, since, actor, "登记")
    return unit


@transaction.atomic
def unit_update(*, actor: Any, unit_id: int, values: dict[str, Any]) -> Unit:
    """Changes a unit's master data (its status changes through unit_set_status, with a date)."""
    unit = access_unit(actor, unit_id, Perm.COVERAGE_CHANGE, lock=True)
    clean = clean_unit(actor, values, unit=unit)
    first = unit.records.order_by("valid_from").values_list("valid_from", flat=True).first()
    if first and clean["established_on"] > first:
        raise DomainError(
            "coverage.established_after", "成立日期不能晚于最早的党建状态记录", field="established_on"
        )
    for key, value in clean.items():
        setattr(unit, key, value)
    unit.save()
    return unit


@transaction.atomic
def unit_set_status(*, actor: Any, unit_id: int, values: dict[str, Any], on: Any, note: str = "") -> Unit:
    """A new party-building status from `on`: the open record ends that day and the next begins.
    A change on the open record's own start date corrects it instead."""
    unit = access_unit(actor, unit_id, Perm.COVERAGE_CHANGE, lock=True)
    status = clean_status(actor, values)
    day = _required_date(on, "on", "变更日期")
    if unit.closed_on is not None:
        raise DomainError("coverage.closed", "单位已注销，不能变更党建状态", field="on")
    if day < unit.established_on:
        raise DomainError("coverage.before_established", "变更日期不能早于成立日期", field="on")
    current = CoverageRecord.objects.select_for_update().filter(unit=unit, valid_to__isnull=True).first()
    if current is not None and day < current.valid_from:
        raise DomainError(
            "coverage.before_current",
            f"变更日期不能早于现状态的起始日期{current.valid_from:%Y-%m-%d}",
            field="on",
        )
    if current is not None and day == current.valid_from:
        current.status, current.covering_org, current.formation_mode = (
            status["status"],
            status["covering_org"],
            status["formation_mode"],
        )
        current.note, current.recorded_by_id = (note or "更正")[:200], getattr(actor, "pk", None)
        current.save()
    else:
        if current is not None:
            current.valid_to = day
            current.save(update_fields=["valid_to"])
        _open_record(unit, status, day, actor, note)
    for key, value in status.items():
        setattr(unit, key, value)
    unit.save()
    return unit


@transaction.atomic
def unit_close(*, actor: Any, unit_id: int, on: Any) -> Unit:
    """The unit was deregistered (注销) on `on`: it leaves the totals from that day."""
    unit = access_unit(actor, unit_id, Perm.COVERAGE_CHANGE, lock=True)
    day = _required_date(on, "on", "注销日期")
    if unit.closed_on is not None:
        raise DomainError("coverage.closed", "单位已注销", field="on", status=409)
    if day < unit.established_on:
        raise DomainError("coverage.before_established", "注销日期不能早于成立日期", field="on")
    CoverageRecord.objects.filter(unit=unit, valid_to__isnull=True).update(valid_to=day)
    unit.closed_on = day
    unit.save(update_fields=["closed_on", "updated_at"])
    return unit


@transaction.atomic
def visit_record(*, actor: Any, unit_id: int, visited_on: Any, content: str) -> InstructorVisit:
    """A visit by the unit's instructor (or by whoever manages the unit)."""
    scope = get_scope(actor)
    unit = access_unit(actor, unit_id)
    if unit.instructor_id != getattr(actor, "pk", None) and not scope.covers_path(
        Perm.COVERAGE_CHANGE, unit.org_path
    ):
        raise Http404("单位不存在")
    day = _required_date(visited_on, "visited_on", "走访日期")
    if not content.strip():
        raise DomainError("coverage.content_required", "请填写走访内容", field="content")
    return InstructorVisit.objects.create(
        unit=unit, instructor_id=getattr(actor, "pk", None), visited_on=day, content=content.strip()[:500]
    )
