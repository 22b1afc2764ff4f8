from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError
from apps.core.scoping import Perm, get_scope
from apps.core.workflow import history
from apps.development import selectors, services
from apps.development.flow import APPROVAL_FLOW
from apps.development.models import Stage
from apps.members.models import Member
from apps.orgs.selectors import access_org, tree_roots


def _allowed(request: HttpRequest) -> None:
    scope = get_scope(request.user)
    if not (
        scope.is_superuser or scope.paths(Perm.DEVELOPMENT_MANAGE) or scope.paths(Perm.DEVELOPMENT_APPROVE)
    ):
        raise Http404


def _org(request: HttpRequest) -> Any:
    raw = request.GET.get("org") or request.POST.get("org") or ""
    if raw.isdigit():
        return access_org(request.user, int(raw), Perm.DEVELOPMENT_MANAGE)
    roots = tree_roots(request.user)
    return roots[0] if len(roots) == 1 else None


@login_required
def board(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    org = _org(request)
    today = timezone.localdate()
    qs = (
        selectors.prospects_for(request.user)
        .select_related("org")
        .order_by("stage", "application_date", "id")
    )
    if org:
        qs = qs.filter(org_path__startswith=org.path)
    stage = request.GET.get("stage", "")
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    else:
        qs = qs.exclude(stage__in=[Stage.FULL, Stage.STOPPED])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [(p, selectors.next_step(p, today)) for p in page.object_list]
    return render(
        request,
        "development/board.html",
        {
            "page": page,
            "rows": rows,
            "org": org,
            "stage": stage,
            "stages": Stage.choices,
            "counts": selectors.stage_counts(request.user, org.path if org else None),
            "can_approve": bool(get_scope(request.user).paths(Perm.DEVELOPMENT_APPROVE))
            or request.user.is_superuser,
            "today": today,
        },
    )


def _date(request: HttpRequest, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(request.POST.get(name, ""))
    except ValueError:
        raise DomainError("development.date_invalid", "请填写有效日期", field=name) from None


def _int(request: HttpRequest, name: str) -> int:
    try:
        return int(request.POST.get(name, ""))
    except ValueError:
        raise DomainError("development.number_invalid", "请填写整数", field=name) from None


def _ids(request: HttpRequest, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


@login_required
def register(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    org = _org(request)
    error = None
    if request.method == "POST":
        try:
            if org is None:
                raise DomainError("development.org_required", "请选择党支部", field="org")
            prospect = services.prospect_register(
                actor=request.user, org_id=org.pk, name=request.POST.get("name", ""), citizen_id=request.POST.get("citizen_id", ""),
                application_date=_date(request, "application_date"), phone=request.POST.get("phone", ""), work_unit=request.POST.get("work_unit", ""),
            )  # fmt: skip
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"已登记{prospect.name}的入党申请")
            return redirect("development:detail", prospect_id=prospect.pk)
    return render(
        request,
        "development/register.html",
        {"org": org, "error": error, "data": request.POST, "today": timezone.localdate()},
    )


@login_required
def detail(request: HttpRequest, prospect_id: int) -> HttpResponse:
    _allowed(request)
    prospect = services.access_prospect(request.user, prospect_id)
    today = timezone.localdate()
    scope = get_scope(request.user)
    full_members = list(
        Member.objects.filter(org_path__startswith=prospect.org_path, status="full")
        .order_by("name_pinyin")
        .only("id", "name")[:300]
    )
    return render(
        request,
        "development/detail.html",
        {
            "p": prospect,
            "next": selectors.next_step(prospect, today),
            "steps": list(prospect.steps.select_related("actor")),
            "contacts": list(prospect.contacts.all()),
            "introducers": list(prospect.introducers.all()),
            "full_members": full_members,
            "today": today,
            "can_approve": scope.covers_path(Perm.DEVELOPMENT_APPROVE, prospect.org_path),
            "approvals": [
                (a, history(a, APPROVAL_FLOW, opened="支部报送"))
                for a in prospect.approvals.select_related("org").order_by("id")
            ],
            "probation_end": services.probation_end(prospect),
        },
    )


STEPS = {
    "talk": lambda r, a, pid: services.record_talk(actor=a, prospect_id=pid, on=_date(r, "on"), by=r.POST.get("by", "")),
    "activist": lambda r, a, pid: services.make_activist(actor=a, prospect_id=pid, on=_date(r, "on"), contact_ids=_ids(r, "contacts")),
    "candidate": lambda r, a, pid: services.make_candidate(actor=a, prospect_id=pid, on=_date(r, "on")),
    "prepare": lambda r, a, pid: services.prepare_admission(
        actor=a, prospect_id=pid, review_date=_date(r, "review_date"), training_hours=_int(r, "training_hours"),
        introducer_ids=_ids(r, "introducers"), publicity_start=_date(r, "publicity_start"),
    ),
    "vote": lambda r, a, pid: services.branch_meeting_vote(
        actor=a, prospect_id=pid, on=_date(r, "on"), eligible=_int(r, "eligible"), present=_int(r, "present"), yes=_int(r, "yes")
    ),
    "approve": lambda r, a, pid: services.approve_admission(actor=a, prospect_id=pid, on=_date(r, "on")),
    "return": lambda r, a, pid: services.return_admission(actor=a, prospect_id=pid, reason=r.POST.get("reason", "")),
    "extend": lambda r, a, pid: services.extend_probation(actor=a, prospect_id=pid, months=_int(r, "months"), reason=r.POST.get("reason", "")),
    "full": lambda r, a, pid: services.make_full(actor=a, prospect_id=pid, on=_date(r, "on")),
    "stop": lambda r, a, pid: services.stop(actor=a, prospect_id=pid, reason=r.POST.get("reason", "")),
}  # fmt: skip


@login_required
@require_POST
def step(request: HttpRequest, prospect_id: int, name: str) -> HttpResponse:
    if name not in STEPS:
        raise Http404
    try:
        STEPS[name](request, request.user, prospect_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已办理")
    return redirect("development:detail", prospect_id=prospect_id)


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """The committee's queue: admissions voted by its branches and awaiting its approval, oldest deadline first."""
    scope = get_scope(request.user)
    if not (scope.is_superuser or scope.paths(Perm.DEVELOPMENT_APPROVE)):
        raise Http404
    state = request.GET.get("state", "pending")
    qs = services.approvals_for(request.user).select_related("prospect", "prospect__org", "org")
    if state in {"pending", "approved", "returned"}:
        qs = qs.filter(state=state)
    qs = qs.order_by("due_date", "id") if state == "pending" else qs.order_by("-decided_on", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "development/approvals.html",
        {"page": page, "state": state, "today": timezone.localdate(), "pending": services.approvals_for(request.user).filter(state="pending").count()},
    )  # fmt: skip
