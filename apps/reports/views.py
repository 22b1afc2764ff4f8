from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.core.middleware import client_ip
from apps.core.models import Job
from apps.core.scoping import Perm, get_scope
from apps.orgs.selectors import access_org
from apps.reports.yearly import start_report

FIRST_YEAR = 2000


def _allowed(request: HttpRequest) -> None:
    scope = get_scope(request.user)
    if not (scope.is_superuser or scope.paths(Perm.ORGS_VIEW)):
        raise Http404


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Start a yearly report for the scope or one organization; earlier reports stay for download."""
    _allowed(request)
    this_year = timezone.localdate().year
    if request.method == "POST":
        raw_year, raw_org = request.POST.get("year", ""), request.POST.get("org", "")
        if not raw_year.isdigit() or not FIRST_YEAR <= int(raw_year) <= this_year:
            messages.error(request, f"请选择{FIRST_YEAR}年至{this_year}年之间的年份")
            return redirect("reports:index")
        org = access_org(request.user, int(raw_org)) if raw_org.isdigit() else None
        job = start_report(user=request.user, year=int(raw_year), org=org, ip_address=client_ip(request))
        return redirect("core:job", job_id=job.pk)
    reports = Job.objects.filter(created_by_id=request.user.pk, kind="reports.yearly").order_by(
        "-created_at"
    )[:50]
    return render(
        request,
        "reports/index.html",
        {"years": range(this_year, FIRST_YEAR - 1, -1), "reports": reports, "this_year": this_year},
    )
