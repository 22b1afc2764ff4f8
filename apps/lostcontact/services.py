"""Opening a lost-contact case, recording the search, and the outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from apps.core.errors import ConflictError, DomainError
from apps.core.history import stamp
from apps.core.scoping import Perm, get_scope
from apps.lostcontact.models import CaseState, FollowUp, LostContactCase
from apps.members.choices import INACTIVE_CATEGORIES, MemberCategory
from apps.members.models import Member
from apps.members.selectors import access_member
from apps.orgs.rules import add_years

REMOVAL_YEARS = 2


def access_case(actor: Any, case_id: int, *, lock: bool = False) -> LostContactCase:
    qs = LostContactCase.objects.filter(get_scope(actor).org_q(Perm.MEMBERS_CHANGE, "org_path"), pk=case_id)
    case = (qs.select_for_update() if lock else qs.select_related("member")).first()
    if case is None:
        raise Http404("记录不存在")
    return case


def _set_category(member: Member, actor: Any, category: str, on: dt.date, reason: str) -> None:
    member.category, member.category_since = category, on
    stamp(member, actor, reason)
    member.save(update_fields=["category", "category_since", "updated_at"])


def _day(on: dt.date | None) -> dt.date:
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise DomainError("lost.date_future", "日期不能晚于今天", field="on")
    return day


@transaction.atomic
def case_open(*, actor: Any, member_id: int, reason: str, on: dt.date | None = None) -> LostContactCase:
    """Registers a member as out of contact (category 失联) and opens the search."""
    member = access_member(actor, member_id, Perm.MEMBERS_CHANGE)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.category in INACTIVE_CATEGORIES or member.category == MemberCategory.SUSPENDED:
        raise DomainError("lost.member_inactive", "该党员不在册或已停止党籍", field="member")
    if not reason.strip():
        raise DomainError("lost.reason_required", "请填写失联情形", field="reason")
    day = _day(on)
    try:
        with transaction.atomic():
            case = LostContactCase.objects.create(
                member=member, org_path=member.org_path, opened_on=day, reason=reason.strip()[:200], previous_category=member.category,
                opened_by_id=getattr(actor, "pk", None),
            )  # fmt: skip
    except IntegrityError:
        raise ConflictError("lost.case_open", "该党员已在失联查找中", field="member") from None
    if member.category != MemberCategory.LOST_CONTACT:
        _set_category(member, actor, MemberCategory.LOST_CONTACT, day, f"登记失联：{case.reason}")
    return case


@transaction.atomic
def follow_up(*, actor: Any, case_id: int, action: str, note: str, on: dt.date | None = None) -> FollowUp:
    case = access_case(actor, case_id, lock=True)
    if case.state != CaseState.OPEN:
        raise DomainError("lost.case_closed", "该查找已结案", field="state")
    if not action.strip() or not note.strip():
        raise DomainError("lost.follow_up_required", "请填写查找方式和结果", field="note")
    day = _day(on)
    if day < case.opened_on:
        raise DomainError("lost.date_before", "跟进日期不能早于登记失联日期", field="on")
    return FollowUp.objects.create(
        case=case,
        on=day,
        action=action.strip()[:60],
        note=note.strip()[:300],
        by_id=getattr(actor, "pk", None),
    )


@transaction.atomic
def case_resolve(*, actor: Any, case_id: int, note: str, on: dt.date | None = None) -> LostContactCase:
    """Contact restored: the member returns to their former category."""
    case = access_case(actor, case_id, lock=True)
    if case.state != CaseState.OPEN:
        raise DomainError("lost.case_closed", "该查找已结案", field="state")
    day = _day(on)
    follow_up(actor=actor, case_id=case.pk, action="恢复联系", note=note or "已取得联系", on=day)
    member = Member.objects.select_for_update().get(pk=case.member_id)
    _set_category(member, actor, case.previous_category, day, "恢复联系")
    case.state, case.closed_on = CaseState.RESOLVED, day
    case.save(update_fields=["state", "closed_on"])
    return case


@transaction.atomic
def case_suspend(*, actor: Any, case_id: int, decision: str, on: dt.date | None = None) -> LostContactCase:
    """The organization decides to suspend the membership after six months without contact."""
    from apps.development.rules import add_months

    case = access_case(actor, case_id, lock=True)
    if case.state != CaseState.OPEN:
        raise DomainError("lost.case_closed", "该查找已结案", field="state")
    day = _day(on)
    earliest = add_months(case.opened_on, 6)
    if day < earliest:
        raise DomainError("lost.too_early", f"失联满6个月方可停止党籍：{earliest:%Y-%m-%d}起", field="on")
    if not case.follow_ups.exists():
        raise DomainError("lost.no_search", "停止党籍前须有查找记录", field="note")
    if not decision.strip():
        raise DomainError("lost.decision_required", "请填写党组织决定（会议与文号）", field="note")
    follow_up(actor=actor, case_id=case.pk, action="停止党籍", note=decision, on=day)
    member = Member.objects.select_for_update().get(pk=case.member_id)
    _set_category(member, actor, MemberCategory.SUSPENDED, day, f"停止党籍：{decision.strip()}")
    case.state, case.closed_on, case.removal_due = CaseState.SUSPENDED, day, add_years(day, REMOVAL_YEARS)
    case.save(update_fields=["state", "closed_on", "removal_due"])
    return case
