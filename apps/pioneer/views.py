from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError
from apps.core.scoping import Perm, get_scope
from apps.members.models import Member
from apps.orgs.models import Organization
from apps.orgs.selectors import access_org
from apps.pioneer import selectors, services
from apps.pioneer.models import ItemSource, ManualScore, MonthlyPublication, PioneerItem


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    today = timezone.localdate()
    raw = request.GET.get("org", "")
    if raw.isdigit():
        org = access_org(request.user, int(raw), Perm.MEMBERS_VIEW)
    elif scope.member_id and not scope.paths(Perm.MEMBERS_VIEW):
        org = None
    else:
        grants = list(scope.grants)
        org = Organization.objects.filter(pk=grants[0].org_id).first() if len(grants) == 1 else None
    try:
        year = int(request.GET.get("year") or today.year)
        month = int(request.GET["month"]) if request.GET.get("month") else today.month
    except ValueError:
        year, month = today.year, today.month
    month_or_year = None if request.GET.get("month") == "0" else month
    own = None
    if org is None and scope.member_id:
        member = Member.objects.select_related("org").get(pk=scope.member_id)
        items, scores = selectors.branch_scores(member.org, year, month_or_year, today=today)
        own = next((s for s in scores if s.member_id == member.pk), None)
        return render(
            request,
            "pioneer/mine.html",
            {"items": items, "score": own, "year": year, "month": month_or_year, "count": len(scores)},
        )
    if org is None or not org.is_branch:
        return render(request, "pioneer/pick.html", {"org": org})
    items, scores = selectors.branch_scores(org, year, month_or_year, today=today)
    manual_items = [i for i in items if i.source == ItemSource.MANUAL]
    recent = list(
        ManualScore.objects.filter(member__org=org).select_related("member", "item", "recorded_by")[:20]
    )
    publication = (
        MonthlyPublication.objects.filter(org=org, month=dt.date(year, month_or_year, 1))
        .select_related("published_by")
        .first()
        if month_or_year
        else None
    )
    return render(
        request,
        "pioneer/ranking.html",
        {"org": org, "items": items, "scores": scores, "year": year, "month": month_or_year, "months": range(1, 13), "manual_items": manual_items,
         "recent": recent, "publication": publication, "can_change": scope.covers_path(Perm.MEMBERS_CHANGE, org.path), "today": today},
    )  # fmt: skip


@login_required
@require_POST
def add_manual(request: HttpRequest) -> HttpResponse:
    org = request.POST.get("org", "")
    try:
        services.manual_score_add(
            actor=request.user, member_id=int(request.POST.get("member", "0") or 0), item_id=int(request.POST.get("item", "0") or 0),
            month=dt.date.fromisoformat((request.POST.get("month") or "") + "-01"), points=request.POST.get("points", ""), reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "输入不正确"))
    except Http404:
        messages.error(request, "党员不存在或不在您的管理范围")
    else:
        messages.success(request, "已登记")
    return redirect(f"/pioneer/?org={org}")


@login_required
def scheme(request: HttpRequest) -> HttpResponse:
    can_edit = get_scope(request.user).has(Perm.REQUIREMENTS_EDIT)
    if request.method == "POST":
        try:
            services.item_update(
                actor=request.user, item_id=int(request.POST.get("id", "0")), points=request.POST.get("points", ""),
                monthly_cap=request.POST.get("monthly_cap", ""), is_active=request.POST.get("is_active") == "on",
            )  # fmt: skip
            messages.success(request, "已保存")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("pioneer:scheme")
    return render(request, "pioneer/scheme.html", {"items": PioneerItem.objects.all(), "can_edit": can_edit})


@login_required
@require_POST
def publish(request: HttpRequest) -> HttpResponse:
    """The branch publishes (公示) a month's ranking: the evidence of checklist item 党员先锋指数管理."""
    org = request.POST.get("org", "")
    month = request.POST.get("month", "")
    try:
        publication = services.publish_month(
            actor=request.user, org_id=int(org or 0), month=dt.date.fromisoformat(month + "-01")
        )
    except (DomainError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "月份不正确"))
    else:
        messages.success(request, f"已公示{publication.month:%Y年%m月}得分（{len(publication.scores)}人）")
    year, _, number = month.partition("-")
    return redirect(f"/pioneer/?org={org}&year={year}&month={number.lstrip('0')}")
