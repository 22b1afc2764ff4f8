"""Every change to the organization tree goes through these services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.history import stamp
from apps.core.identity import name_pinyin
from apps.core.scoping import Perm, get_scope
from apps.orgs.choices import ALLOWED_CHILDREN, CommitteeRole, OrgType
from apps.orgs.models import SEGMENT, CommitteeMember, Organization, OrgMove, encode_segment
from apps.orgs.selectors import access_org

EDITABLE_FIELDS = (
    "name",
    "short_name",
    "org_type",
    "unit_kind",
    "unit_name",
    "founded_on",
    "formation_mode",
    "last_election_on",
    "end_date",
    "star_rating",
    "is_demonstration",
    "is_strongest_branch",
    "contact_phone",
    "address",
)


def _check_child_type(parent: Organization | None, org_type: str) -> None:
    if org_type not in OrgType.values:
        raise DomainError("org.type_invalid", "组织类别不正确", field="org_type")
    if parent is None:
        if org_type != OrgType.WORKING_COMMITTEE:
            raise DomainError("org.root_type", "顶级组织只能是党工委", field="org_type")
        return
    if org_type not in ALLOWED_CHILDREN.get(parent.org_type, frozenset()):
        raise DomainError(
            "org.child_type",
            f"{OrgType(parent.org_type).label}下不能设立{OrgType(org_type).label}",
            field="org_type",
        )


def _check_fields(values: dict[str, Any], today: dt.date) -> None:
    name = (values.get("name") or "").strip()
    if not name:
        raise DomainError("org.name_required", "请填写组织名称", field="name")
    founded = values.get("founded_on")
    if founded and founded > today:
        raise DomainError("org.founded_future", "成立日期不能晚于今天", field="founded_on")
    elected = values.get("last_election_on")
    if elected and elected > today:
        raise DomainError("org.election_future", "换届日期不能晚于今天", field="last_election_on")
    if elected and founded and elected < founded:
        raise DomainError(
            "org.election_before_founding", "换届日期不能早于成立日期", field="last_election_on"
        )
    star = values.get("star_rating")
    if star is not None and not 1 <= int(star) <= 5:
        raise DomainError("org.star_range", "星级应为1至5", field="star_rating")
    if values.get("org_type") == OrgType.TEMP_BRANCH and not values.get("end_date"):
        raise DomainError("org.temp_end_required", "临时党支部须填写期满日期", field="end_date")


@transaction.atomic
def org_create(*, actor: Any, parent_id: int | None, values: dict[str, Any]) -> Organization:
    """Creates an organization under `parent_id` (which the actor must be able to change)."""
    scope = get_scope(actor)
    today = timezone.localdate()
    parent: Organization | None = None
    if parent_id is None:
        if not scope.is_superuser:
            raise DomainError("org.parent_required", "请选择上级组织", field="parent")
    else:
        parent = access_org(actor, parent_id, Perm.ORGS_CHANGE)
        parent = Organization.objects.select_for_update().get(pk=parent.pk)
    _check_child_type(parent, values.get("org_type", ""))
    _check_fields(values, today)
    org = Organization(
        parent=parent, depth=(parent.depth + 1) if parent else 1, path=f"tmp-{timezone.now().timestamp()}"
    )
    for field in EDITABLE_FIELDS:
        if field in values:
            setattr(org, field, values[field])
    org.name = org.name.strip()
    org.name_pinyin, org.name_initials = name_pinyin(org.name)
    stamp(org, actor, "新建组织")
    org.save()
    org.path = (parent.path if parent else "") + encode_segment(org.pk)
    Organization.objects.filter(pk=org.pk).update(path=org.path)
    return org


@transaction.atomic
def org_update(*, actor: Any, org_id: int, values: dict[str, Any], reason: str = "") -> Organization:
    org = access_org(actor, org_id, Perm.ORGS_CHANGE)
    org = Organization.objects.select_for_update().get(pk=org.pk)
    merged = {f: getattr(org, f) for f in EDITABLE_FIELDS} | values
    if merged["org_type"] != org.org_type:
        _check_child_type(org.parent, merged["org_type"])
        for child_type in (
            Organization.objects.filter(parent=org).values_list("org_type", flat=True).distinct()
        ):
            if child_type not in ALLOWED_CHILDREN.get(merged["org_type"], frozenset()):
                raise DomainError("org.type_children", "已有下级组织不允许改为该类别", field="org_type")
    _check_fields(merged, timezone.localdate())
    changed = [f for f in EDITABLE_FIELDS if f in values and getattr(org, f) != values[f]]
    if not changed:
        return org
    for field in changed:
        setattr(org, field, values[field])
    if "name" in changed:
        org.name = org.name.strip()
        org.name_pinyin, org.name_initials = name_pinyin(org.name)
        changed += ["name_pinyin", "name_initials"]
    stamp(org, actor, reason)
    org.save(update_fields=[*changed, "updated_at"])
    return org


@transaction.atomic
def org_move(
    *, actor: Any, org_id: int, new_parent_id: int, effective_on: dt.date | None = None, reason: str = ""
) -> Organization:
    """Re-parents an organization with its whole subtree, keeping the move in the history.

    The actor needs change rights on both the organization and the new parent. Paths of the subtree's
    organizations, and every copy of them on other records (`path_copies`), are rewritten in one UPDATE
    per column.
    """
    org = access_org(actor, org_id, Perm.ORGS_CHANGE)
    new_parent = access_org(actor, new_parent_id, Perm.ORGS_CHANGE)
    locked = list(Organization.objects.select_for_update().filter(pk__in=[org.pk, new_parent.pk]))
    org = next(o for o in locked if o.pk == org.pk)
    new_parent = next(o for o in locked if o.pk == new_parent.pk)
    if org.parent_id is None:
        raise DomainError("org.move_root", "顶级组织不能调整隶属", field="parent")
    if new_parent.path.startswith(org.path):
        raise DomainError("org.move_into_self", "不能调整到本组织或其下级组织之下", field="parent")
    if new_parent.pk == org.parent_id:
        raise DomainError("org.move_same_parent", "新上级与原上级相同", field="parent")
    _check_child_type(new_parent, org.org_type)
    today = timezone.localdate()
    effective_on = effective_on or today
    if effective_on > today:
        raise DomainError("org.move_future", "生效日期不能晚于今天", field="effective_on")
    old_path, new_path = org.path, new_parent.path + encode_segment(org.pk)
    if len(new_path) + (max_subtree_path_length(org) - len(old_path)) > 255:
        raise DomainError("org.move_too_deep", "组织层级过深，无法调整", field="parent")
    depth_delta = new_parent.depth + 1 - org.depth
    old_parent_id = org.parent_id
    cut = len(old_path) + 1
    Organization.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", cut)), depth=F("depth") + depth_delta
    )
    for model, column in path_copies():
        model._default_manager.filter(**{f"{column}__startswith": old_path}).update(
            **{column: Concat(Value(new_path), Substr(column, cut))}
        )
    org.refresh_from_db()
    org.parent = new_parent
    stamp(org, actor, reason or "调整隶属关系")
    org.save(update_fields=["parent", "updated_at"])
    OrgMove.objects.create(
        org=org,
        from_parent_id=old_parent_id,
        to_parent=new_parent,
        effective_on=effective_on,
        moved_by=actor,
        reason=reason,
    )
    return org


PATH_COLUMNS = ("org_path", "from_path", "to_path")
# Copies that must keep the path they had: the access log records where a record stood when it was
# read, and the tallies are moved by their own triggers when the rows they count change path.
PATH_HISTORY = {"core.accesslog", "core.tally"}


def path_copies() -> list[tuple[Any, str]]:
    """Every model column holding a copy of an organization's path (members, meetings, bills, units,
    zones, households, requests, alerts…), found from the models so a new module cannot be missed:
    an organization's move rewrites them all, or its records would stay with the old parent's scope."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if model._meta.label_lower in PATH_HISTORY or model is Organization or model._meta.proxy:
            continue
        for column in PATH_COLUMNS:
            field = next((f for f in model._meta.concrete_fields if f.name == column), None)
            if field is not None and field.get_internal_type() == "CharField":
                found.append((model, column))
    return found


def max_subtree_path_length(org: Organization) -> int:
    longest = (
        Organization.objects.filter(path__startswith=org.path)
        .order_by("-depth")
        .values_list("depth", flat=True)
        .first()
    )
    return (longest or org.depth) * SEGMENT


@transaction.atomic
def committee_member_add(
    *,
    actor: Any,
    org_id: int,
    name: str,
    role: str,
    term_start: dt.date,
    term_end: dt.date | None,
    member_id: int | None,
) -> CommitteeMember:
    org = access_org(actor, org_id, Perm.ORGS_CHANGE)
    if not name.strip():
        raise DomainError("committee.name_required", "请填写姓名", field="name")
    if role not in CommitteeRole.values:
        raise DomainError("committee.role_invalid", "职务不正确", field="role")
    if term_end and term_end < term_start:
        raise DomainError("committee.term_order", "任期结束不能早于任期开始", field="term_end")
    member = None
    if member_id:
        from apps.members.models import Member

        member = Member.objects.filter(pk=member_id, org_path__startswith=org.path).first()
        if member is None:
            raise DomainError("committee.member_outside", "该党员不在本组织", field="member")
    if role == CommitteeRole.SECRETARY:
        overlapping = CommitteeMember.objects.filter(
            org=org, role=CommitteeRole.SECRETARY, term_end__isnull=True
        )
        if overlapping.exists() and term_end is None:
            raise DomainError("committee.one_secretary", "本组织已有在任书记，请先结束其任期", field="role")
    return CommitteeMember.objects.create(
        org=org, member=member, name=name.strip(), role=role, term_start=term_start, term_end=term_end
    )


@transaction.atomic
def committee_member_end(*, actor: Any, seat_id: int, term_end: dt.date) -> CommitteeMember:
    seat = CommitteeMember.objects.select_related("org").filter(pk=seat_id).first()
    if seat is None:
        raise DomainError("committee.not_found", "记录不存在", status=404)
    access_org(actor, seat.org_id, Perm.ORGS_CHANGE)
    if term_end < seat.term_start:
        raise DomainError("committee.term_order", "任期结束不能早于任期开始", field="term_end")
    seat.term_end = term_end
    seat.save(update_fields=["term_end"])
    return seat
