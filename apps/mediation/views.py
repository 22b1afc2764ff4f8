"""Mediation pages: the ledger, a case and its actions, the bulletin, institutions; and the public
pages where a resident applies and follows their case by the receipt code."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError
from apps.core.forms import parse_id
from apps.core.public import new_challenge, normalise_receipt, rate_limit, verify_challenge
from apps.core.uploads import stored_file_response
from apps.core.workflow import history
from apps.mediation import documents, selectors, services
from apps.mediation.choices import CaseSource, DisputeType, InstitutionKind, MediatorKind, SessionMode
from apps.mediation.flow import CASE_FLOW, JUDICIAL_FLOW
from apps.mediation.models import Case, Institution, Mediator


def _require_view(request: HttpRequest) -> None:
    if not selectors.may_view_mediation(request.user):
        raise Http404


def _day(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return None


def _filters(request: HttpRequest) -> selectors.LedgerFilters:
    g = request.GET
    inst = g.get("institution", "")
    return selectors.LedgerFilters(
        state=g.get("state", ""), institution=parse_id(inst), dispute_type=g.get("dispute_type", ""),
        source=g.get("source", ""), start=_day(g.get("start")), end=_day(g.get("end")), q=g.get("q", "")[:50],
        overdue=g.get("overdue") == "1", accepted=g.get("accepted") == "1", sort=g.get("sort", "-received_on"),
    )  # fmt: skip


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The ledger (工作台账): every case the user may see, filtered, sorted, paged, exportable."""
    _require_view(request)
    f = _filters(request)
    qs = selectors.ledger(request.user, f)
    if request.GET.get("export") == "xlsx":
        total = qs.count()
        if total > documents.EXPORT_LIMIT:
            messages.error(
                request,
                f"符合条件的案件有 {total} 件，超过单次导出上限 {documents.EXPORT_LIMIT} 件，请缩小时间范围",
            )
            return redirect(request.path + "?" + request.GET.copy().urlencode().replace("export=xlsx", ""))
        response = HttpResponse(
            documents.ledger_export(request.user, qs, documents.EXPORT_LIMIT), content_type=documents.XLSX
        )
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''mediation-ledger-{timezone.localdate():%Y%m%d}.xlsx"
        )
        return response
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    institutions = list(selectors.institutions_for(request.user).order_by("kind", "name"))
    return render(
        request,
        "mediation/index.html",
        {
            "page": page, "f": f, "counts": selectors.case_counts(request.user), "today": timezone.localdate(),
            "institutions": institutions,
            "states": CASE_FLOW.choices(), "types": DisputeType.choices, "sources": CaseSource.choices,
            "may_register": any(selectors.may_supervise(request.user, i) for i in institutions),
        },
    )  # fmt: skip


def _post_values(request: HttpRequest) -> dict[str, Any]:
    return {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """Staff register a case referred by a court, the police, the grid or another department, or a visit."""
    _require_view(request)
    institutions = [
        i
        for i in selectors.institutions_for(request.user).filter(is_active=True)
        if selectors.may_supervise(request.user, i)
    ]
    if not institutions:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            case = services.register_case(request.user, _post_values(request), request.FILES.getlist("files"))
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"已收案，回执码 {case.receipt}")
            return redirect("mediation:detail", case_id=case.pk)
    return render(
        request,
        "mediation/register.html",
        {"error": error, "data": request.POST, "institutions": institutions, "types": DisputeType.choices,
         "sources": [c for c in CaseSource.choices if c[0] != CaseSource.ONLINE], "today": timezone.localdate()},
    )  # fmt: skip


@login_required
def detail(request: HttpRequest, case_id: int) -> HttpResponse:
    _require_view(request)
    case = selectors.access_case(request.user, case_id)
    judicial = getattr(case, "judicial", None) if hasattr(case, "judicial") else None
    can_supervise = selectors.may_supervise(request.user, case.institution)
    can_mediate = selectors.may_mediate(request.user, case)
    allowed = {t.action for t in CASE_FLOW.allowed(case.state)}
    return render(
        request,
        "mediation/detail.html",
        {
            "case": case, "parties": list(case.parties.all()), "sessions": list(case.sessions.select_related("recorded_by")),
            "attachments": list(case.attachments.all()), "history": history(case, CASE_FLOW, opened="收案"),
            "judicial": judicial, "judicial_history": history(judicial, JUDICIAL_FLOW, opened="申请司法确认") if judicial else [],
            "can_supervise": can_supervise, "can_mediate": can_mediate, "allowed": allowed,
            "mediators": list(case.institution.mediators.filter(is_active=True)), "modes": SessionMode.choices,
            "today": timezone.localdate(), "overdue": case.is_open and case.due_date and case.due_date < timezone.localdate(),
            "request_link": _request_link(request.user, case),
        },
    )  # fmt: skip


def _request_link(user: Any, case: Case) -> str:
    """The resident request a case came from, when the viewer may open it."""
    from apps.resident_requests.selectors import requests_for

    if case.from_request_id and requests_for(user).filter(pk=case.from_request_id).exists():
        return reverse("resident_requests:detail", args=[case.from_request_id])
    return ""


ACTIONS = {
    "accept": lambda r, pk: services.accept(r.user, pk, on=_day(r.POST.get("on"))),
    "reject": lambda r, pk: services.reject(r.user, pk, r.POST.get("reason", ""), on=_day(r.POST.get("on"))),
    "assign": lambda r, pk: services.assign(r.user, pk, r.POST.get("mediator")),
    "session": lambda r, pk: services.record_session(r.user, pk, _post_values(r)),
    "succeed": lambda r, pk: services.succeed(r.user, pk, r.POST.get("agreement", ""), r.POST.get("performance", ""), on=_day(r.POST.get("on"))),
    "fail": lambda r, pk: services.fail(r.user, pk, r.POST.get("reason", ""), on=_day(r.POST.get("on"))),
    "withdraw": lambda r, pk: services.withdraw(r.user, pk, r.POST.get("reason", "")),
    "judicial": lambda r, pk: services.apply_judicial(r.user, pk, r.POST.get("court", ""), on=_day(r.POST.get("on"))),
    "court_accept": lambda r, pk: services.judicial_decide(r.user, pk, "court_accept", court_number=r.POST.get("court_number", ""), on=_day(r.POST.get("on"))),
    "confirm": lambda r, pk: services.judicial_decide(r.user, pk, "confirm", court_number=r.POST.get("court_number", ""), on=_day(r.POST.get("on"))),
    "dismiss": lambda r, pk: services.judicial_decide(r.user, pk, "dismiss", note=r.POST.get("reason", ""), on=_day(r.POST.get("on"))),
    "files": lambda r, pk: services.add_attachments(r.user, pk, r.FILES.getlist("files")),
}  # fmt: skip

DONE = {
    "accept": "已受理，请分派调解员", "reject": "已决定不予受理", "assign": "已分派调解员", "session": "已记录调解情况",
    "succeed": "已调解成功结案，可打印调解协议书", "fail": "已按调解不成结案", "withdraw": "已登记撤回",
    "judicial": "已登记司法确认申请", "court_accept": "已登记法院受理", "confirm": "已登记确认有效", "dismiss": "已登记驳回", "files": "材料已上传",
}  # fmt: skip


@login_required
@require_POST
def act(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    _require_view(request)
    if action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](request, case_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, DONE[action])
    return redirect("mediation:detail", case_id=case_id)


@login_required
def attachment(request: HttpRequest, case_id: int, attachment_id: int) -> FileResponse:
    _require_view(request)
    case = selectors.access_case(request.user, case_id)
    item = case.attachments.filter(pk=attachment_id).first()
    if item is None:
        raise Http404
    return stored_file_response(item.path, item.name, item.content_type)


def _agreement_response(case: Case) -> HttpResponse:
    if case.state != "success":
        raise Http404
    response = HttpResponse(documents.agreement_pdf(case), content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''agreement-{case.receipt}.pdf"
    return response


@login_required
def agreement(request: HttpRequest, case_id: int) -> HttpResponse:
    _require_view(request)
    return _agreement_response(selectors.access_case(request.user, case_id))


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start = _day(request.GET.get("start")) or dt.date(today.year, 1, 1)
    end = _day(request.GET.get("end")) or today
    if end < start:
        start, end = end, start
    return start, end


@login_required
def bulletin(request: HttpRequest) -> HttpResponse:
    """The periodic bulletin (通报): figures per institution and in total for a period."""
    _require_view(request)
    start, end = _period(request)
    chosen = None
    chosen_id = parse_id(request.GET.get("institution", ""))
    if chosen_id is not None:
        chosen = selectors.access_institution(request.user, chosen_id)
    report = documents.bulletin_report(request.user, start, end, chosen)
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "pdf"):
        body, kind = (report.pdf(), "application/pdf") if fmt == "pdf" else (report.xlsx(), documents.XLSX)
        response = HttpResponse(body, content_type=kind)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{report.filename}.{fmt}"
        return response
    institutions = selectors.institutions_for(request.user).exclude(kind=InstitutionKind.CENTER)
    return render(
        request,
        "mediation/bulletin.html",
        {"start": start, "end": end, "rows": report.per_institution, "total": report.total, "late_names": report.late_names,
         "notes": report.notes, "title": report.title, "institutions": institutions.order_by("kind", "name"), "chosen": chosen},
    )  # fmt: skip


@login_required
def institutions(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    qs = (
        selectors.institutions_for(request.user)
        .select_related("supervisor")
        .annotate(n_mediators=Count("mediators", distinct=True))
        .order_by("kind", "name")
    )
    apply_url = request.build_absolute_uri(reverse("mediation:apply"))
    out = BytesIO()
    segno.make(apply_url, error="m").save(
        out, kind="svg", scale=5, xmldecl=False, svgns=True, title="扫码申请调解"
    )
    return render(
        request,
        "mediation/institutions.html",
        {"institutions": qs, "may_create": selectors.visible_institution_ids(request.user) is None,
         "apply_url": apply_url, "apply_qr": out.getvalue().decode()},
    )  # fmt: skip


def _institution_form(request: HttpRequest, institution: Institution | None) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            values = _post_values(request) | {
                "is_active": "is_active" in request.POST
            }  # an unticked box is absent
            saved = services.institution_save(request.user, values, institution)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, "已保存")
            return redirect("mediation:institution", institution_id=saved.pk)
    mediators = list(institution.mediators.select_related("user")) if institution else []
    can_edit = institution is None or selectors.visible_institution_ids(request.user) is None or (
        institution.supervisor_id is not None and selectors.may_supervise(request.user, institution.supervisor)
    )  # fmt: skip
    return render(
        request,
        "mediation/institution.html",
        {"institution": institution, "error": error, "data": request.POST or None, "kinds": InstitutionKind.choices,
         "supervisors": _supervisor_choices(request.user, institution),
         "mediators": mediators, "mediator_kinds": MediatorKind.choices, "can_edit": can_edit,
         "can_manage_mediators": institution is not None and selectors.may_supervise(request.user, institution)},
    )  # fmt: skip


def _supervisor_choices(user: Any, institution: Institution | None) -> list[Institution]:
    """The bodies an institution may report to: those the user sees, and always its current one (a
    mediator may not see the centre above them, but their page must still name it)."""
    choices = list(
        selectors.institutions_for(user).exclude(pk=institution.pk if institution else 0).order_by("name")
    )
    current = institution.supervisor if institution is not None else None
    if current is not None and current not in choices:
        choices.insert(0, current)
    return choices


@login_required
def institution_new(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    if selectors.visible_institution_ids(request.user) is not None:
        raise Http404
    return _institution_form(request, None)


@login_required
def institution(request: HttpRequest, institution_id: int) -> HttpResponse:
    _require_view(request)
    return _institution_form(request, selectors.access_institution(request.user, institution_id))


@login_required
@require_POST
def mediator_save(request: HttpRequest, institution_id: int) -> HttpResponse:
    _require_view(request)
    inst = selectors.access_institution(request.user, institution_id)
    raw = request.POST.get("mediator", "")
    mediator_id = parse_id(raw)
    existing = Mediator.objects.filter(pk=mediator_id, institution=inst).first() if mediator_id else None
    values = _post_values(request) | {
        "is_active": "is_active" in request.POST,
        "is_admin": "is_admin" in request.POST,
    }
    try:
        services.mediator_save(request.user, inst, values, existing)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "调解员信息已保存")
    return redirect("mediation:institution", institution_id=inst.pk)


@login_required
@require_POST
def refer(request: HttpRequest, request_id: int) -> HttpResponse:
    """From a resident's request being handled: hand the dispute to a mediation institution."""
    try:
        case = services.refer_request(request.user, request_id, _post_values(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已转{case.institution.name}调解，回执码 {case.receipt}，并已答复群众")
    return redirect("resident_requests:detail", request_id=request_id)


# ---- public pages (no login) ----


def _public_context(**extra: Any) -> dict[str, Any]:
    return {"institutions": Institution.objects.filter(is_active=True, online=True).exclude(kind=InstitutionKind.CENTER).order_by("kind", "name"), **extra}  # fmt: skip


def apply(request: HttpRequest) -> HttpResponse:
    """A resident applies for mediation (phone-first form, rate limited, with a human check)."""
    error = None
    if request.method == "POST":
        try:
            rate_limit(request, "mediation-apply")
            if request.POST.get("website"):  # the hidden field only robots fill in
                raise DomainError("public.bot", "提交未通过校验，请刷新页面后重试")
            key = verify_challenge(request.POST.get("token", ""), request.POST.get("answer", ""))
            case, _created = services.apply_online(
                _post_values(request), request.FILES.getlist("files"), submission_key=key, user=request.user
            )
        except DomainError as exc:
            error = exc
        else:
            return render(request, "mediation/public_done.html", {"case": case})
    return render(
        request,
        "mediation/public_apply.html",
        _public_context(error=error, data=request.POST, challenge=new_challenge(), types=DisputeType.choices),
        status=(error.status if error and error.status == 429 else 200),
    )


def track(request: HttpRequest) -> HttpResponse:
    """A resident follows their case with the receipt code (posted, so it stays out of address logs)."""
    case = None
    error = None
    code = ""
    if request.method == "POST":
        code = normalise_receipt(request.POST.get("receipt", ""))
        try:
            rate_limit(request, "mediation-track", limit=30)
        except DomainError as exc:
            error = exc.message
        else:
            case = selectors.case_by_receipt(code)
            if case is None:
                error = "未找到该回执码对应的申请，请核对后重试"
            elif request.POST.get("download") == "agreement":
                return _agreement_response(case)
    steps = selectors.public_steps(case) if case is not None else []
    mine = selectors.applications_of(request.user)
    return render(
        request,
        "mediation/public_track.html",
        {"case": case, "error": error, "code": code, "steps": steps, "mine": mine},
    )
