from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.alerts import selectors, services
from apps.alerts.store import refresh_alerts
from apps.core.rules_engine import RULES
from apps.core.scoping import Perm, get_scope


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    qs = selectors.alerts_for(request.user)
    state = request.GET.get("state", "open")
    qs = qs.filter(resolved_at__isnull=True) if state != "resolved" else qs.filter(resolved_at__isnull=False)
    kind = request.GET.get("kind", "")
    if kind in RULES:
        qs = qs.filter(kind=kind)
    if request.GET.get("unread") == "1":
        qs = selectors.unread(qs, request.user)
    page = Paginator(
        qs.select_related("org").order_by("is_read", "level", "due_date", "-first_seen", "id"), 50
    ).get_page(request.GET.get("page"))
    # Only the kinds this user can receive: a mediator's inbox need not offer re-elections.
    present = set(selectors.alerts_for(request.user).order_by().values_list("kind", flat=True).distinct())
    kinds = [(k, label) for k, (label, _fn) in RULES.items() if k in present]
    scope = get_scope(request.user)
    return render(
        request,
        "alerts/inbox.html",
        {
            "page": page,
            "kinds": kinds,
            "kind": kind,
            "state": state,
            "can_refresh": scope.has(Perm.REQUIREMENTS_EDIT),
            "party": scope.is_superuser
            or bool(scope.paths(Perm.MEMBERS_VIEW))
            or scope.member_id is not None,
        },
    )


@login_required
def open_alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Marks the alert read and goes to where it can be acted on."""
    alert = selectors.access_alert(request.user, alert_id)
    services.alert_mark_read(actor=request.user, alert_id=alert.pk)
    return redirect(alert.link or "alerts:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.alert_mark_all_read(actor=request.user)
    messages.success(request, f"已将{count}条预警标为已读")
    return redirect("alerts:inbox")


@login_required
@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    if not get_scope(request.user).has(Perm.REQUIREMENTS_EDIT):
        raise Http404
    result = refresh_alerts()
    messages.success(request, f"已重新检查：新增{result['created']}条，消除{result['resolved']}条")
    return redirect("alerts:inbox")
