from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError
from apps.core.forms import add_domain_error
from apps.core.scoping import Perm, get_scope
from apps.core.uploads import store_upload, stored_file_response
from apps.meetings import selectors, services
from apps.meetings.forms import AttachmentForm, MeetingForm
from apps.meetings.models import AttendanceStatus, Cadence, MeetingAttachment, MeetingType, Requirement
from apps.orgs.selectors import access_org, tree_roots


def _can_manage(request: HttpRequest) -> bool:
    scope = get_scope(request.user)
    return scope.is_superuser or bool(scope.paths(Perm.MEETINGS_MANAGE))


def _default_org(request: HttpRequest, perm: str = Perm.MEETINGS_VIEW):  # type: ignore[no-untyped-def]
    raw = request.GET.get("org") or request.POST.get("org") or ""
    if raw.isdigit():
        return access_org(request.user, int(raw), perm)
    roots = tree_roots(request.user)
    return roots[0] if len(roots) == 1 else None


def _date(raw: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return default


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    qs = selectors.meetings_for(request.user).select_related("org").order_by("-date", "-id")
    org = _default_org(request) if _can_manage(request) else None
    if org:
        qs = qs.filter(org_path__startswith=org.path)
    kind = request.GET.get("type", "")
    if kind in MeetingType.values:
        qs = qs.filter(meeting_type=kind)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    mine = None
    if scope.member_id:
        from apps.meetings.models import Attendance

        mine = list(
            Attendance.objects.filter(member_id=scope.member_id)
            .select_related("meeting")
            .order_by("-meeting__date")[:30]
        )
    return render(
        request,
        "meetings/list.html",
        {
            "page": page,
            "org": org,
            "kind": kind,
            "types": MeetingType.choices,
            "can_manage": _can_manage(request),
            "mine": mine,
        },
    )


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not _can_manage(request):
        raise Http404
    org = _default_org(request, Perm.MEETINGS_MANAGE)
    form = MeetingForm(
        request.POST or None,
        initial={"date": timezone.localdate(), "meeting_type": request.GET.get("type") or "theme_day"},
    )
    if request.method == "POST" and form.is_valid():
        if org is None:
            form.add_error(None, "请选择召开会议的党组织")
        else:
            try:
                meeting = services.meeting_create(actor=request.user, org_id=org.pk, values=form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, "已登记会议")
                return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "org": org, "title": "登记会议/活动"})


@login_required
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = services.access_meeting(request.user, meeting_id, Perm.MEETINGS_MANAGE)
    form = MeetingForm(request.POST or None, initial={f: getattr(meeting, f) for f in services.FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting_id=meeting.pk, values=form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(
        request,
        "meetings/form.html",
        {"form": form, "org": meeting.org, "meeting": meeting, "title": "编辑会议"},
    )


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = services.access_meeting(request.user, meeting_id)
    can_manage = get_scope(request.user).covers_path(Perm.MEETINGS_MANAGE, meeting.org_path)
    records = {a.member_id: a for a in meeting.attendance.all()}
    expected = (
        list(services.expected_members(meeting).order_by("name_pinyin").only("id", "name"))[:500]
        if can_manage
        else []
    )
    now = timezone.now()
    checkin_open = bool(
        meeting.checkin_code
        and meeting.checkin_opens
        and meeting.checkin_opens <= now <= (meeting.checkin_closes or now)
    )
    qr_svg = ""
    checkin_url = ""
    if can_manage and checkin_open:
        checkin_url = request.build_absolute_uri(reverse("meetings:checkin", args=[meeting.checkin_code]))
        out = BytesIO()
        segno.make(checkin_url, error="m").save(
            out, kind="svg", scale=6, xmldecl=False, svgns=True, title="扫码签到"
        )
        qr_svg = out.getvalue().decode()
    counts = {s: sum(1 for a in records.values() if a.status == s) for s in AttendanceStatus.values}
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "can_manage": can_manage,
            "rows": [(m, records.get(m.pk)) for m in expected],
            "counts": counts,
            "checkin_open": checkin_open,
            "qr_svg": qr_svg,
            "checkin_url": checkin_url,
            "attachments": list(meeting.attachments.all()),
            "attachment_form": AttachmentForm(),
            "statuses": AttendanceStatus.choices,
            "is_today": meeting.date == timezone.localdate(),
        },
    )


def _post_action(request: HttpRequest, meeting_id: int, action) -> HttpResponse:  # type: ignore[no-untyped-def]
    try:
        message = action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if message:
            messages.success(request, message)
    return redirect("meetings:detail", meeting_id=meeting_id)


@login_required
@require_POST
def mark_held(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _post_action(
        request,
        meeting_id,
        lambda: (
            services.meeting_mark_held(actor=request.user, meeting_id=meeting_id)
            and "已登记为已召开，未签到者记为缺席"
        ),
    )


@login_required
@require_POST
def cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _post_action(
        request,
        meeting_id,
        lambda: services.meeting_cancel(actor=request.user, meeting_id=meeting_id) and "会议已取消",
    )


@login_required
@require_POST
def open_checkin(request: HttpRequest, meeting_id: int) -> HttpResponse:
    try:
        minutes = int(request.POST.get("minutes", services.CHECKIN_MINUTES))
    except ValueError:
        minutes = services.CHECKIN_MINUTES
    return _post_action(
        request,
        meeting_id,
        lambda: (
            services.checkin_open(actor=request.user, meeting_id=meeting_id, minutes=minutes)
            and "已开启扫码签到"
        ),
    )


@login_required
@require_POST
def set_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    member = request.POST.get("member", "")
    if not member.isdigit():
        raise Http404
    return _post_action(
        request,
        meeting_id,
        lambda: (
            services.attendance_set(
                actor=request.user,
                meeting_id=meeting_id,
                member_id=int(member),
                status=request.POST.get("status", ""),
                reason=request.POST.get("reason", ""),
            )
            and ""
        ),
    )


@login_required
@require_POST
def upload(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = services.access_meeting(request.user, meeting_id, Perm.MEETINGS_MANAGE)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件")
        return redirect("meetings:detail", meeting_id=meeting.pk)
    try:
        stored = store_upload(form.cleaned_data["file"], folder="meetings")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        with transaction.atomic():
            MeetingAttachment.objects.create(
                meeting=meeting,
                name=stored.name,
                path=stored.path,
                size=stored.size,
                content_type=stored.content_type,
                uploaded_by_id=request.user.pk,
            )
        messages.success(request, f"已上传“{stored.name}”")
    return redirect("meetings:detail", meeting_id=meeting.pk)


@login_required
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    item = MeetingAttachment.objects.select_related("meeting").filter(pk=attachment_id).first()
    if item is None:
        raise Http404
    services.access_meeting(request.user, item.meeting_id)
    return stored_file_response(item.path, item.name, item.content_type)


@login_required
def checkin(request: HttpRequest, code: str) -> HttpResponse:
    """The page a member's phone opens from the QR code."""
    meeting = services.meeting_for_code(code)
    result = None
    error = None
    if request.method == "POST":
        try:
            result = services.checkin(actor=request.user, code=code)
        except DomainError as exc:
            error = exc.message
    return render(request, "meetings/checkin.html", {"meeting": meeting, "result": result, "error": error})


@login_required
def checklist(request: HttpRequest) -> HttpResponse:
    org = _default_org(request)
    today = timezone.localdate()
    on = _date(request.GET.get("on"), today)
    if org is None:
        raise Http404
    if org.is_branch:
        return render(
            request,
            "meetings/checklist.html",
            {"org": org, "items": selectors.branch_checklist(org, on=on, today=today), "on": on},
        )
    sort = request.GET.get("sort", "tree")
    page: Any
    if sort == "red":
        # Sorting by red items needs every branch's status; the tree order needs only the page's.
        requirements, rows = selectors.committee_table(request.user, org, on=on, today=today)
        rows.sort(key=lambda r: (-r.red, -r.amber, r.org.path))
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
    else:
        page = Paginator(selectors.branches_under(request.user, org), 50).get_page(request.GET.get("page"))
        requirements, rows = selectors.committee_table(
            request.user, org, on=on, today=today, branches=list(page.object_list)
        )
        page.object_list = rows
    return render(
        request,
        "meetings/committee_table.html",
        {"org": org, "requirements": requirements, "page": page, "on": on, "sort": sort},
    )


@login_required
def requirements(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    can_edit = scope.has(Perm.REQUIREMENTS_EDIT)
    if not (can_edit or _can_manage(request)):
        raise Http404
    if request.method == "POST":
        if not can_edit:
            raise Http404
        try:
            services.requirement_update(
                actor=request.user,
                requirement_id=int(request.POST.get("id", "0")),
                cadence=request.POST.get("cadence", ""),
                times=int(request.POST.get("times", "0") or 0),
                is_active=request.POST.get("is_active") == "on",
                evidence=request.POST.get("evidence", ""),
            )
            messages.success(request, "已保存周期要求")
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", "输入不正确"))
        return redirect("meetings:requirements")
    return render(
        request,
        "meetings/requirements.html",
        {"items": Requirement.objects.all(), "can_edit": can_edit, "cadences": Cadence.choices},
    )
