from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError
from apps.core.excel import check_upload
from apps.core.forms import add_domain_error
from apps.core.jobs import start_job
from apps.core.middleware import client_ip
from apps.core.scoping import Perm, get_scope
from apps.members import selectors, services
from apps.members.choices import AgeBand, Education, Gender, MemberCategory, MemberStatus
from apps.members.excel import store_upload, template_workbook
from apps.members.forms import CategoryForm, ExportForm, ImportForm, MakeFullForm, MemberForm
from apps.orgs.choices import OrgType
from apps.orgs.forms import bootstrapify
from apps.orgs.selectors import orgs_for


def _require(request: HttpRequest, perm: str) -> None:
    scope = get_scope(request.user)
    if not (scope.is_superuser or scope.paths(perm)):
        raise Http404


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    if not (scope.is_superuser or scope.paths(Perm.MEMBERS_VIEW)):
        if scope.member_id:
            return redirect("members:detail", member_id=scope.member_id)
        raise Http404
    filters = selectors.MemberFilters.from_mapping(request.GET)
    size = request.GET.get("size", "20")
    page = selectors.member_page(
        request.user, filters, request.GET.get("cursor"), int(size) if size.isdigit() else 20
    )
    filter_org = orgs_for(request.user).filter(pk=filters.org).first() if filters.org else None
    context: dict[str, Any] = {
        "page": page,
        "filters": filters,
        "filter_query": filters.as_query(),
        "filter_org": filter_org,
        "sorts": [(k, v[0]) for k, v in selectors.SORTS.items()],
        "statuses": MemberStatus.choices,
        "categories": MemberCategory.choices,
        "genders": Gender.choices,
        "educations": Education.choices,
        "age_bands": AgeBand.choices,
        "years": range(timezone.localdate().year, 1920, -1),
        "can_change": scope.is_superuser or bool(scope.paths(Perm.MEMBERS_CHANGE)),
        "can_export": scope.is_superuser or bool(scope.paths(Perm.MEMBERS_EXPORT)),
        "can_reveal": scope.is_superuser or bool(scope.paths(Perm.MEMBERS_REVEAL)),
        "export_form": ExportForm(),
    }
    template = (
        "members/_list_rows.html"
        if getattr(request, "htmx", None) and request.htmx.target == "member-results"  # type: ignore[attr-defined]
        else "members/list.html"
    )
    return render(request, template, context)


@login_required
def member_count(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.MEMBERS_VIEW)
    count = selectors.member_count(request.user, selectors.MemberFilters.from_mapping(request.GET))
    return HttpResponse(f'<span data-testid="member-count">共 {count:,} 人</span>')


@login_required
def member_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    member = selectors.access_member(request.user, member_id)
    scope = get_scope(request.user)
    can_change = scope.covers_path(Perm.MEMBERS_CHANGE, member.org_path)
    today = timezone.localdate()
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "can_change": can_change,
            "can_reveal": scope.covers_path(Perm.MEMBERS_REVEAL, member.org_path)
            or scope.member_id == member.pk,
            "history": selectors.member_history(member),
            "periods": selectors.org_periods(member),
            "age": today.year
            - member.birth_date.year
            - ((today.month, today.day) < (member.birth_date.month, member.birth_date.day)),
            "full_form": bootstrapify(MakeFullForm(initial={"on": today})),
            "category_form": bootstrapify(CategoryForm(initial={"on": today})),
        },
    )


def _form_values(request: HttpRequest, form: MemberForm) -> dict[str, Any]:
    values = dict(form.cleaned_data)
    values.pop("reason", None)
    org = orgs_for(request.user, Perm.MEMBERS_CHANGE).filter(pk=values.pop("org")).first()
    if org is None:
        raise DomainError("member.org_not_found", "组织不存在或不在您的管理范围", field="org")
    values["org"] = org
    return values


@login_required
def member_create(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.MEMBERS_CHANGE)
    form = MemberForm(request.POST or None, initial={"org": request.GET.get("org")})
    org_label = ""
    if request.method == "POST" and form.is_valid():
        try:
            values = _form_values(request, form)
            values["party_group"] = None
            member = services.member_create(actor=request.user, values=values)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已登记党员“{member.name}”")
            return redirect("members:detail", member_id=member.pk)
    org_id = form.data.get("org") if form.is_bound else form.initial.get("org")
    if org_id and str(org_id).isdigit():
        org = orgs_for(request.user).filter(pk=int(org_id)).first()
        org_label = org.name if org else ""
    return render(request, "members/form.html", {"form": form, "title": "登记党员", "org_label": org_label})


@login_required
def member_edit(request: HttpRequest, member_id: int) -> HttpResponse:
    member = selectors.access_member(request.user, member_id, Perm.MEMBERS_CHANGE)
    initial = services.member_values(member)
    initial["org"] = member.org_id
    initial["party_group"] = member.party_group_id
    groups = list(member.org.children.filter(org_type=OrgType.GROUP, is_active=True).order_by("name"))
    form = MemberForm(request.POST or None, initial=initial, editing=True, groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            changes = _form_values(request, form)
            group_id = changes.pop("party_group", None)
            changes["party_group"] = (
                next((g for g in groups if g.pk == group_id), None)
                if changes["org"].pk == member.org_id
                else None
            )
            services.member_update(
                actor=request.user,
                member_id=member.pk,
                changes=changes,
                reason=form.cleaned_data.get("reason") or "",
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("members:detail", member_id=member.pk)
    org_label = member.org.name
    if form.is_bound and form.data.get("org") and str(form.data.get("org")).isdigit():
        org = orgs_for(request.user).filter(pk=int(form.data["org"])).first()
        org_label = org.name if org else ""
    return render(
        request,
        "members/form.html",
        {"form": form, "member": member, "title": f"编辑 {member.name}", "org_label": org_label},
    )


@login_required
@require_POST
def member_reveal(request: HttpRequest, member_id: int, field: str) -> HttpResponse:
    try:
        value = services.member_reveal(actor=request.user, member_id=member_id, field=field)
    except DomainError as exc:
        return HttpResponse(format_html('<span class="text-danger">{}</span>', exc.message), status=400)
    return HttpResponse(
        format_html(
            '<span class="xf-masked" data-testid="revealed-{}">{}</span> <span class="badge text-bg-warning">已记录查看</span>',
            field,
            value,
        )
    )


@login_required
@require_POST
def member_make_full(request: HttpRequest, member_id: int) -> HttpResponse:
    form = MakeFullForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的转正日期")
    else:
        try:
            services.member_make_full(actor=request.user, member_id=member_id, **form.cleaned_data)
            messages.success(request, "已办理转正")
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("members:detail", member_id=member_id)


@login_required
@require_POST
def member_category(request: HttpRequest, member_id: int) -> HttpResponse:
    form = CategoryForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
    else:
        try:
            services.member_set_category(actor=request.user, member_id=member_id, **form.cleaned_data)
            messages.success(request, "已变更党员类别")
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("members:detail", member_id=member_id)


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.MEMBERS_IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        head = upload.read(8)
        upload.seek(0)
        try:
            check_upload(upload.name, head, upload.size, settings.XF_IMPORT_MAX_BYTES)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            job = start_job(
                user=request.user,
                kind="members.import",
                step="validate",
                input_name=upload.name[:255],
                input_file=store_upload(upload),
                ip_address=client_ip(request),
            )
            return redirect("core:job", job_id=job.pk)
    return render(request, "members/import.html", {"form": form})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.MEMBERS_IMPORT)
    response = HttpResponse(
        template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E5%85%9A%E5%91%98%E4%BF%A1%E6%81%AF%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.MEMBERS_EXPORT)
    form = ExportForm(request.POST)
    unmasked = form.is_valid() and form.cleaned_data["unmasked"]
    filters = selectors.MemberFilters.from_mapping(request.POST)
    job = start_job(
        user=request.user,
        kind="members.export",
        params={"filters": filters.as_query(), "unmasked": bool(unmasked)},
        ip_address=client_ip(request),
    )
    return redirect("core:job", job_id=job.pk)
