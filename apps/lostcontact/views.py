from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError
from apps.core.scoping import Perm, get_scope
from apps.lostcontact import services
from apps.lostcontact.models import CaseState, LostContactCase


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    if not (scope.is_superuser or scope.paths(Perm.MEMBERS_CHANGE)):
        raise Http404
    state = request.GET.get("state", CaseState.OPEN)
    qs = LostContactCase.objects.filter(scope.org_q(Perm.MEMBERS_CHANGE, "org_path")).select_related(
        "member", "member__org"
    )
    if state in CaseState.values:
        qs = qs.filter(state=state)
    page = Paginator(qs.order_by("opened_on", "id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "lostcontact/list.html",
        {"page": page, "state": state, "states": CaseState.choices, "today": timezone.localdate()},
    )


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = services.access_case(request.user, case_id)
    return render(
        request,
        "lostcontact/detail.html",
        {
            "case": case,
            "follow_ups": list(case.follow_ups.select_related("by")),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def case_open(request: HttpRequest, member_id: int) -> HttpResponse:
    try:
        case = services.case_open(
            actor=request.user,
            member_id=member_id,
            reason=request.POST.get("reason", ""),
            on=_date(request.POST.get("on", "")),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("members:detail", member_id=member_id)
    messages.success(request, "已登记失联，请记录查找情况")
    return redirect("lostcontact:detail", case_id=case.pk)


ACTIONS = {
    "follow": lambda r, a, cid: services.follow_up(actor=a, case_id=cid, action=r.POST.get("action", ""), note=r.POST.get("note", ""), on=_date(r.POST.get("on", ""))),
    "resolve": lambda r, a, cid: services.case_resolve(actor=a, case_id=cid, note=r.POST.get("note", ""), on=_date(r.POST.get("on", ""))),
    "suspend": lambda r, a, cid: services.case_suspend(actor=a, case_id=cid, decision=r.POST.get("note", ""), on=_date(r.POST.get("on", ""))),
}  # fmt: skip


@login_required
@require_POST
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](request, request.user, case_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已记录")
    return redirect("lostcontact:detail", case_id=case_id)
