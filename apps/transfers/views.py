from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.core.audit import log_access
from apps.core.errors import DomainError
from apps.core.models import AccessAction
from apps.core.scoping import Perm, get_scope
from apps.core.workflow import history
from apps.members.choices import ETHNICITIES
from apps.members.selectors import access_member
from apps.orgs.selectors import access_org, tree_roots
from apps.transfers import services
from apps.transfers.flow import TRANSFER_FLOW
from apps.transfers.letter import render_letter


def _require(request: HttpRequest) -> None:
    scope = get_scope(request.user)
    if not (scope.is_superuser or scope.paths(Perm.MEMBERS_CHANGE)):
        raise Http404


@login_required
def transfer_list(request: HttpRequest) -> HttpResponse:
    _require(request)
    scope = get_scope(request.user)
    qs = (
        services.transfers_for(request.user)
        .select_related("from_org", "to_org", "member")
        .order_by("-created_at", "-id")
    )
    tab = request.GET.get("tab", "todo")
    org = None
    if request.GET.get("org", "").isdigit():
        # From the checklist: every transfer of one organization's subtree, either side.
        org = access_org(request.user, int(request.GET["org"]), Perm.MEMBERS_VIEW)
        qs = qs.filter(Q(from_path__startswith=org.path) | Q(to_path__startswith=org.path))
        tab = request.GET.get("tab", "all")
    sending = scope.org_q(Perm.MEMBERS_CHANGE, "from_path") & ~Q(from_path="")
    receiving = scope.org_q(Perm.MEMBERS_CHANGE, "to_path") & ~Q(to_path="")
    if tab == "todo":
        qs = qs.filter(
            (sending & Q(state="requested"))
            | (receiving & Q(state__in=["issued", "requested"], kind__in=["within", "in"]))
            | (sending & Q(state="issued", kind="out"))
        )
    elif tab == "out":
        qs = qs.filter(sending)
    elif tab == "in":
        qs = qs.filter(receiving)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request, "transfers/list.html", {"page": page, "tab": tab, "org": org, "today": timezone.localdate()}
    )


@login_required
def transfer_new(request: HttpRequest) -> HttpResponse:
    _require(request)
    member = (
        access_member(request.user, int(request.GET["member"]), Perm.MEMBERS_CHANGE)
        if request.GET.get("member", "").isdigit()
        else None
    )
    error = None
    if request.method == "POST" and member is not None:
        to_org = request.POST.get("to_org", "")
        try:
            t = services.transfer_request(
                actor=request.user, member_id=member.pk, reason=request.POST.get("reason", ""),
                to_org_id=int(to_org) if to_org.isdigit() else None, to_external=request.POST.get("to_external", ""),
            )  # fmt: skip
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, "已登记转接申请，请开具介绍信")
            return redirect("transfers:detail", transfer_id=t.pk)
    return render(request, "transfers/new.html", {"member": member, "error": error, "data": request.POST})


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


@login_required
def transfer_in(request: HttpRequest) -> HttpResponse:
    _require(request)
    roots = tree_roots(request.user)
    error = None
    if request.method == "POST":
        org = request.POST.get("to_org", "")
        person: dict[str, Any] = {
            "name": request.POST.get("name", ""), "citizen_id": request.POST.get("citizen_id", ""), "ethnicity": request.POST.get("ethnicity", "汉族"),
            "phone": request.POST.get("phone", ""), "work_unit": request.POST.get("work_unit", ""), "category": "employed",
            "admission_date": _date(request.POST.get("admission_date", "")), "full_membership_date": _date(request.POST.get("full_membership_date", "")),
        }  # fmt: skip
        try:
            if not org.isdigit():
                raise DomainError("transfer.to_org", "请选择接收的党支部", field="to_org")
            t = services.transfer_register_in(
                actor=request.user, to_org_id=int(org), from_external=request.POST.get("from_external", ""),
                external_number=request.POST.get("external_number", ""), person=person,
            )  # fmt: skip
        except DomainError as exc:
            error = exc
        except Http404:
            error = DomainError("transfer.to_org", "接收组织不在您的管理范围", field="to_org")
        else:
            messages.success(request, "已登记转入，确认接收后建立党员档案")
            return redirect("transfers:detail", transfer_id=t.pk)
    return render(
        request,
        "transfers/in.html",
        {"error": error, "data": request.POST, "ethnicities": ETHNICITIES, "roots": roots},
    )


@login_required
def transfer_detail(request: HttpRequest, transfer_id: int) -> HttpResponse:
    t = services.access_transfer(request.user, transfer_id)
    scope = get_scope(request.user)
    return render(
        request,
        "transfers/detail.html",
        {
            "t": t,
            "events": history(t, TRANSFER_FLOW),
            "is_sender": bool(t.from_path) and scope.covers_path(Perm.MEMBERS_CHANGE, t.from_path),
            "is_receiver": bool(t.to_path) and scope.covers_path(Perm.MEMBERS_CHANGE, t.to_path),
            "state_label": TRANSFER_FLOW.state(t.state).label,
            "today": timezone.localdate(),
            "month_start": timezone.localdate().replace(day=1),
        },
    )


ACTIONS = {
    "issue": lambda r, a, tid: services.transfer_issue(
        actor=a,
        transfer_id=tid,
        dues_paid_to=_date(r.POST.get("dues_paid_to", "") + "-01") or timezone.localdate(),
        valid_days=int(r.POST.get("valid_days", "90") or 90),
    ),
    "receive": lambda r, a, tid: services.transfer_receive(
        actor=a, transfer_id=tid, on=_date(r.POST.get("on", ""))
    ),
    "confirm": lambda r, a, tid: services.transfer_confirm_receipt(
        actor=a, transfer_id=tid, on=_date(r.POST.get("on", ""))
    ),
    "return": lambda r, a, tid: services.transfer_return(
        actor=a, transfer_id=tid, reason=r.POST.get("reason", "")
    ),
    "cancel": lambda r, a, tid: services.transfer_cancel(
        actor=a, transfer_id=tid, reason=r.POST.get("reason", "")
    ),
}


@login_required
@require_POST
def transfer_action(request: HttpRequest, transfer_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](request, request.user, transfer_id)
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "输入不正确"))
    else:
        messages.success(request, "已办理")
    return redirect("transfers:detail", transfer_id=transfer_id)


@login_required
def letter(request: HttpRequest, transfer_id: int) -> HttpResponse:
    """The printable letter; it carries the full ID number, so each print is logged."""
    t = services.access_transfer(request.user, transfer_id, side="from")
    if not t.number or t.member is None:
        raise Http404("介绍信尚未开具")
    log_access(
        user=request.user, action=AccessAction.PRINT_LETTER, target_type="member", target_id=t.member_id, target_label=t.person_name,
        org_path=t.from_path, detail={"介绍信": t.number},
    )  # fmt: skip
    response = HttpResponse(render_letter(t), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename=letter-{t.pk}.pdf"
    return response
