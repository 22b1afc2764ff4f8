"""Pages of resident requests: the public form and tracking page (no login, phone-sized), and the staff
list, detail, intake, department inbox, work orders and configuration."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.core.audit import log_access
from apps.core.errors import DomainError
from apps.core.forms import parse_id
from apps.core.models import AccessAction
from apps.core.public import new_challenge, rate_limit
from apps.core.uploads import stored_file_response
from apps.resident_requests import excel, selectors, services
from apps.resident_requests.choices import MAX_ATTACHMENTS, RATING_WAIT_DAYS, Category, Channel
from apps.resident_requests.flow import PART_FLOW, PUBLIC_LABELS, PUBLIC_STATES, REQUEST_FLOW
from apps.resident_requests.history import public_history, request_history
from apps.resident_requests.models import (
    CategoryRule,
    Department,
    RequestAttachment,
    ResidentRequest,
    WorkOrder,
    WorkOrderPart,
    WorkOrderState,
)

SORTS = {
    "-received_on": ("受理日期（新→旧）", ["-received_on", "-id"]),
    "received_on": ("受理日期（旧→新）", ["received_on", "id"]),
    "due_date": ("办理期限（近→远）", ["due_date", "id"]),
    "-escalation_level": ("督办等级（高→低）", ["-escalation_level", "due_date", "id"]),
}
MANAGER_ACTIONS = {"route", "reject", "to_work_order", "close", "return"}
DEPARTMENT_ACTIONS = {"accept", "return", "reply"}


def _nav(request: HttpRequest) -> dict[str, Any]:
    return {
        "is_manager": selectors.is_manager(request.user),
        "my_departments": selectors.department_ids(request.user),
    }


def _zones() -> list[Any]:
    from apps.grid.models import Zone

    return list(Zone.objects.filter(is_active=True).order_by("code")[:300])


# ---------------------------------------------------------------- public pages


def _public_form(
    request: HttpRequest, *, values: Any = None, error: DomainError | None = None, status: int = 200
) -> HttpResponse:
    challenge = new_challenge()
    return render(
        request,
        "resident_requests/public_submit.html",
        {
            "challenge": challenge, "values": values or {}, "error": error, "categories": Category.choices,
            "zones": _zones(), "max_files": MAX_ATTACHMENTS,
        },
        status=status,
    )  # fmt: skip


def public_submit(request: HttpRequest) -> HttpResponse:
    """The resident's form: rate limited, a human check, a honeypot, up to three attachments."""
    if request.method != "POST":
        return _public_form(request)
    try:
        rate_limit(request, "requests.submit")
        created_request, _created = services.submit_public(
            values=request.POST.dict(),
            files=request.FILES.getlist("files"),
            token=request.POST.get("token", ""),
            answer=request.POST.get("answer", ""),
            trap=request.POST.get("website", ""),
            actor=request.user if request.user.is_authenticated else None,
        )
    except DomainError as exc:
        return _public_form(
            request, values=request.POST, error=exc, status=exc.status if exc.status in (400, 429) else 400
        )
    return render(request, "resident_requests/public_receipt.html", {"r": created_request})


def _track_context(found: ResidentRequest) -> dict[str, Any]:
    return {
        "r": found,
        "state_label": PUBLIC_STATES.get(found.state, ""),
        "events": public_history(found),
        "can_rate": found.state == "replied" and found.rating is None,
        "rating_wait_days": RATING_WAIT_DAYS,
        "stars": range(1, 6),
    }


def public_track(request: HttpRequest) -> HttpResponse:
    """Status by receipt code; an unknown code gets the same neutral answer as a mistyped one."""
    context: dict[str, Any] = {"code": ""}
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "")
        context["code"] = code[:30]
        try:
            rate_limit(request, "requests.track")
        except DomainError as exc:
            context["error"] = exc.message
            return render(request, "resident_requests/public_track.html", context, status=429)
        found = services.find_by_receipt(code)
        if found is None:
            context["not_found"] = True
        else:
            context.update(_track_context(found))
    return render(request, "resident_requests/public_track.html", context, status=status)


@require_POST
def public_rate(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("code", "")
    context: dict[str, Any] = {"code": code[:30]}
    try:
        rate_limit(request, "requests.track")
    except DomainError as exc:  # no lookup at all once the limit is spent
        context["error"] = exc.message
        return render(request, "resident_requests/public_track.html", context, status=429)
    try:
        found = services.rate(
            code=code, rating=request.POST.get("rating"), comment=request.POST.get("comment", "")
        )
    except Http404:
        context["not_found"] = True
        return render(request, "resident_requests/public_track.html", context)
    except DomainError as exc:
        found_again = services.find_by_receipt(code)
        if found_again is None:
            context["not_found"] = True
        else:
            context.update(_track_context(found_again))
        context["error"] = exc.message
        return render(request, "resident_requests/public_track.html", context, status=exc.status)
    context.update(_track_context(found))
    context["thanks"] = True
    return render(request, "resident_requests/public_track.html", context)


# ---------------------------------------------------------------- staff: list and detail


def _require_view(request: HttpRequest) -> None:
    if not selectors.may_view_requests(request.user):
        raise Http404


def _list_context(request: HttpRequest, qs: Any, *, base_tab: str = "todo") -> dict[str, Any]:
    today = timezone.localdate()
    filtered = selectors.filter_requests(qs, request.GET)
    counts = selectors.tab_counts(filtered, today)
    tab = request.GET.get("tab", base_tab)
    tab = tab if tab in selectors.TABS else base_tab
    sort = request.GET.get("sort", "-received_on")
    sort = sort if sort in SORTS else "-received_on"
    rows = (
        filtered.filter(selectors.TABS[tab][1](today))
        .select_related("department", "zone")
        .order_by(*SORTS[sort][1])
    )
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return {
        "page": page, "tab": tab, "tabs": [(k, v[0], counts[k]) for k, v in selectors.TABS.items()],
        "sort": sort, "sorts": [(k, v[0]) for k, v in SORTS.items()], "params": request.GET, "today": today,
        "categories": Category.choices, "channels": Channel.choices,
        "zones": list(selectors.filter_zones(request.user)[:300]),
        "departments": list(Department.objects.filter(is_active=True).order_by("code")),
        "is_manager": selectors.is_manager(request.user),
        "my_departments": selectors.department_ids(request.user),
    }  # fmt: skip


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    base_tab = "todo" if selectors.is_manager(request.user) else "all"
    context = _list_context(request, selectors.requests_for(request.user), base_tab=base_tab)
    context["title"] = "民情诉求"
    return render(request, "resident_requests/index.html", context)


@login_required
def department_inbox(request: HttpRequest) -> HttpResponse:
    """The department's own requests (routed to it, or a work order it takes part in)."""
    depts = selectors.department_ids(request.user)
    if not depts:
        raise Http404
    qs = selectors.requests_for(request.user).filter(department_id__in=depts)
    context = _list_context(request, qs, base_tab="handling")
    parts = (
        WorkOrderPart.objects.filter(department_id__in=depts, state__in=("pending", "working"))
        .select_related("work_order", "department")
        .order_by("due_date", "id")[:50]
    )
    context.update({"title": "部门待办", "inbox": True, "parts": list(parts)})
    return render(request, "resident_requests/index.html", context)


@login_required
def export(request: HttpRequest) -> FileResponse:
    _require_view(request)
    today = timezone.localdate()
    tab = request.GET.get("tab", "all")
    tab = tab if tab in selectors.TABS else "all"
    qs = selectors.filter_requests(selectors.requests_for(request.user), request.GET).filter(
        selectors.TABS[tab][1](today)
    )
    path = Path(tempfile.mkstemp(suffix=".xlsx")[1])
    count = excel.export_requests(qs.order_by("-received_on", "-id"), path)
    log_access(user=request.user, action=AccessAction.EXPORT_MASKED, target_type="resident_request",
               target_label=f"民情诉求{count}条", detail={"条件": request.GET.dict()})  # fmt: skip
    data = path.read_bytes()
    path.unlink(missing_ok=True)
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=f"民情诉求-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    )


def _allowed_actions(request: HttpRequest, r: ResidentRequest) -> list[str]:
    user = request.user
    mine: set[str] = set()
    if selectors.is_manager(user):
        mine |= MANAGER_ACTIONS
    if getattr(user, "is_superuser", False) or selectors.may_act_as_department(user, r.department_id):
        mine |= DEPARTMENT_ACTIONS
    allowed = [t.action for t in REQUEST_FLOW.allowed(r.state) if t.action in mine]
    if r.state == "work_order" and "reply" in allowed:
        allowed.remove("reply")  # the lead department sends the combined reply from the work order
    return allowed


def _detail_context(request: HttpRequest, r: ResidentRequest, **extra: Any) -> dict[str, Any]:
    rule = CategoryRule.objects.filter(category=r.category).select_related("department").first()
    return {
        "r": r, "events": request_history(r), "actions": _allowed_actions(request, r),
        "attachments": list(r.attachments.all()), "today": timezone.localdate(),
        "may_upload": r.state not in ("closed", "rejected") and selectors.may_act_on(request.user, r),
        "departments": list(Department.objects.filter(is_active=True).order_by("code")),
        "rule": rule, "work_order": WorkOrder.objects.filter(request=r).first(),
        "is_manager": selectors.is_manager(request.user), "public_labels": PUBLIC_LABELS,
        "mediation_cases": list(r.mediation_cases.select_related("institution")), **_referral_choices(), **extra,
    }  # fmt: skip


def _referral_choices() -> dict[str, Any]:
    """What the “转人民调解” form offers: the institutions taking cases and the dispute types."""
    from apps.mediation.choices import DisputeType, InstitutionKind
    from apps.mediation.models import Institution

    institutions = (
        Institution.objects.filter(is_active=True)
        .exclude(kind=InstitutionKind.CENTER)
        .order_by("kind", "name")
    )
    return {"mediation_institutions": list(institutions), "dispute_types": DisputeType.choices}


@login_required
def detail(request: HttpRequest, request_id: int) -> HttpResponse:
    r = selectors.access_request(request.user, request_id)
    return render(request, "resident_requests/detail.html", _detail_context(request, r))


@login_required
@require_POST
def reveal(request: HttpRequest, request_id: int) -> HttpResponse:
    phone = services.reveal_phone(actor=request.user, request_id=request_id)
    r = selectors.access_request(request.user, request_id)
    return render(request, "resident_requests/detail.html", _detail_context(request, r, revealed_phone=phone))


@login_required
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    """Attachments are stored outside the web root and sent only to who may see their request."""
    found = RequestAttachment.objects.filter(pk=attachment_id).first()
    if found is None:
        raise Http404
    selectors.access_request(request.user, found.request_id)
    return stored_file_response(found.path, found.name, found.content_type)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, request_id: int) -> HttpResponse:
    selectors.access_request(request.user, request_id)
    try:
        added = services.add_attachments(
            actor=request.user, request_id=request_id, files=request.FILES.getlist("files")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已上传{len(added)}个附件")
    return redirect("resident_requests:detail", request_id=request_id)


def _int(raw: Any) -> int | None:
    raw = str(raw or "")
    return parse_id(raw)


ACTIONS = {
    "route": lambda r, tid: services.route(actor=r.user, request_id=tid, department_id=_int(r.POST.get("department")), note=r.POST.get("note", "")),
    "accept": lambda r, tid: services.accept(actor=r.user, request_id=tid),
    "return": lambda r, tid: services.return_request(actor=r.user, request_id=tid, reason=r.POST.get("note", "")),
    "reject": lambda r, tid: services.reject(actor=r.user, request_id=tid, reason=r.POST.get("note", "")),
    "reply": lambda r, tid: services.reply(actor=r.user, request_id=tid, text=r.POST.get("reply", "")),
    "close": lambda r, tid: services.close(actor=r.user, request_id=tid),
}  # fmt: skip
DONE_MESSAGES = {
    "route": "已分派", "accept": "已受理", "return": "已退回重新分派", "reject": "已不予受理",
    "reply": "已答复，等待群众评价", "close": "已办结",
}  # fmt: skip


@login_required
@require_POST
def action(request: HttpRequest, request_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    selectors.access_request(request.user, request_id)
    try:
        ACTIONS[action](request, request_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, DONE_MESSAGES[action])
    return redirect("resident_requests:detail", request_id=request_id)


# ---------------------------------------------------------------- staff: intake


TITLE_BREAKS = re.compile(r"[。！？!?；;，,、\n]")


def title_from(text: str, limit: int = 30) -> str:
    """A title from the first words of a visit's needs: up to the first break, at most `limit` chars."""
    first = TITLE_BREAKS.split(text.strip(), maxsplit=1)[0].strip()
    return first[:limit]


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """Hotline or visit intake by staff; `?household=<id>` for a liaison submitting for a household,
    with `&visit=<id>` when it comes from a visit-log entry of that household (channel 走访, the
    content taken from what the resident asked for)."""
    household_id = _int(request.GET.get("household") or request.POST.get("household"))
    household = selectors.access_household(request.user, household_id) if household_id else None
    if household is None and not (
        selectors.is_manager(request.user) or selectors.department_ids(request.user)
    ):
        raise Http404
    visit = selectors.visit_of(household, request.GET.get("visit") or request.POST.get("visit"))
    error = None
    values: Any = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        channel = (
            Channel.LIAISON
            if household is not None and request.POST.get("channel") != Channel.VISIT
            else request.POST.get("channel", "")
        )
        try:
            created = services.submit_staff(
                actor=request.user, channel=channel, values=request.POST.dict(),
                files=request.FILES.getlist("files"), household_id=household.pk if household else None,
                visit_id=visit.pk if visit is not None else None,
            )  # fmt: skip
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"已登记，受理编号{created.receipt_code}")
            return redirect("resident_requests:detail", request_id=created.pk)
    elif household is not None:
        values = {"submitter_name": household.head_name, "address": household.address}
        if visit is not None:
            needs = (visit.needs or visit.content).strip()
            values.update(channel=Channel.VISIT.value, content=needs[:2000], title=title_from(needs))
    household_channels = [
        (Channel.LIAISON.value, Channel.LIAISON.label),
        (Channel.VISIT.value, Channel.VISIT.label),
    ]
    return render(
        request,
        "resident_requests/new.html",
        {
            "household": household, "visit": visit, "values": values, "error": error, "categories": Category.choices,
            "zones": _zones(), "channels": [(Channel.HOTLINE.value, Channel.HOTLINE.label), (Channel.VISIT.value, Channel.VISIT.label)],
            "household_channels": household_channels, "max_files": MAX_ATTACHMENTS,
        },
    )  # fmt: skip


# ---------------------------------------------------------------- staff: the public entry as a QR code


def submit_qr(request: HttpRequest) -> tuple[str, str]:
    """The public form's absolute address and its QR code as inline SVG."""
    url = request.build_absolute_uri(reverse("resident_requests:submit"))
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=6, xmldecl=False, svgns=True, title="扫码反映诉求")
    return url, out.getvalue().decode()


@login_required
def poster(request: HttpRequest) -> HttpResponse:
    """A printable notice with the QR code of the public form, to post in residential areas."""
    _require_view(request)
    url, qr = submit_qr(request)
    return render(
        request, "resident_requests/poster.html", {"submit_url": url, "submit_qr": qr, **_nav(request)}
    )


# ---------------------------------------------------------------- work orders


@login_required
def work_orders(request: HttpRequest) -> HttpResponse:
    qs = selectors.work_orders_for(request.user)
    if not (selectors.may_view_requests(request.user)):
        raise Http404
    state = request.GET.get("state", "")
    if state in WorkOrderState.values:
        qs = qs.filter(state=state)
    q = request.GET.get("q", "").strip()[:40]
    if q:
        qs = qs.filter(title__icontains=q) | qs.filter(number__icontains=q)
    department = _int(request.GET.get("department"))
    if department:
        qs = qs.filter(parts__department_id=department).distinct()
    sort = "created_at" if request.GET.get("sort") == "created_at" else "-created_at"
    qs = (
        qs.select_related("lead_department", "request")
        .prefetch_related(
            Prefetch("parts", queryset=WorkOrderPart.objects.select_related("department").order_by("id"))
        )
        .order_by(sort, "-id")
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "resident_requests/work_orders.html",
        {
            "page": page, "params": request.GET, "states": WorkOrderState.choices, "sort": sort,
            "departments": list(Department.objects.filter(is_active=True).order_by("code")), "today": timezone.localdate(),
            **_nav(request),
        },
    )  # fmt: skip


def _part_actions(request: HttpRequest, part: WorkOrderPart, manager: bool) -> list[str]:
    mine: set[str] = set()
    if getattr(request.user, "is_superuser", False) or selectors.may_act_as_department(
        request.user, part.department_id
    ):
        mine |= {"sign", "complete", "return"}
    if manager:
        mine.add("reopen")
    return [t.action for t in PART_FLOW.allowed(part.state) if t.action in mine]


@login_required
def work_order_detail(request: HttpRequest, work_order_id: int) -> HttpResponse:
    from apps.core.workflow import history

    order = selectors.access_work_order(request.user, work_order_id)
    manager = selectors.is_manager(request.user)
    parts = list(order.parts.select_related("department").order_by("id"))
    rows = [(p, _part_actions(request, p, manager), history(p, PART_FLOW, opened="交办")) for p in parts]
    can_send = order.state == WorkOrderState.READY and (
        manager or selectors.may_act_as_department(request.user, order.lead_department_id)
    )
    return render(
        request,
        "resident_requests/work_order_detail.html",
        {"o": order, "rows": rows, "can_send": can_send, "today": timezone.localdate(), "is_manager": manager,
         "departments": list(Department.objects.filter(is_active=True).order_by("code"))},
    )  # fmt: skip


@login_required
def work_order_new(request: HttpRequest, request_id: int) -> HttpResponse:
    r = selectors.access_request(request.user, request_id)
    if not selectors.is_manager(request.user):
        raise Http404
    error = None
    departments = list(Department.objects.filter(is_active=True).order_by("code"))
    if request.method == "POST":
        parts = [
            {"department_id": request.POST.get(f"part_department_{i}"), "task": request.POST.get(f"part_task_{i}", ""),
             "working_days": request.POST.get(f"part_days_{i}", "")}
            for i in range(1, len(departments) + 1)
        ]  # fmt: skip
        try:
            order = services.to_work_order(
                actor=request.user, request_id=r.pk, title=request.POST.get("title", ""),
                content=request.POST.get("content", ""), lead_department_id=_int(request.POST.get("lead_department")), parts=parts,
            )  # fmt: skip
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"已发起工作联系单{order.number}")
            return redirect("resident_requests:work_order", work_order_id=order.pk)
    values = request.POST if request.method == "POST" else {"title": r.title, "content": r.content}
    slots = [
        {"i": i, "department": request.POST.get(f"part_department_{i}", ""), "task": request.POST.get(f"part_task_{i}", ""),
         "days": request.POST.get(f"part_days_{i}", "") or 5}
        for i in range(1, len(departments) + 1)
    ]  # fmt: skip
    return render(
        request,
        "resident_requests/work_order_new.html",
        {"r": r, "departments": departments, "slots": slots, "values": values, "error": error},
    )


PART_ACTIONS = {
    "sign": (lambda r, pid: services.part_sign(actor=r.user, part_id=pid), "已签收"),
    "complete": (lambda r, pid: services.part_complete(actor=r.user, part_id=pid, text=r.POST.get("reply", "")), "已办结"),
    "return": (lambda r, pid: services.part_return(actor=r.user, part_id=pid, reason=r.POST.get("note", "")), "已退回"),
    "reopen": (
        lambda r, pid: services.part_reopen(actor=r.user, part_id=pid, department_id=_int(r.POST.get("department")),
                                            working_days=_int(r.POST.get("working_days"))),
        "已重新交办",
    ),
}  # fmt: skip


@login_required
@require_POST
def part_action(request: HttpRequest, part_id: int, action: str) -> HttpResponse:
    if action not in PART_ACTIONS:
        raise Http404
    part = WorkOrderPart.objects.filter(pk=part_id).values_list("work_order_id", flat=True).first()
    if part is None:
        raise Http404
    selectors.access_work_order(request.user, part)
    fn, done = PART_ACTIONS[action]
    try:
        fn(request, part_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("resident_requests:work_order", work_order_id=part)


@login_required
@require_POST
def work_order_send(request: HttpRequest, work_order_id: int) -> HttpResponse:
    try:
        services.work_order_send(
            actor=request.user, work_order_id=work_order_id, text=request.POST.get("reply", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已汇总答复群众")
    return redirect("resident_requests:work_order", work_order_id=work_order_id)


@login_required
def work_order_pdf(request: HttpRequest, work_order_id: int) -> HttpResponse:
    from apps.resident_requests.printing import render_work_order

    order = selectors.access_work_order(request.user, work_order_id)
    response = HttpResponse(render_work_order(order), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename={order.number}.pdf"
    return response


# ---------------------------------------------------------------- configuration


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    if not selectors.is_manager(request.user):
        raise Http404
    error = None
    if request.method == "POST":
        try:
            for category in Category.values:
                if f"days_{category}" in request.POST:
                    services.rule_save(
                        actor=request.user, category=category, working_days=request.POST.get(f"days_{category}"),
                        department_id=request.POST.get(f"department_{category}"),
                    )  # fmt: skip
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, "已保存办理时限")
            return redirect("resident_requests:rules")
    existing = {r.category: r for r in CategoryRule.objects.select_related("department", "updated_by")}
    return render(
        request,
        "resident_requests/rules.html",
        {
            "rows": [(value, label, existing.get(value)) for value, label in Category.choices], "error": error,
            "departments": list(Department.objects.filter(is_active=True).order_by("code")), **_nav(request),
        },
    )  # fmt: skip


@login_required
def departments(request: HttpRequest, department_id: int | None = None) -> HttpResponse:
    if not selectors.is_manager(request.user):
        raise Http404
    editing = Department.objects.filter(pk=department_id).first() if department_id else None
    if department_id and editing is None:
        raise Http404
    error = None
    values: Any = {}
    if editing is not None:
        values = {"name": editing.name, "code": editing.code, "phone": editing.phone, "is_active": editing.is_active,
                  "staff": ", ".join(editing.staff.order_by("username").values_list("username", flat=True))}  # fmt: skip
    if request.method == "POST":
        values = request.POST
        data = request.POST.dict()
        data["is_active"] = "1" if request.POST.get("is_active") else "0"
        try:
            saved = services.department_save(actor=request.user, values=data, department_id=department_id)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"已保存部门“{saved.name}”")
            return redirect("resident_requests:departments")
    q = request.GET.get("q", "").strip()[:40]
    rows = Department.objects.prefetch_related("staff").order_by("-is_active", "code")
    if q:
        rows = rows.filter(name__icontains=q)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "resident_requests/departments.html",
        {
            "page": page,
            "editing": editing,
            "values": values,
            "error": error,
            "params": request.GET,
            **_nav(request),
        },
    )
