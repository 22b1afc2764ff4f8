from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from apps.core.errors import DomainError
from apps.core.scoping import Perm, get_scope
from apps.members.selectors import access_member
from apps.pioneer.models import ItemSource, ManualScore, MonthlyPublication, PioneerItem


@transaction.atomic
def manual_score_add(
    *, actor: Any, member_id: int, item_id: int, month: dt.date, points: Any, reason: str
) -> ManualScore:
    """A manual item for a member, with the reason; points beyond the item's sign are refused."""
    member = access_member(actor, member_id, Perm.MEMBERS_CHANGE)
    item = PioneerItem.objects.filter(pk=item_id, source=ItemSource.MANUAL, is_active=True).first()
    if item is None:
        raise DomainError("pioneer.item_invalid", "请选择人工登记的项目", field="item")
    try:
        value = Decimal(str(points))
    except InvalidOperation:
        raise DomainError("pioneer.points_invalid", "分值应为数字", field="points") from None
    if value == 0 or (value > 0) != (item.points > 0) or abs(value) > abs(item.points) * 10:
        raise DomainError(
            "pioneer.points_range",
            f"“{item.name}”为{'加' if item.points > 0 else '扣'}分项，分值不超过{abs(item.points) * 10}",
            field="points",
        )
    if not reason.strip():
        raise DomainError("pioneer.reason_required", "请填写事由", field="reason")
    start = month.replace(day=1)
    if start > timezone.localdate():
        raise DomainError("pioneer.month_future", "不能为未来月份记分", field="month")
    return ManualScore.objects.create(
        member=member,
        item=item,
        month=start,
        points=value,
        reason=reason.strip()[:200],
        recorded_by_id=getattr(actor, "pk", None),
    )


@transaction.atomic
def item_update(*, actor: Any, item_id: int, points: Any, monthly_cap: Any, is_active: bool) -> PioneerItem:
    if not get_scope(actor).has(Perm.REQUIREMENTS_EDIT):
        raise Http404
    item = PioneerItem.objects.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise Http404
    try:
        item.points = Decimal(str(points))
        item.monthly_cap = Decimal(str(monthly_cap)) if str(monthly_cap).strip() else None
    except InvalidOperation:
        raise DomainError("pioneer.points_invalid", "分值应为数字", field="points") from None
    if item.monthly_cap is not None and item.monthly_cap <= 0:
        raise DomainError("pioneer.cap_invalid", "每月上限应大于0", field="monthly_cap")
    item.is_active = is_active
    item.save()
    return item


@transaction.atomic
def publish_month(*, actor: Any, org_id: int, month: dt.date) -> MonthlyPublication:
    """Publishes the branch's ranking of `month` as it stands; publishing again replaces the snapshot
    (a correction) and counts the revision."""
    from apps.orgs.selectors import access_org
    from apps.pioneer.selectors import branch_scores

    org = access_org(actor, org_id, Perm.MEMBERS_CHANGE)
    if not org.is_branch:
        raise DomainError("pioneer.org_type", "先锋指数由党支部按月公示", field="org")
    start = month.replace(day=1)
    today = timezone.localdate()
    if start > today:
        raise DomainError("pioneer.month_future", "不能公示未来月份的得分", field="month")
    _items, scores = branch_scores(org, start.year, start.month, today=today)
    snapshot = [
        {"member_id": s.member_id, "name": s.name, "total": str(s.total), "rank": s.rank} for s in scores
    ]
    publication = MonthlyPublication.objects.select_for_update().filter(org=org, month=start).first()
    if publication is None:
        return MonthlyPublication.objects.create(
            org=org, month=start, scores=snapshot, published_by_id=getattr(actor, "pk", None)
        )
    publication.scores, publication.published_by_id = snapshot, getattr(actor, "pk", None)
    publication.revisions += 1
    publication.save()
    return publication
