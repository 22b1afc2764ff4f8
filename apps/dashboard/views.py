from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from apps.core.scoping import Perm, get_scope
from apps.dashboard.selectors import dashboard_figures, park_map
from apps.orgs.selectors import access_org


def _org(request: HttpRequest):  # type: ignore[no-untyped-def]
    raw = request.GET.get("org", "")
    return access_org(request.user, int(raw)) if raw.isdigit() else None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    return render(
        request, "dashboard/home.html", {"figures": dashboard_figures(request.user, org), "org": org}
    )


@login_required
def screen(request: HttpRequest) -> HttpResponse:
    """The big screen (大屏): the same figures full-screen, refreshing themselves."""
    scope = get_scope(request.user)
    if not (scope.is_superuser or scope.paths(Perm.ORGS_VIEW)):
        raise Http404
    org = _org(request)
    figures = dashboard_figures(request.user, org)
    figures["charts"]["parks"] = park_map(request.user, org)
    return render(request, "dashboard/screen.html", {"figures": figures, "org": org, "refresh_seconds": 300})
