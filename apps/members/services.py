"""Every change to a member's record goes through these services; history rows record who and when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apps.core import crypto
from apps.core.audit import log_access
from apps.core.errors import ConflictError, DomainError
from apps.core.history import stamp
from apps.core.identity import name_pinyin
from apps.core.masking import mask_citizen_id
from apps.core.models import AccessAction
from apps.core.scoping import Perm, get_scope
from apps.members.choices import MemberCategory, MemberStatus
from apps.members.models import Member, MemberOrgPeriod
from apps.members.selectors import access_member
from apps.members.validation import CleanMember, validate_member
from apps.orgs.rules import add_years

# Fields copied from a CleanMember onto the row.
PLAIN_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "education",
    "phone",
    "work_unit",
    "position",
    "application_date",
    "activist_date",
    "candidate_date",
    "admission_date",
    "full_membership_date",
    "category",
)


def _require_org_in_scope(actor: Any, clean: CleanMember) -> None:
    if not get_scope(actor).covers_path(Perm.MEMBERS_CHANGE, clean.org.path):
        raise DomainError("member.org_out_of_scope", "您无权在该组织登记或调整党员", field="org")


def _validated(values: dict[str, Any]) -> CleanMember:
    """The clean member, or the first problem found raised as a DomainError."""
    clean, errors = validate_member(values, today=timezone.localdate())
    if errors or clean is None:
        raise errors[0] if errors else DomainError("member.invalid", "党员信息不完整")
    return clean


def apply_clean(member: Member, clean: CleanMember) -> list[str]:
    """Copies clean values onto the row; returns the names of the fields that changed."""
    changed: list[str] = []
    for field in PLAIN_FIELDS:
        value = getattr(clean, field)
        if getattr(member, field) != value:
            setattr(member, field, value)
            changed.append(field)
    digest = crypto.keyed_hash(clean.citizen.number)
    if member.citizen_id_hash != digest:
        member.citizen_id_hash = digest
        member.citizen_id_encrypted = crypto.encrypt(clean.citizen.number)
        member.citizen_id_last4 = clean.citizen.last4
        member.citizen_id_masked = mask_citizen_id(clean.citizen.number)
        changed += ["citizen_id_hash", "citizen_id_encrypted", "citizen_id_last4", "citizen_id_masked"]
    if "name" in changed or not member.name_pinyin:
        member.name_pinyin, member.name_initials = name_pinyin(clean.name)
        changed += ["name_pinyin", "name_initials"]
    if member.status != clean.status:
        member.status = clean.status
        changed.append("status")
    if member.org_id != clean.org.pk:
        member.org = clean.org
        member.org_path = clean.org.path
        changed += ["org", "org_path"]
    group_id = clean.party_group.pk if clean.party_group else None
    if member.party_group_id != group_id:
        member.party_group = clean.party_group
        changed.append("party_group")
    return changed


def member_values(member: Member) -> dict[str, Any]:
    """The member's current values in the shape validate_member takes."""
    values: dict[str, Any] = {field: getattr(member, field) for field in PLAIN_FIELDS}
    values["citizen_id"] = crypto.decrypt(member.citizen_id_encrypted)
    values["org"] = member.org
    values["party_group"] = member.party_group
    return values


@transaction.atomic
def member_create(*, actor: Any, values: dict[str, Any], reason: str = "登记") -> Member:
    clean = _validated(values)
    _require_org_in_scope(actor, clean)
    member = Member()
    apply_clean(member, clean)
    if clean.category != MemberCategory.EMPLOYED:
        member.category_since = timezone.localdate()
    stamp(member, actor, reason)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ConflictError("member.duplicate", "该身份证号已登记为党员", field="citizen_id") from None
    MemberOrgPeriod.objects.create(member=member, org=clean.org, start=clean.admission_date, reason=reason)
    return member


def bulk_register(members: list[Member], cleans: list[CleanMember], user: Any) -> int:
    """Inserts many new members (prepared with apply_clean) with their history and first org period.

    Used by the Excel import and the demo loader; the caller has checked scope and uniqueness.
    """
    if not members:
        return 0
    reason = getattr(members[0], "_change_reason", "登记")
    created = bulk_create_with_history(
        members, Member, batch_size=1000, default_user=user, default_change_reason=reason
    )
    if not all(m.pk for m in created):
        # Backends that return no ids on bulk insert: read them back by the unique hash.
        ids = dict(
            Member.objects.filter(citizen_id_hash__in=[m.citizen_id_hash for m in members]).values_list(
                "citizen_id_hash", "id"
            )
        )
        for m in members:
            m.pk = m.id = ids[m.citizen_id_hash]
    MemberOrgPeriod.objects.bulk_create(
        [
            MemberOrgPeriod(member_id=m.pk, org_id=c.org.pk, start=c.admission_date, reason=reason)
            for m, c in zip(members, cleans, strict=True)
        ],
        batch_size=2000,
    )
    return len(members)


def move_org_period(member: Member, new_org_id: int, on: dt.date, reason: str) -> None:
    """Closes the open period and opens one in the new organization from `on`."""
    open_period = MemberOrgPeriod.objects.select_for_update().filter(member=member, end__isnull=True).first()
    if open_period is not None:
        if on < open_period.start:
            raise DomainError(
                "member.move_before_period", f"调整日期不能早于{open_period.start:%Y-%m-%d}", field="org"
            )
        if on == open_period.start:
            open_period.org_id = new_org_id
            open_period.save(update_fields=["org"])
            return
        open_period.end = on
        open_period.save(update_fields=["end"])
    MemberOrgPeriod.objects.create(member=member, org_id=new_org_id, start=on, reason=reason)


@transaction.atomic
def member_update(
    *,
    actor: Any,
    member_id: int,
    changes: dict[str, Any],
    reason: str = "",
    effective_on: dt.date | None = None,
) -> Member:
    """Applies `changes` (a partial set of fields) after validating the member as a whole."""
    member = access_member(actor, member_id, Perm.MEMBERS_CHANGE)
    member = (
        Member.objects.select_for_update(of=("self",)).select_related("org", "party_group").get(pk=member.pk)
    )
    values = member_values(member) | changes
    clean = _validated(values)
    _require_org_in_scope(actor, clean)
    old_org_id = member.org_id
    if (
        member.citizen_id_hash != crypto.keyed_hash(clean.citizen.number)
        and Member.objects.filter(citizen_id_hash=crypto.keyed_hash(clean.citizen.number))
        .exclude(pk=member.pk)
        .exists()
    ):
        raise ConflictError("member.duplicate", "该身份证号已登记为党员", field="citizen_id")
    changed = apply_clean(member, clean)
    if not changed:
        return member
    if "category" in changed:
        member.category_since = timezone.localdate()
        changed.append("category_since")
    stamp(member, actor, reason or "修改信息")
    member.save(update_fields=[*changed, "updated_at"])
    if member.org_id != old_org_id:
        move_org_period(member, member.org_id, effective_on or timezone.localdate(), reason or "组织调整")
    return member


@transaction.atomic
def member_make_full(*, actor: Any, member_id: int, on: dt.date, reason: str = "") -> Member:
    """Probationary → full member on `on`, at least one year after admission (党章第七条)."""
    member = access_member(actor, member_id, Perm.MEMBERS_CHANGE)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != MemberStatus.PROBATIONARY:
        raise ConflictError("member.not_probationary", "该党员已是正式党员", field="status")
    if on > timezone.localdate():
        raise DomainError("member.date_future", "转正日期不能晚于今天", field="full_membership_date")
    earliest = add_years(member.admission_date, 1)
    if on < earliest:
        raise DomainError(
            "member.probation_short",
            f"预备期为一年：最早可于{earliest:%Y-%m-%d}转正",
            field="full_membership_date",
        )
    member.status = MemberStatus.FULL
    member.full_membership_date = on
    stamp(member, actor, reason or "预备党员转正")
    member.save(update_fields=["status", "full_membership_date", "updated_at"])
    return member


@transaction.atomic
def member_set_category(*, actor: Any, member_id: int, category: str, on: dt.date, reason: str) -> Member:
    """Changes the member's category (在职, 流动, 失联, 停止党籍…) with the date and the reason."""
    member = access_member(actor, member_id, Perm.MEMBERS_CHANGE)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if category not in MemberCategory.values:
        raise DomainError("member.category_invalid", "党员类别不正确", field="category")
    if category == member.category:
        raise ConflictError("member.category_same", "党员类别未变化", field="category")
    if not reason.strip():
        raise DomainError("member.reason_required", "请填写变更原因", field="reason")
    if on > timezone.localdate():
        raise DomainError("member.date_future", "变更日期不能晚于今天", field="on")
    if on < member.admission_date:
        raise DomainError("member.date_before_admission", "变更日期不能早于入党日期", field="on")
    member.category = category
    member.category_since = on
    stamp(member, actor, reason.strip())
    member.save(update_fields=["category", "category_since", "updated_at"])
    return member


def member_reveal(*, actor: Any, member_id: int, field: str) -> str:
    """The unmasked citizen ID or phone of a member the actor may reveal; every call is logged."""
    member = access_member(actor, member_id, Perm.MEMBERS_REVEAL)
    if field == "citizen_id":
        value, action = crypto.decrypt(member.citizen_id_encrypted), AccessAction.REVEAL_CITIZEN_ID
    elif field == "phone":
        value, action = member.phone, AccessAction.REVEAL_PHONE
    else:
        raise DomainError("member.reveal_field", "只能查看身份证号或电话", field="field")
    log_access(
        user=actor,
        action=action,
        target_type="member",
        target_id=member.pk,
        target_label=member.name,
        org_path=member.org_path,
    )
    return value
