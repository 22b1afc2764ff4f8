"""Every change to dues: bases, bill generation, payments, rebates."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from apps.core.errors import ConflictError, DomainError
from apps.core.scoping import Perm, get_scope
from apps.dues.models import (
    BillStatus,
    DuesBase,
    DuesBill,
    DuesCategory,
    DuesPayment,
    DuesRebate,
    PaymentMethod,
    RebateSpending,
)
from apps.dues.rules import (
    EMPLOYED_BRACKETS,
    FIXED_CATEGORIES,
    FIXED_MINIMUM,
    RETIRED_BRACKETS,
    farmer_amount,
)
from apps.members.choices import MemberCategory
from apps.members.selectors import access_member
from apps.orgs.selectors import access_org

# 《党费收缴、使用和管理的规定》 art. 12: arrears may generally be paid back for up to six months.
BACK_PAYMENT_MONTHS = 6
# Members who no longer pay: expelled, deceased, membership suspended.
NOT_BILLED = (MemberCategory.EXPELLED, MemberCategory.DECEASED, MemberCategory.SUSPENDED)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def _decimal(value: Any, field: str, label: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError("dues.number_invalid", f"{label}应为数字", field=field) from None
    if not number.is_finite():
        raise DomainError("dues.number_invalid", f"{label}应为数字", field=field)
    return number


@transaction.atomic
def dues_base_set(
    *, actor: Any, member_id: int, base: Any, category: str, effective_from: dt.date, note: str = ""
) -> DuesBase:
    """Sets the member's dues base and category from a month on (the yearly review, or a change of income)."""
    member = access_member(actor, member_id, Perm.DUES_MANAGE)
    amount = _decimal(base, "base", "缴费基数")
    if amount < 0:
        raise DomainError("dues.base_negative", "缴费基数不能为负数", field="base")
    if amount > Decimal("10000000"):
        raise DomainError("dues.base_too_large", "缴费基数超出合理范围，请核对", field="base")
    if category not in DuesCategory.values:
        raise DomainError("dues.category_invalid", "缴费类别不正确", field="category")
    start = month_start(effective_from)
    if start > month_start(timezone.localdate()) + dt.timedelta(days=31):
        raise DomainError("dues.base_future", "起始月份最多为下个月", field="effective_from")
    record, _ = DuesBase.objects.update_or_create(
        member=member,
        effective_from=start,
        defaults={
            "base": amount.quantize(Decimal("0.01")),
            "category": category,
            "note": note[:200],
            "set_by": actor,
        },
    )
    return record


@dataclass(frozen=True)
class GenerationResult:
    month: dt.date
    created: int
    existing: int
    without_base: int


_AMOUNT_SQL = """
CASE
  WHEN b.category IN ({fixed}) THEN {minimum}
  WHEN b.category = 'farmer' THEN %(farmer)s
  ELSE (CAST(ROUND(b.base * 100) AS INTEGER) * (CASE WHEN b.category = 'employed' THEN ({employed}) ELSE ({retired}) END) + 5000) / 10000 / 100.0
END
"""


def _bracket_sql(brackets: tuple[tuple[Decimal | None, int], ...]) -> str:
    parts = [f"WHEN b.base <= {upper} THEN {rate}" for upper, rate in brackets if upper is not None]
    last = next(rate for upper, rate in brackets if upper is None)
    return "CASE " + " ".join(parts) + f" ELSE {last} END"


def _generation_sql() -> str:
    # Amounts are computed in whole fen with integer arithmetic, so SQLite (floating point) and
    # PostgreSQL (numeric) round exactly as apps.dues.rules.monthly_dues does: half up to the fen.
    amount = _AMOUNT_SQL.format(
        fixed=", ".join(f"'{c}'" for c in sorted(FIXED_CATEGORIES)),
        minimum=FIXED_MINIMUM,
        employed=_bracket_sql(EMPLOYED_BRACKETS),
        retired=_bracket_sql(RETIRED_BRACKETS),
    )
    not_billed = ", ".join(f"'{c}'" for c in NOT_BILLED)
    return f"""
INSERT INTO dues_duesbill (member_id, month, org_id, org_path, category, base, amount, status, paid_amount, created_at)
SELECT m.id, %(month)s, m.org_id, m.org_path, b.category, b.base, {amount}, 'unpaid', 0, %(now)s
FROM members_member m
JOIN dues_duesbase b ON b.member_id = m.id AND b.effective_from = (
    SELECT MAX(b2.effective_from) FROM dues_duesbase b2 WHERE b2.member_id = m.id AND b2.effective_from <= %(month)s
)
WHERE m.org_path LIKE %(prefix)s AND m.admission_date <= %(month_end)s AND m.category NOT IN ({not_billed})
ON CONFLICT (member_id, month) DO NOTHING
"""  # noqa: S608 — only constants are formatted in; values are parameters


@transaction.atomic
def dues_bills_generate(*, actor: Any, month: dt.date, org_id: int | None = None) -> GenerationResult:
    """Generates the month's bills for every member in the actor's scope (or one subtree of it).

    One INSERT … SELECT per subtree root; a bill that exists is left as it is, so running it twice
    (or twice at once) creates nothing twice. Members whose base was never set get no bill and are
    counted, so the branch can set their base.
    """
    scope = get_scope(actor)
    start = month_start(month)
    if start > month_start(timezone.localdate()):
        raise DomainError("dues.month_future", "不能生成未来月份的党费账单", field="month")
    if org_id is not None:
        paths: tuple[str, ...] = (access_org(actor, org_id, Perm.DUES_MANAGE).path,)
    elif scope.is_superuser:
        paths = ("",)
    else:
        paths = scope.paths(Perm.DUES_MANAGE)
    if not paths:
        raise Http404
    sql = _generation_sql()
    created = 0
    with connection.cursor() as cursor:
        for path in paths:
            cursor.execute(
                sql,
                {
                    "month": start,
                    "month_end": month_end(start),
                    "prefix": path + "%",
                    "now": timezone.now(),
                    "farmer": str(farmer_amount()),
                },
            )
            created += max(cursor.rowcount, 0)
    from apps.members.models import Member

    in_paths = Q()
    for path in paths:
        in_paths |= Q(org_path__startswith=path)
    eligible = Member.objects.filter(in_paths, admission_date__lte=month_end(start)).exclude(
        category__in=NOT_BILLED
    )
    total_bills = DuesBill.objects.filter(month=start, member__in=eligible).count()
    without = eligible.count() - total_bills
    return GenerationResult(
        month=start, created=created, existing=total_bills - created, without_base=max(without, 0)
    )


def access_bill(actor: Any, bill_id: int, perm: str = Perm.DUES_VIEW) -> DuesBill:
    scope = get_scope(actor)
    bill = (
        DuesBill.objects.filter(scope.member_q(perm, "org_path", "member_id"), pk=bill_id)
        .select_related("member", "org")
        .first()
    )
    if bill is None:
        raise Http404("账单不存在")
    return bill


@transaction.atomic
def dues_payment_record(
    *, actor: Any, bill_id: int, amount: Any, method: str, paid_on: dt.date, token: str, reference: str = ""
) -> DuesPayment:
    """Records the payment of one bill, once.

    The bill must be unpaid, the amount exactly what is due, the date not in the future nor before
    the bill's month, and the bill at most six months older than the payment (补交不超过6个月).
    A resubmission with the same token, or a second payment of the bill, is refused and changes nothing.
    """
    access_bill(actor, bill_id, Perm.DUES_MANAGE)
    if not token or len(token) > 64:
        raise DomainError("dues.token_missing", "提交标识缺失，请刷新页面后重试", field="token")
    if DuesPayment.objects.filter(token=token).exists():
        raise ConflictError("dues.duplicate_submission", "该笔缴费已登记，请勿重复提交", field="token")
    bill = DuesBill.objects.select_for_update().get(pk=bill_id)
    if bill.status == BillStatus.PAID:
        raise ConflictError(
            "dues.already_paid", f"{bill.month:%Y年%m月}党费已缴纳，不能重复登记", field="bill"
        )
    paid = _decimal(amount, "amount", "缴纳金额")
    if paid != bill.amount:
        raise DomainError("dues.amount_mismatch", f"缴纳金额应为应缴金额{bill.amount}元", field="amount")
    if method not in PaymentMethod.values:
        raise DomainError("dues.method_invalid", "缴纳方式不正确", field="method")
    today = timezone.localdate()
    if paid_on > today:
        raise DomainError("dues.date_future", "缴纳日期不能晚于今天", field="paid_on")
    if paid_on < bill.month:
        raise DomainError("dues.date_before_month", "缴纳日期不能早于账单月份", field="paid_on")
    if months_between(bill.month, month_start(paid_on)) > BACK_PAYMENT_MONTHS:
        raise DomainError(
            "dues.back_payment_limit",
            f"补交党费一般不超过{BACK_PAYMENT_MONTHS}个月：{bill.month:%Y年%m月}的党费已逾期，须经党组织研究处理",
            field="bill",
        )
    try:
        with transaction.atomic():
            payment = DuesPayment.objects.create(
                bill=bill,
                amount=paid,
                method=method,
                paid_on=paid_on,
                reference=reference[:64],
                token=token,
                recorded_by=actor,
            )
    except IntegrityError:
        raise ConflictError(
            "dues.duplicate_submission", "该笔缴费已登记，请勿重复提交", field="token"
        ) from None
    bill.status = BillStatus.PAID
    bill.paid_amount = paid
    bill.paid_on = paid_on
    bill.save(update_fields=["status", "paid_amount", "paid_on"])
    return payment


@transaction.atomic
def dues_rebate_grant(
    *, actor: Any, org_id: int, year: int, amount: Any, granted_on: dt.date, note: str = ""
) -> DuesRebate:
    org = access_org(actor, org_id, Perm.DUES_MANAGE)
    value = _decimal(amount, "amount", "拨返金额")
    if value <= 0:
        raise DomainError("dues.rebate_positive", "拨返金额应大于0", field="amount")
    if granted_on > timezone.localdate():
        raise DomainError("dues.date_future", "拨返日期不能晚于今天", field="granted_on")
    if not 2000 <= year <= timezone.localdate().year:
        raise DomainError("dues.year_invalid", "年度不正确", field="year")
    return DuesRebate.objects.create(
        org=org, year=year, amount=value, granted_on=granted_on, note=note[:200], created_by=actor
    )


@transaction.atomic
def rebate_spend(
    *, actor: Any, rebate_id: int, amount: Any, spent_on: dt.date, purpose: str
) -> RebateSpending:
    """Records a use of a rebate; the total spent cannot exceed the rebate."""
    rebate = DuesRebate.objects.select_for_update().filter(pk=rebate_id).first()
    if rebate is None:
        raise Http404
    access_org(actor, rebate.org_id, Perm.DUES_MANAGE)
    value = _decimal(amount, "amount", "支出金额")
    if value <= 0:
        raise DomainError("dues.spending_positive", "支出金额应大于0", field="amount")
    if not purpose.strip():
        raise DomainError("dues.purpose_required", "请填写用途", field="purpose")
    if spent_on > timezone.localdate() or spent_on < rebate.granted_on:
        raise DomainError("dues.spending_date", "支出日期应在拨返日期之后、今天之前", field="spent_on")
    spent = sum((s.amount for s in rebate.spendings.all()), Decimal("0"))
    if spent + value > rebate.amount:
        raise DomainError(
            "dues.spending_exceeds", f"超出拨返余额（余额{rebate.amount - spent}元）", field="amount"
        )
    return RebateSpending.objects.create(
        rebate=rebate, amount=value, spent_on=spent_on, purpose=purpose.strip()[:200], created_by=actor
    )
