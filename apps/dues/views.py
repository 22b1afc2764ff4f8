from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError
from apps.core.excel import write_rows
from apps.core.forms import add_domain_error
from apps.core.jobs import new_file_path
from apps.core.scoping import Perm, get_scope
from apps.dues import selectors, services
from apps.dues.forms import BaseForm, PaymentForm, RebateForm, SpendingForm
from apps.dues.models import BillStatus, DuesBase, PaymentMethod
from apps.members.selectors import access_member
from apps.orgs.forms import bootstrapify
from apps.orgs.selectors import access_org, tree_roots


def _can_manage(request: HttpRequest) -> bool:
    scope = get_scope(request.user)
    return scope.is_superuser or bool(scope.paths(Perm.DUES_MANAGE))


def _month(request: HttpRequest) -> dt.date:
    raw = request.GET.get("month") or request.POST.get("month") or ""
    try:
        year, month = (int(p) for p in raw.split("-")[:2])
        return dt.date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def _org(request: HttpRequest) -> Any:
    raw = request.GET.get("org") or request.POST.get("org") or ""
    if raw.isdigit():
        return access_org(request.user, int(raw), Perm.DUES_VIEW)
    roots = tree_roots(request.user)
    return roots[0] if len(roots) == 1 else None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not _can_manage(request):
        if get_scope(request.user).member_id:
            return redirect("dues:mine")
        raise Http404
    month, org = _month(request), _org(request)
    return render(
        request,
        "dues/index.html",
        {
            "month": month,
            "org": org,
            "summary": selectors.collection(request.user, month=month, org=org),
            "children": selectors.collection_by_child(request.user, month=month, parent=org) if org else [],
            "months": [
                (timezone.localdate().replace(day=1) - dt.timedelta(days=31 * i)).replace(day=1)
                for i in range(13)
            ],
        },
    )


@login_required
@require_POST
def generate(request: HttpRequest) -> HttpResponse:
    month, org = _month(request), _org(request)
    try:
        result = services.dues_bills_generate(actor=request.user, month=month, org_id=org.pk if org else None)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        text = f"{result.month:%Y年%m月}：新生成{result.created}张账单，已有{result.existing}张"
        if result.without_base:
            text += f"；另有{result.without_base}名党员未核定缴费基数，未生成账单"
        messages.success(request, text)
    return redirect(f"/dues/?month={month:%Y-%m}" + (f"&org={org.pk}" if org else ""))


@login_required
def bills(request: HttpRequest) -> HttpResponse:
    if not _can_manage(request):
        raise Http404
    month, org = _month(request), _org(request)
    qs = (
        selectors.bills_for(request.user)
        .filter(month=month)
        .select_related("member", "org")
        .order_by("status", "member__name_pinyin", "id")
    )
    if org:
        qs = qs.filter(org_path__startswith=org.path)
    status = request.GET.get("status", "")
    if status in BillStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "dues/bills.html",
        {
            "page": page,
            "month": month,
            "org": org,
            "status": status,
            "methods": PaymentMethod.choices,
            "today": timezone.localdate(),
            "token": uuid.uuid4().hex,
        },
    )


@login_required
@require_POST
def pay(request: HttpRequest, bill_id: int) -> HttpResponse:
    form = PaymentForm(request.POST)
    bill = services.access_bill(request.user, bill_id, Perm.DUES_MANAGE)
    if not form.is_valid():
        messages.error(
            request, "；".join(f"{form.fields[f].label or f}：{e[0]}" for f, e in form.errors.items())
        )
    else:
        try:
            services.dues_payment_record(actor=request.user, bill_id=bill.pk, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, f"{bill.member.name}：{exc.message}")
        else:
            messages.success(request, f"已登记{bill.member.name}{bill.month:%Y年%m月}党费{bill.amount}元")
    return redirect(request.POST.get("next") or f"/dues/bills/?month={bill.month:%Y-%m}")


@login_required
def arrears(request: HttpRequest) -> HttpResponse:
    if not _can_manage(request):
        raise Http404
    org = _org(request)
    try:
        min_months = max(1, int(request.GET.get("min", "1")))
    except ValueError:
        min_months = 1
    page = Paginator(selectors.arrears(request.user, org=org, min_months=min_months), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "dues/arrears.html", {"page": page, "org": org, "min_months": min_months})


@login_required
def member_base(request: HttpRequest, member_id: int) -> HttpResponse:
    member = access_member(request.user, member_id, Perm.DUES_MANAGE)
    today = timezone.localdate()
    current = selectors.current_base(member.pk, today)
    form = BaseForm(
        request.POST or None,
        initial={
            "category": current.category if current else "employed",
            "base": current.base if current else None,
            "effective_from": today.replace(day=1),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.dues_base_set(actor=request.user, member_id=member.pk, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已核定缴费基数")
            return redirect("members:detail", member_id=member.pk)
    from apps.dues.rules import monthly_dues

    preview = monthly_dues(current.base, current.category) if current else None
    history = list(
        DuesBase.objects.filter(member=member).select_related("set_by").order_by("-effective_from")[:24]
    )
    return render(
        request,
        "dues/base_form.html",
        {"form": form, "member": member, "current": current, "preview": preview, "history": history},
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    if not scope.member_id:
        raise Http404
    bills_qs = (
        selectors.bills_for(request.user)
        .filter(member_id=scope.member_id)
        .select_related("payment")
        .order_by("-month")
    )
    unpaid = [b for b in bills_qs if b.status == BillStatus.UNPAID]
    return render(
        request,
        "dues/mine.html",
        {
            "bills": list(bills_qs[:36]),
            "unpaid": unpaid,
            "owed": sum((b.amount for b in unpaid), start=0),
            "base": selectors.current_base(scope.member_id, timezone.localdate()),
        },
    )


@login_required
def rebates(request: HttpRequest) -> HttpResponse:
    if not _can_manage(request):
        raise Http404
    org = _org(request)
    rebate_form = bootstrapify(
        RebateForm(
            request.POST or None,
            initial={"year": timezone.localdate().year, "granted_on": timezone.localdate()},
        )
    )
    if request.method == "POST" and org and rebate_form.is_valid():
        try:
            services.dues_rebate_grant(actor=request.user, org_id=org.pk, **rebate_form.cleaned_data)
        except DomainError as exc:
            add_domain_error(rebate_form, exc)
        else:
            messages.success(request, "已登记党费拨返")
            return redirect(f"/dues/rebates/?org={org.pk}")
    items = selectors.rebates_for(request.user).prefetch_related("spendings")
    if org:
        items = items.filter(org__path__startswith=org.path)
    return render(
        request,
        "dues/rebates.html",
        {
            "rebates": list(items[:100]),
            "org": org,
            "form": rebate_form,
            "spend_form": bootstrapify(SpendingForm(initial={"spent_on": timezone.localdate()})),
        },
    )


@login_required
@require_POST
def spend(request: HttpRequest, rebate_id: int) -> HttpResponse:
    form = SpendingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
    else:
        try:
            services.rebate_spend(actor=request.user, rebate_id=rebate_id, **form.cleaned_data)
            messages.success(request, "已登记经费使用")
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect(request.POST.get("next") or "dues:rebates")


@login_required
def ledger_export(request: HttpRequest) -> HttpResponseBase:
    """The month's ledger (党费台账) of the chosen subtree as Excel: one row a bill."""
    if not _can_manage(request):
        raise Http404
    from django.http import FileResponse

    from apps.core.audit import log_access
    from apps.core.models import AccessAction

    month, org = _month(request), _org(request)
    qs = (
        selectors.bills_for(request.user)
        .filter(month=month)
        .select_related("member", "org", "payment")
        .order_by("org_path", "member__name_pinyin")
    )
    if org:
        qs = qs.filter(org_path__startswith=org.path)
    path = new_file_path(".xlsx")
    count = write_rows(
        path,
        title="党费台账",
        headers=[
            "月份",
            "党组织",
            "姓名",
            "身份证号",
            "缴费类别",
            "缴费基数",
            "应缴金额",
            "状态",
            "实缴金额",
            "缴纳日期",
            "缴纳方式",
        ],
        rows=(
            [
                f"{b.month:%Y-%m}",
                b.org.name,
                b.member.name,
                b.member.citizen_id_masked,
                b.get_category_display(),
                b.base,
                b.amount,
                b.get_status_display(),
                b.paid_amount,
                b.paid_on,
                b.payment.get_method_display()
                if b.status == BillStatus.PAID and hasattr(b, "payment")
                else "",
            ]
            for b in qs.iterator(chunk_size=2000)
        ),
        widths=[9, 28, 10, 22, 14, 12, 10, 8, 10, 12, 10],
    )
    log_access(
        user=request.user,
        action=AccessAction.EXPORT_MASKED,
        target_type="dues_ledger",
        target_label=f"党费台账 {month:%Y-%m} {count} 条",
        org_path=org.path if org else "",
        detail={"月份": f"{month:%Y-%m}", "条数": count},
    )
    return FileResponse(open(path, "rb"), as_attachment=True, filename=f"党费台账-{month:%Y-%m}.xlsx")
