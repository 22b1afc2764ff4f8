"""Every change to the liaison grid: access check → lock → validate → write.

Zones are created by those with `Perm.GRID_CHANGE` over the organization; a zone's leaders (片长) may
edit it and everything in it. A liaison records visits to their own households; the visit moves the
household's `last_visited_on` (the latest visit date) in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from apps.core.audit import log_access
from apps.core.errors import ConflictError, DomainError
from apps.core.identity import normalize_phone
from apps.core.models import AccessAction
from apps.core.scoping import Perm, get_scope
from apps.grid import selectors
from apps.grid.models import Group, Household, Resident, ServiceTeam, Visit, VisitKind, VulnerableTag, Zone
from apps.members.models import Member
from apps.orgs.selectors import access_org


def _text(values: dict[str, Any], key: str, limit: int) -> str:
    return str(values.get(key) or "").strip()[:limit]


def _required(values: dict[str, Any], key: str, label: str, limit: int) -> str:
    text = _text(values, key, limit)
    if not text:
        raise DomainError("grid.required", f"请填写{label}", field=key)
    return text


def _flag(value: Any, default: bool = True) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "on", "yes", "是"}


def _zone_for_change(actor: Any, zone_id: Any) -> Zone:
    try:
        return selectors.access_zone(actor, zone_id, Perm.GRID_CHANGE)
    except Http404:
        raise DomainError("grid.zone_invalid", "请选择您管理范围内的片区", field="zone") from None


def _member(actor: Any, raw: Any, field: str, zone: Zone | None = None) -> Member | None:
    if raw in (None, ""):
        return None
    try:
        pk = int(str(raw))
    except ValueError:
        raise DomainError("grid.member_invalid", "请选择党员", field=field) from None
    member = selectors.liaison_candidates(actor, zone).filter(pk=pk).first()
    if member is None:
        raise DomainError("grid.member_scope", "请选择您管理范围内的党员", field=field)
    return member


# --- zones, groups, teams -------------------------------------------------------------------------


@transaction.atomic
def zone_save(*, actor: Any, values: dict[str, Any], zone_id: int | None = None) -> Zone:
    """Creates a zone under an organization the actor may change, or edits one they may change."""
    from apps.accounts.models import User

    zone = selectors.access_zone(actor, zone_id, Perm.GRID_CHANGE) if zone_id else Zone()
    name = _required(values, "name", "片区名称", 80)
    code = _required(values, "code", "片区编号", 30).upper()
    org_raw = values.get("org")
    if zone_id and (org_raw in (None, "") or str(org_raw) == str(zone.org_id)):
        org = zone.org
    else:
        try:
            org = access_org(actor, int(str(org_raw)), Perm.GRID_CHANGE)
        except (TypeError, ValueError, Http404):
            raise DomainError(
                "grid.org_invalid", "请选择您管理范围内的社区（村）党组织", field="org"
            ) from None
    if Zone.objects.filter(code=code).exclude(pk=zone.pk).exists():
        raise ConflictError("grid.zone_code_exists", f"片区编号{code}已被使用", field="code")
    hotline = _text(values, "hotline", 30)
    moved = zone.pk is not None and zone.org_id != org.pk
    zone.name, zone.code, zone.org, zone.org_path = name, code, org, org.path
    zone.hotline, zone.note = hotline, _text(values, "note", 200)
    zone.is_active = _flag(values.get("is_active"), True) if zone_id else True
    zone.save()
    if moved:
        # The households and the requests raised in the zone follow it, so the scopes stay consistent.
        from apps.resident_requests.models import ResidentRequest

        Household.objects.filter(zone=zone).update(org_path=org.path)
        ResidentRequest.objects.filter(zone=zone).update(org_path=org.path)
    if "leaders" in values:
        raw = values.get("leaders") or []
        ids = [
            int(x)
            for x in (raw if isinstance(raw, list | tuple) else str(raw).split(","))
            if str(x).strip().isdigit()
        ]
        allowed = {u.pk for u in selectors.leader_candidates(actor, zone)}
        leaders = list(User.objects.filter(pk__in=ids, is_active=True))
        if len(leaders) != len(set(ids)) or any(u.pk not in allowed for u in leaders):
            raise DomainError(
                "grid.leader_invalid", "片长须为您管理范围内的网格长或管理员账号", field="leaders"
            )
        zone.leaders.set(leaders)
    return zone


@transaction.atomic
def group_save(*, actor: Any, zone_id: Any, values: dict[str, Any], group_id: int | None = None) -> Group:
    if group_id:
        group = selectors.access_group(actor, group_id, Perm.GRID_CHANGE)
        zone = group.zone
    else:
        zone = _zone_for_change(actor, zone_id)
        group = Group(zone=zone)
    code = _required(values, "code", "组编号", 30)
    name = _required(values, "name", "组名称", 80)
    if Group.objects.filter(zone=zone, code=code).exclude(pk=group.pk).exists():
        raise ConflictError("grid.group_code_exists", f"本片区已有编号为{code}的组", field="code")
    team = None
    if values.get("team") not in (None, ""):
        team = (
            ServiceTeam.objects.filter(zone=zone, pk=int(str(values["team"]))).first()
            if str(values["team"]).isdigit()
            else None
        )
        if team is None:
            raise DomainError("grid.team_invalid", "请选择本片区的服务团队", field="team")
    group.code, group.name, group.team = code, name, team
    group.leader = _member(actor, values.get("leader"), "leader", zone)
    group.save()
    return group


@transaction.atomic
def team_save(*, actor: Any, zone_id: Any, values: dict[str, Any], team_id: int | None = None) -> ServiceTeam:
    if team_id:
        team = selectors.access_team(actor, team_id, Perm.GRID_CHANGE)
        zone = team.zone
    else:
        zone = _zone_for_change(actor, zone_id)
        team = ServiceTeam(zone=zone)
    team.name = _required(values, "name", "团队名称", 80)
    team.speciality = _text(values, "speciality", 120)
    team.leader = _member(actor, values.get("leader"), "leader", zone)
    team.save()
    if "members" in values:
        raw = values.get("members") or []
        ids = [
            int(x)
            for x in (raw if isinstance(raw, list | tuple) else str(raw).split(","))
            if str(x).strip().isdigit()
        ]
        members = list(selectors.liaison_candidates(actor, zone).filter(pk__in=ids))
        if len(members) != len(set(ids)):
            raise DomainError("grid.member_scope", "队员须为您管理范围内的党员", field="members")
        team.members.set(members)
    return team


# --- households and residents ---------------------------------------------------------------------


def _phone(values: dict[str, Any], key: str) -> str:
    return normalize_phone(str(values.get(key) or ""), field=key)


def next_household_code(zone: Zone, group: Group) -> str:
    """The next free "片区编号-组编号-序号" code of a group. Call it inside a transaction: the group's
    row is locked (select_for_update) so two registrations in one group wait for each other on
    PostgreSQL; the save that follows still retries on a unique-code collision (`household_save`)."""
    Group.objects.select_for_update().filter(pk=group.pk).values_list("pk", flat=True).first()
    prefix = f"{zone.code}-{group.code}-"
    taken = set(Household.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = len(taken) + 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"


CODE_ATTEMPTS = 5


def _save_household(household: Household, zone: Zone, group: Group, *, auto_code: bool) -> None:
    """Saves inside a savepoint. A unique-code collision with a concurrent registration is retried with
    the next free code when the code was generated, and refused as a conflict when it was typed."""
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                household.save()
        except IntegrityError:
            if not auto_code or not Household.objects.filter(code=household.code).exists():
                raise
            household.code = next_household_code(zone, group)
        else:
            return
    raise ConflictError("grid.household_code_busy", "户编号分配冲突，请稍后重试", field="code")


@transaction.atomic
def household_save(*, actor: Any, values: dict[str, Any], household_id: int | None = None) -> Household:
    """Registers or edits a household; the zone and group must be the actor's to change."""
    if household_id:
        household = selectors.access_household(actor, household_id, Perm.GRID_CHANGE, lock=True)
        zone = (
            household.zone
            if values.get("zone") in (None, "") or str(values.get("zone")) == str(household.zone_id)
            else _zone_for_change(actor, values.get("zone"))
        )
    else:
        zone = _zone_for_change(actor, values.get("zone"))
        household = Household(zone=zone)
    raw_group = str(values.get("group") or "")
    group = Group.objects.filter(zone=zone, pk=int(raw_group)).first() if raw_group.isdigit() else None
    if group is None:
        raise DomainError("grid.group_invalid", "请选择本片区的服务组", field="group")
    address = _required(values, "address", "住址", 160)
    head_name = _required(values, "head_name", "户主姓名", 50)
    typed = _text(values, "code", 40).upper()
    auto_code = not typed and household.pk is None
    code = typed or (household.code if household.pk else next_household_code(zone, group))
    if not auto_code and Household.objects.filter(code=code).exclude(pk=household.pk).exists():
        raise ConflictError("grid.household_code_exists", f"户编号{code}已被使用", field="code")
    household.zone, household.group, household.org_path = zone, group, zone.org_path
    household.code, household.address, household.head_name = code, address, head_name
    household.phone = _phone(values, "phone")
    household.note = _text(values, "note", 200)
    household.is_active = _flag(values.get("is_active"), True) if household_id else True
    if not household_id and values.get("liaison") not in (None, ""):
        household.liaison = _member(actor, values.get("liaison"), "liaison", zone)
    try:
        _save_household(household, zone, group, auto_code=auto_code)
    except IntegrityError:
        # A typed code taken by a concurrent registration between the check above and the save.
        raise ConflictError(
            "grid.household_code_exists", f"户编号{household.code}已被使用", field="code"
        ) from None
    return household


@transaction.atomic
def household_set_active(*, actor: Any, household_id: Any, active: bool) -> Household:
    """Registers a household as moved out (迁出: no longer counted in the coverage), or back in."""
    household = selectors.access_household(actor, household_id, Perm.GRID_CHANGE, lock=True)
    if household.is_active != active:
        household.is_active = active
        household.save(update_fields=["is_active"])
    return household


def clean_tags(raw: Any) -> str:
    items = (
        raw
        if isinstance(raw, list | tuple)
        else str(raw or "").replace("，", ",").replace("、", ",").split(",")
    )
    labels = {label: value for value, label in VulnerableTag.choices}
    codes = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        code = text if text in VulnerableTag.values else labels.get(text)
        if code is None:
            raise DomainError("grid.tag_invalid", f"“{text}”不是可选的关爱标签", field="tags")
        if code not in codes:
            codes.append(code)
    return f",{','.join(codes)}," if codes else ""


@transaction.atomic
def resident_save(
    *, actor: Any, household_id: Any, values: dict[str, Any], resident_id: int | None = None
) -> Resident:
    if resident_id:
        resident = selectors.access_resident(actor, resident_id, Perm.GRID_CHANGE)
        if str(resident.household_id) != str(household_id):
            raise Http404("居民不存在")
    else:
        household = selectors.access_household(actor, household_id, Perm.GRID_CHANGE)
        resident = Resident(household=household)
    resident.name = _required(values, "name", "姓名", 50)
    resident.relation = _text(values, "relation", 20) or "户主"
    resident.phone = _phone(values, "phone")
    raw_year = str(values.get("birth_year") or "").strip()
    if raw_year:
        if not raw_year.isdigit() or not 1900 <= int(raw_year) <= timezone.localdate().year:
            raise DomainError("grid.birth_year", "出生年份应为1900年至今年之间的四位数字", field="birth_year")
        resident.birth_year = int(raw_year)
    else:
        resident.birth_year = None
    resident.tags = clean_tags(values.get("tags"))
    resident.save()
    return resident


@transaction.atomic
def resident_delete(*, actor: Any, resident_id: Any, household_id: int | None = None) -> Household:
    resident = selectors.access_resident(actor, resident_id, Perm.GRID_CHANGE)
    household = resident.household
    if household_id is not None and household.pk != household_id:
        raise Http404
    resident.delete()
    return household


# --- liaisons -------------------------------------------------------------------------------------


@dataclass
class LiaisonResult:
    changed: int
    member: Member | None
    total: int  # households the liaison keeps now
    warning: str = ""


@transaction.atomic
def liaison_assign(*, actor: Any, household_ids: list[int], member_id: Any) -> LiaisonResult:
    """Links households to a liaison member (or unlinks them with member_id None). The member must be
    within the actor's scope; a liaison going over the limit is allowed, with a warning."""
    ids = sorted({int(x) for x in household_ids})
    if not ids:
        raise DomainError("grid.no_households", "请选择住户", field="households")
    households = list(
        Household.objects.select_for_update()
        .filter(pk__in=selectors.households_for(actor, Perm.GRID_CHANGE).filter(pk__in=ids).values("pk"))
        .order_by("pk")
    )
    if len(households) != len(ids):
        raise Http404("住户不存在")
    zones = {h.zone_id for h in households}
    zone = Zone.objects.get(pk=households[0].zone_id) if len(zones) == 1 else None
    member = _member(actor, member_id, "liaison", zone) if member_id not in (None, "") else None
    changed = Household.objects.filter(pk__in=ids).exclude(liaison=member).update(liaison=member)
    if member is None:
        return LiaisonResult(changed=changed, member=None, total=0)
    total = Household.objects.filter(liaison=member, is_active=True).count()
    limit = selectors.liaison_limit()
    warning = (
        f"{member.name}现联系{total}户，超过每名党员联系{limit}户左右的要求，请考虑调整。"
        if total > limit
        else ""
    )
    return LiaisonResult(changed=changed, member=member, total=total, warning=warning)


# --- visits ---------------------------------------------------------------------------------------


def _visit_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    elif value in (None, ""):
        raise DomainError("grid.date_required", "请填写走访日期", field="visited_on")
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise DomainError(
                "grid.date_invalid", "走访日期格式不正确（例如2024-03-01）", field="visited_on"
            ) from None
    today = timezone.localdate()
    if day > today:
        raise DomainError("grid.date_future", "走访日期不能晚于今天", field="visited_on")
    if day < today - dt.timedelta(days=366):
        raise DomainError("grid.date_old", "只能补记一年内的走访", field="visited_on")
    return day


@transaction.atomic
def visit_record(*, actor: Any, household_id: Any, values: dict[str, Any]) -> Visit:
    """A visit-log entry (民情日志); the household's last visit moves to the latest visit date."""
    household = selectors.access_visitable(actor, household_id, lock=True)
    day = _visit_date(values.get("visited_on"))
    kind = str(values.get("kind") or VisitKind.HOME)
    if kind not in VisitKind.values:
        raise DomainError("grid.kind_invalid", "请选择走访方式", field="kind")
    content = str(values.get("content") or "").strip()
    if not content:
        raise DomainError("grid.content_required", "请填写走访情况", field="content")
    if len(content) > 2000:
        raise DomainError("grid.content_long", "走访情况不超过2000字", field="content")
    scope = get_scope(actor)
    liaison_id = scope.member_id if scope.member_id is not None else household.liaison_id
    visit = Visit.objects.create(
        household=household,
        liaison_id=liaison_id,
        visited_on=day,
        kind=kind,
        content=content,
        needs=_text(values, "needs", 500),
        created_by_id=getattr(actor, "pk", None),
    )
    if household.last_visited_on is None or day > household.last_visited_on:
        Household.objects.filter(pk=household.pk).update(last_visited_on=day)
    return visit


@transaction.atomic
def visit_delete(*, actor: Any, visit_id: Any) -> Household:
    """Removes a mistaken entry (its author or whoever may change the household) and recomputes the
    household's last visit."""
    visit = (
        Visit.objects.select_related("household").filter(pk=int(visit_id)).first()
        if str(visit_id).isdigit()
        else None
    )
    if visit is None:
        raise Http404("走访记录不存在")
    household = selectors.access_household(actor, visit.household_id, lock=True)
    if visit.created_by_id != getattr(actor, "pk", None) and not selectors.can_change_household(
        actor, household
    ):
        raise Http404("走访记录不存在")
    visit.delete()
    latest = (
        Visit.objects.filter(household_id=household.pk)
        .order_by("-visited_on")
        .values_list("visited_on", flat=True)
        .first()
    )
    Household.objects.filter(pk=household.pk).update(last_visited_on=latest)
    return household


# --- personal data --------------------------------------------------------------------------------


def reveal_phone(*, actor: Any, household_id: Any, resident_id: Any = None) -> str:
    """The unmasked phone of a household (or one of its residents) the actor may see; always logged."""
    household = selectors.access_household(actor, household_id)
    if resident_id not in (None, ""):
        resident = (
            Resident.objects.filter(household=household, pk=int(str(resident_id))).first()
            if str(resident_id).isdigit()
            else None
        )
        if resident is None:
            raise Http404("居民不存在")
        value, label, target_type, target_id = resident.phone, resident.name, "grid.resident", resident.pk
    else:
        value, label, target_type, target_id = household.phone, str(household), "grid.household", household.pk
    log_access(
        user=actor,
        action=AccessAction.REVEAL_PHONE,
        target_type=target_type,
        target_id=target_id,
        target_label=label,
        org_path=household.org_path,
    )
    return value
