from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from apps.appraisal import services
from apps.appraisal.flow import REPORT_FLOW
from apps.appraisal.models import Criterion, Grade, Honor, HonorKind, StarRating, WorkReport
from apps.core.errors import DomainError
from apps.core.scoping import Perm, get_scope
from apps.core.workflow import history


def _allowed(request: HttpRequest) -> Any:
    scope = get_scope(request.user)
    if not (scope.is_superuser or scope.paths(Perm.ORGS_VIEW)):
        raise Http404
    return scope


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    this_year = timezone.localdate().year
    return int(raw) if raw.isdigit() and services.FIRST_YEAR <= int(raw) <= this_year else this_year


@login_required
def index(request: HttpRequest) -> HttpResponse:
    scope = _allowed(request)
    year = _year(request)
    tab = request.GET.get("tab", "stars")
    if request.method == "POST":
        action = request.POST.get("action", "")
        post = request.POST
        calls = {
            "rate": lambda: services.rate(actor=request.user, org_id=int(post.get("org") or 0), year=post.get("year"),
                                          criteria=post.getlist("criteria"), note=post.get("note", "")),
            "honor": lambda: services.honor(actor=request.user, org_id=int(post.get("org") or 0), kind=post.get("kind", ""),
                                            year=post.get("year"), note=post.get("note", "")),
            "report": lambda: services.submit_report(actor=request.user, org_id=int(post.get("org") or 0), year=post.get("year"),
                                                     secretary=post.get("secretary", ""), content=post.get("content", "")),
            "appraise": lambda: services.appraise(actor=request.user, report_id=int(post.get("report") or 0),
                                                  grade=post.get("grade", ""), comment=post.get("comment", "")),
        }  # fmt: skip
        if action not in calls:
            raise Http404
        try:
            calls[action]()
        except DomainError as exc:
            messages.error(request, exc.message)
        except Http404:
            messages.error(request, "党组织不存在或不在您的管理范围")
        else:
            messages.success(request, "已保存")
        tab = {"rate": "stars", "honor": "honors", "report": "reports", "appraise": "reports"}[action]
        return redirect(f"{reverse('appraisal:index')}?tab={tab}&year={post.get('year') or year}")
    ratings = services.in_scope(request.user, StarRating).filter(year=year).select_related("org", "rated_by")
    honors = services.in_scope(request.user, Honor).filter(year=year).select_related("org")
    reports = (
        services.in_scope(request.user, WorkReport).filter(year=year).select_related("org", "appraised_by")
    )
    pending = set(services.pending_for(request.user).filter(year=year).values_list("pk", flat=True))
    return render(
        request,
        "appraisal/index.html",
        {
            "year": year, "years": range(timezone.localdate().year, services.FIRST_YEAR - 1, -1), "tab": tab,
            "ratings": ratings, "honors": honors, "reports": [(r, r.pk in pending) for r in reports],
            "criteria": Criterion.choices, "kinds": HonorKind.choices, "grades": Grade.choices,
            "can_judge": scope.is_superuser or bool(scope.paths(Perm.ORGS_CHANGE)),
            "can_report": scope.is_superuser or bool(scope.paths(Perm.MEMBERS_CHANGE)),
        },
    )  # fmt: skip


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    _allowed(request)
    report = (
        services.in_scope(request.user, WorkReport)
        .select_related("org", "appraised_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise Http404
    can_appraise = services.pending_for(request.user).filter(pk=report.pk).exists()
    return render(
        request,
        "appraisal/report.html",
        {
            "report": report,
            "history": history(report, REPORT_FLOW, opened="提交述职"),
            "can_appraise": can_appraise,
            "grades": Grade.choices,
        },
    )
