from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from apps.core.api import PageNumber
from apps.core.scoping import Perm
from apps.dues import selectors, services
from apps.orgs.selectors import access_org

router = Router(tags=["党费"])


class BillOut(Schema):
    id: int
    member_id: int
    member_name: str
    month: dt.date
    org_id: int
    category: str
    base: Decimal
    amount: Decimal
    status: str
    paid_amount: Decimal
    paid_on: dt.date | None


class BillFilter(Schema):
    month: dt.date | None = Field(None, description="账单月份（任一日期，按所在月）")
    org: int | None = Field(None, description="组织编号，含下级")
    status: str = ""
    member: int | None = None
    page: PageNumber = 1


class BillPage(Schema):
    items: list[BillOut]
    page: int
    has_next: bool


class GenerateIn(Schema):
    month: dt.date
    org_id: int | None = None


class GenerateOut(Schema):
    month: dt.date
    created: int
    existing: int
    without_base: int


class PaymentIn(Schema):
    amount: Decimal
    method: str = Field(description="cash / transfer / online")
    paid_on: dt.date
    token: str = Field(description="客户端为每次缴费生成的唯一标识；重复提交同一标识会被拒绝")
    reference: str = ""


class PaymentOut(Schema):
    id: int
    bill_id: int
    amount: Decimal
    method: str
    paid_on: dt.date


class BaseIn(Schema):
    base: Decimal
    category: str
    effective_from: dt.date
    note: str = ""


class CollectionOut(Schema):
    month: dt.date
    bills: int
    paid: int
    due_amount: Decimal
    paid_amount: Decimal
    rate: Decimal | None


class ArrearsOut(Schema):
    member_id: int
    member_name: str
    months: int
    amount: Decimal
    since: dt.date


PAGE = 50


def _bill(b) -> dict:
    return {
        "id": b.pk, "member_id": b.member_id, "member_name": b.member.name, "month": b.month, "org_id": b.org_id, "category": b.category,
        "base": b.base, "amount": b.amount, "status": b.status, "paid_amount": b.paid_amount, "paid_on": b.paid_on,
    }  # fmt: skip


@router.get("/bills", response=BillPage, summary="党费账单（本人、或权限范围内的组织）")
def list_bills(request: HttpRequest, filters: Query[BillFilter]):
    qs = (
        selectors.bills_for(request.user)
        .select_related("member")
        .order_by("-month", "member__name_pinyin", "id")
    )
    if filters.month:
        qs = qs.filter(month=filters.month.replace(day=1))
    if filters.org:
        qs = qs.filter(org_path__startswith=access_org(request.user, filters.org, Perm.DUES_VIEW).path)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.member:
        qs = qs.filter(member_id=filters.member)
    page = max(1, filters.page)
    rows = list(qs[(page - 1) * PAGE : page * PAGE + 1])
    return {"items": [_bill(b) for b in rows[:PAGE]], "page": page, "has_next": len(rows) > PAGE}


@router.post("/bills/generate", response=GenerateOut, summary="生成某月党费账单（重复执行不会重复生成）")
def generate(request: HttpRequest, payload: GenerateIn):
    return services.dues_bills_generate(
        actor=request.user, month=payload.month, org_id=payload.org_id
    ).__dict__


@router.post(
    "/bills/{bill_id}/payment", response={201: PaymentOut}, summary="登记缴纳（每张账单只能登记一次）"
)
def pay(request: HttpRequest, bill_id: int, payload: PaymentIn):
    payment = services.dues_payment_record(actor=request.user, bill_id=bill_id, **payload.dict())
    return Status(
        201,
        {
            "id": payment.pk,
            "bill_id": bill_id,
            "amount": payment.amount,
            "method": payment.method,
            "paid_on": payment.paid_on,
        },
    )


@router.put("/members/{member_id}/base", response=BaseIn, summary="核定党员缴费基数")
def set_base(request: HttpRequest, member_id: int, payload: BaseIn):
    record = services.dues_base_set(actor=request.user, member_id=member_id, **payload.dict())
    return {
        "base": record.base,
        "category": record.category,
        "effective_from": record.effective_from,
        "note": record.note,
    }


@router.get("/collection", response=CollectionOut, summary="收缴率（组织含下级、某月）")
def collection(request: HttpRequest, month: dt.date, org: int | None = None):
    start = month.replace(day=1)
    target = access_org(request.user, org, Perm.DUES_VIEW) if org else None
    return {"month": start, **selectors.collection(request.user, month=start, org=target)}


@router.get("/arrears", response=list[ArrearsOut], summary="欠缴党员（欠缴月数、金额）")
def list_arrears(request: HttpRequest, org: int | None = None, min_months: int = 1):
    target = access_org(request.user, org, Perm.DUES_VIEW) if org else None
    rows = selectors.arrears(request.user, org=target, min_months=max(1, min_months))[:500]
    return [
        {
            "member_id": r["member_id"],
            "member_name": r["member__name"],
            "months": r["months"],
            "amount": r["amount"],
            "since": r["since"],
        }
        for r in rows
    ]
