"""Every step of a transfer. The sending side requests and issues; the receiving side confirms.

A member is in exactly one organization at every moment: the move happens on the date of receipt,
closing one MemberOrgPeriod and opening the next; until then the sending organization stays responsible.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from apps.core import crypto
from apps.core.errors import ConflictError, DomainError
from apps.core.scoping import Perm, get_scope
from apps.core.workflow import move
from apps.members.choices import INACTIVE_CATEGORIES, MemberCategory
from apps.members.models import Member
from apps.members.selectors import access_member
from apps.members.validation import MEMBER_HOLDING_TYPES
from apps.orgs.models import Organization
from apps.transfers.flow import TRANSFER_FLOW
from apps.transfers.models import Transfer, TransferKind


def transfers_for(actor: Any) -> Any:
    scope = get_scope(actor)
    return Transfer.objects.filter(
        scope.org_q(Perm.MEMBERS_CHANGE, "from_path") | scope.org_q(Perm.MEMBERS_CHANGE, "to_path")
    )


def access_transfer(actor: Any, transfer_id: int, *, side: str | None = None, lock: bool = False) -> Transfer:
    """The transfer if the actor manages its sending or receiving organization (`side` narrows to one)."""
    scope = get_scope(actor)
    sending = scope.org_q(Perm.MEMBERS_CHANGE, "from_path") & ~Q(from_path="")
    receiving = scope.org_q(Perm.MEMBERS_CHANGE, "to_path") & ~Q(to_path="")
    condition = sending if side == "from" else receiving if side == "to" else (sending | receiving)
    qs = Transfer.objects.filter(condition, pk=transfer_id)
    found = (qs.select_for_update() if lock else qs.select_related("member", "from_org", "to_org")).first()
    if found is None:
        raise Http404("转接记录不存在")
    return found


def _target_org(org_id: int) -> Organization:
    """Any organization of the zone that holds members may receive a member, in or out of the actor's scope."""
    org = Organization.objects.filter(pk=org_id, is_active=True, org_type__in=MEMBER_HOLDING_TYPES).first()
    if org is None:
        raise DomainError("transfer.to_org", "接收组织不存在或不是党支部", field="to_org")
    return org


def _check_member_free(member: Member) -> None:
    if member.category in INACTIVE_CATEGORIES:
        raise DomainError("transfer.member_inactive", "该党员已不在册，不能办理转接", field="member")
    if Transfer.objects.filter(member=member, state__in=("requested", "issued")).exists():
        raise ConflictError("transfer.open_exists", "该党员已有正在办理的转接", field="member")


def _create(**fields: Any) -> Transfer:
    try:
        with transaction.atomic():
            return Transfer.objects.create(**fields)
    except IntegrityError:
        raise ConflictError("transfer.open_exists", "该党员已有正在办理的转接", field="member") from None


@transaction.atomic
def transfer_request(
    *, actor: Any, member_id: int, reason: str, to_org_id: int | None = None, to_external: str = ""
) -> Transfer:
    """Starts a transfer of a member of the actor's scope: within the zone (to_org_id) or out of it (to_external)."""
    member = access_member(actor, member_id, Perm.MEMBERS_CHANGE)
    _check_member_free(member)
    if not reason.strip():
        raise DomainError("transfer.reason_required", "请填写转接原因", field="reason")
    if to_org_id:
        target = _target_org(to_org_id)
        if target.pk == member.org_id:
            raise DomainError("transfer.same_org", "接收组织与所在组织相同", field="to_org")
        kind, to_fields = TransferKind.WITHIN, {"to_org": target, "to_path": target.path}
    elif to_external.strip():
        kind, to_fields = TransferKind.OUT, {"to_external": to_external.strip()[:120]}
    else:
        raise DomainError("transfer.to_required", "请选择区内接收组织或填写区外接收单位", field="to_org")
    return _create(
        kind=kind, member=member, person_name=member.name, from_org=member.org, from_path=member.org_path, reason=reason.strip()[:200],
        requested_on=timezone.localdate(), due_date=None, created_by_id=getattr(actor, "pk", None), **to_fields,
    )  # fmt: skip


@transaction.atomic
def transfer_register_in(
    *,
    actor: Any,
    to_org_id: int,
    from_external: str,
    external_number: str,
    person: dict[str, Any],
    reason: str = "转入",
) -> Transfer:
    """A member arriving from outside the zone with a letter: validated now, registered on receipt."""
    from apps.members.validation import validate_member
    from apps.orgs.selectors import access_org

    org = access_org(actor, to_org_id, Perm.MEMBERS_CHANGE)
    if not from_external.strip():
        raise DomainError("transfer.from_required", "请填写转出单位", field="from_external")
    clean, errors = validate_member({**person, "org": org, "party_group": None}, today=timezone.localdate())
    if errors or clean is None:
        raise errors[0] if errors else DomainError("transfer.person_invalid", "人员信息不完整")
    if Member.objects.filter(citizen_id_hash=crypto.keyed_hash(clean.citizen.number)).exists():
        raise ConflictError(
            "transfer.already_member", "该身份证号已在本区登记为党员，请办理区内转接", field="citizen_id"
        )
    stored = {
        k: (v.isoformat() if isinstance(v, dt.date) else v)
        for k, v in person.items()
        if k not in {"org", "party_group"}
    }
    stored["citizen_id"] = crypto.encrypt(clean.citizen.number)
    return _create(
        kind=TransferKind.IN, person_name=clean.name, incoming=stored, from_external=from_external.strip()[:120], to_org=org,
        to_path=org.path, reason=reason.strip()[:200] or "转入", requested_on=timezone.localdate(),
        external_number=external_number.strip()[:40], created_by_id=getattr(actor, "pk", None),
    )  # fmt: skip


def _next_number(year: int) -> str:
    prefix = f"开组转〔{year}〕"
    last = (
        Transfer.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last[len(prefix) : -1]) + 1 if last else 1
    return f"{prefix}{seq:05d}号"


@transaction.atomic
def transfer_issue(*, actor: Any, transfer_id: int, dues_paid_to: dt.date, valid_days: int = 90) -> Transfer:
    """The sending organization issues the numbered introduction letter."""
    access_transfer(actor, transfer_id, side="from")
    t = access_transfer(actor, transfer_id, side="from", lock=True)
    if not 10 <= valid_days <= 180:
        raise DomainError("transfer.valid_days", "有效期应为10至180天", field="valid_days")
    if dues_paid_to > timezone.localdate():
        raise DomainError("transfer.dues_future", "党费交至月份不能晚于本月", field="dues_paid_to")
    move(t, TRANSFER_FLOW, "issue", actor=actor)
    today = timezone.localdate()
    t.number, t.issued_on, t.dues_paid_to, t.valid_days = (
        _next_number(today.year),
        today,
        dues_paid_to.replace(day=1),
        valid_days,
    )
    t.save(update_fields=["state", "due_date", "number", "issued_on", "dues_paid_to", "valid_days"])
    return t


@transaction.atomic
def transfer_receive(*, actor: Any, transfer_id: int, on: dt.date | None = None) -> Transfer:
    """The receiving organization confirms receipt: the member moves (within) or is registered (in)."""
    access_transfer(actor, transfer_id, side="to")
    t = access_transfer(actor, transfer_id, side="to", lock=True)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError("transfer.date_future", "接收日期不能晚于今天", field="on")
    if t.kind == TransferKind.WITHIN:
        if t.issued_on and on < t.issued_on:
            raise DomainError("transfer.date_before", "接收日期不能早于介绍信开具日期", field="on")
        move(t, TRANSFER_FLOW, "receive", actor=actor, on=on)
        _move_member(t, on, actor)
    elif t.kind == TransferKind.IN:
        move(t, TRANSFER_FLOW, "receive_in", actor=actor, on=on)
        t.member = _register_incoming(t, actor)
    else:
        raise DomainError("transfer.kind", "转出本区的转接由本区组织登记回执", field="kind")
    t.completed_on = on
    t.save(update_fields=["state", "due_date", "completed_on", "member"])
    return t


def _move_member(t: Transfer, on: dt.date, actor: Any) -> None:
    from apps.core.history import stamp
    from apps.members.services import move_org_period

    if t.member_id is None or t.to_org is None:
        raise DomainError("transfer.to_org", "接收组织不存在", field="to_org")
    member = Member.objects.select_for_update().get(pk=t.member_id)
    move_org_period(member, t.to_org.pk, on, f"组织关系转接{t.number}")
    member.org, member.org_path, member.party_group = t.to_org, t.to_org.path, None
    stamp(member, actor, f"组织关系转入{t.to_org.name}（{t.number}）")
    member.save(update_fields=["org", "org_path", "party_group", "updated_at"])


def _register_incoming(t: Transfer, actor: Any) -> Member:
    from apps.members.services import member_create

    values = dict(t.incoming)
    values["citizen_id"] = crypto.decrypt(values["citizen_id"])
    for key in ("admission_date", "full_membership_date", "application_date"):
        if values.get(key):
            values[key] = dt.date.fromisoformat(values[key])
    values.update({"org": t.to_org, "party_group": None})
    return member_create(
        actor=actor, values=values, reason=f"由{t.from_external}转入（来函{t.external_number}）"
    )


@transaction.atomic
def transfer_confirm_receipt(*, actor: Any, transfer_id: int, on: dt.date | None = None) -> Transfer:
    """For a transfer out of the zone, the sending side records the returned receipt: the member leaves the roll."""
    from apps.core.history import stamp

    access_transfer(actor, transfer_id, side="from")
    t = access_transfer(actor, transfer_id, side="from", lock=True)
    if t.kind != TransferKind.OUT:
        raise DomainError("transfer.kind", "区内转接由接收组织确认接收", field="kind")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise DomainError("transfer.date_future", "回执日期不能晚于今天", field="on")
    if t.member_id is None:
        raise DomainError("transfer.member", "转接记录缺少党员", field="member")
    move(t, TRANSFER_FLOW, "confirm_receipt", actor=actor, on=on)
    member = Member.objects.select_for_update().get(pk=t.member_id)
    from apps.members.models import MemberOrgPeriod

    MemberOrgPeriod.objects.filter(member=member, end__isnull=True).update(end=on)
    member.category, member.category_since = MemberCategory.TRANSFERRED_OUT, on
    stamp(member, actor, f"组织关系转出至{t.to_external}（{t.number}）")
    member.save(update_fields=["category", "category_since", "updated_at"])
    t.completed_on = on
    t.save(update_fields=["state", "due_date", "completed_on"])
    return t


@transaction.atomic
def transfer_return(*, actor: Any, transfer_id: int, reason: str) -> Transfer:
    """The receiving organization returns the letter (wrong organization, incomplete papers…)."""
    access_transfer(actor, transfer_id, side="to")
    t = access_transfer(actor, transfer_id, side="to", lock=True)
    move(t, TRANSFER_FLOW, "return", actor=actor, note=reason)
    t.save(update_fields=["state", "due_date"])
    return t


@transaction.atomic
def transfer_cancel(*, actor: Any, transfer_id: int, reason: str) -> Transfer:
    access_transfer(actor, transfer_id)
    t = access_transfer(actor, transfer_id, lock=True)
    move(t, TRANSFER_FLOW, "cancel", actor=actor, note=reason)
    t.save(update_fields=["state", "due_date"])
    return t
