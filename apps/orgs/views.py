from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError
from apps.core.forms import add_domain_error
from apps.core.scoping import Perm, get_scope
from apps.members.choices import INACTIVE_CATEGORIES
from apps.members.validation import MEMBER_HOLDING_TYPES
from apps.orgs import selectors, services
from apps.orgs.choices import OrgType
from apps.orgs.forms import CommitteeForm, EndTermForm, MoveForm, OrgForm, bootstrapify
from apps.orgs.rules import re_election_due


def _require(request: HttpRequest, perm: str) -> None:
    if not get_scope(request.user).has(perm):
        raise Http404


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.ORGS_VIEW)
    org_type = request.GET.get("type", "")
    if org_type in OrgType.values:
        qs = (
            selectors.orgs_for(request.user)
            .filter(org_type=org_type, is_active=True)
            .annotate(member_total=Count("members", filter=~Q(members__category__in=INACTIVE_CATEGORIES)))
            .select_related("parent")
            .order_by("path")
        )
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        return render(request, "orgs/type_list.html", {"page": page, "type_label": OrgType(org_type).label})
    return render(
        request,
        "orgs/index.html",
        {
            "roots": selectors.tree_roots(request.user),
            "can_change": get_scope(request.user).has(Perm.ORGS_CHANGE),
        },
    )


@login_required
def tree_children(request: HttpRequest, org_id: int) -> HttpResponse:
    return render(request, "orgs/_tree_nodes.html", {"nodes": selectors.tree_children(request.user, org_id)})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    results = selectors.search_orgs(request.user, request.GET.get("q", ""))
    return render(request, "orgs/_search_results.html", {"results": results, "q": request.GET.get("q", "")})


@login_required
def pick(request: HttpRequest) -> HttpResponse:
    """Results for the organization picker; `purpose` narrows them to where the action is allowed."""
    purpose = request.GET.get("purpose", "view")
    perm = {
        "member": Perm.MEMBERS_CHANGE,
        "parent": Perm.ORGS_CHANGE,
        "filter": Perm.MEMBERS_VIEW,
        "coverage": Perm.COVERAGE_CHANGE,
    }.get(purpose, Perm.ORGS_VIEW)
    if purpose == "transfer":
        # Any branch of the zone may receive a member; organization names are not personal data.
        results = selectors.search_all_branches(request.GET.get("q", ""), limit=15)
    else:
        results = selectors.search_orgs(request.user, request.GET.get("q", ""), limit=15, perm=perm)
    if purpose == "member":
        results = [o for o in results if o.org_type in MEMBER_HOLDING_TYPES]
    return render(request, "orgs/_pick_results.html", {"results": results})


@login_required
def detail(request: HttpRequest, org_id: int) -> HttpResponse:
    org = selectors.access_org(request.user, org_id)
    today = timezone.localdate()
    figures = selectors.member_figures(org)
    committee = selectors.current_committee(org, today)
    scope = get_scope(request.user)
    history = list(org.history.select_related("history_user").order_by("-history_date")[:20])
    from apps.appraisal.models import Honor, StarRating

    rating = StarRating.objects.filter(org=org).order_by("-year").first()
    honors = list(Honor.objects.filter(org=org).order_by("-year")[:5])
    return render(
        request,
        "orgs/detail.html",
        {
            "org": org,
            "figures": figures,
            "rating": rating,
            "honors": honors,
            "committee": committee,
            "warnings": selectors.warnings_for(org, figures, len(committee), today),
            "children": selectors.children_with_warnings(request.user, org, today),
            "breadcrumbs": selectors.visible_ancestors(request.user, org),
            "can_change": scope.covers_path(Perm.ORGS_CHANGE, org.path),
            "can_view_members": scope.covers_path(Perm.MEMBERS_VIEW, org.path),
            "history": history,
            "members": selectors.direct_members(org)
            if scope.covers_path(Perm.MEMBERS_VIEW, org.path)
            else [],
            "moves": list(org.moves.select_related("from_parent", "to_parent", "moved_by")[:20]),
            "re_election_due": re_election_due(org.org_type, org.last_election_on, org.founded_on),
            "committee_form": bootstrapify(CommitteeForm()),
            "end_form": bootstrapify(EndTermForm(initial={"term_end": today})),
        },
    )


def _form_values(form: OrgForm) -> dict[str, Any]:
    values = dict(form.cleaned_data)
    values.pop("reason", None)
    for key in ("short_name", "unit_name", "contact_phone", "address"):
        values[key] = values.get(key) or ""
    return values


@login_required
def create(request: HttpRequest) -> HttpResponse:
    _require(request, Perm.ORGS_CHANGE)
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    parent = (
        selectors.access_org(request.user, int(parent_id), Perm.ORGS_CHANGE)
        if parent_id and str(parent_id).isdigit()
        else None
    )
    if parent is None and not get_scope(request.user).is_superuser:
        raise Http404
    form = bootstrapify(OrgForm(request.POST or None, initial={"org_type": OrgType.BRANCH}))
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_create(
                actor=request.user, parent_id=parent.pk if parent else None, values=_form_values(form)
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已创建“{org.name}”")
            return redirect("orgs:detail", org_id=org.pk)
    return render(request, "orgs/form.html", {"form": form, "parent": parent, "title": "新建党组织"})


@login_required
def edit(request: HttpRequest, org_id: int) -> HttpResponse:
    org = selectors.access_org(request.user, org_id, Perm.ORGS_CHANGE)
    initial = {f: getattr(org, f) for f in services.EDITABLE_FIELDS}
    form = bootstrapify(OrgForm(request.POST or None, initial=initial))
    if request.method == "POST" and form.is_valid():
        try:
            services.org_update(
                actor=request.user,
                org_id=org.pk,
                values=_form_values(form),
                reason=form.cleaned_data.get("reason") or "",
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已保存")
            return redirect("orgs:detail", org_id=org.pk)
    return render(
        request,
        "orgs/form.html",
        {"form": form, "org": org, "parent": org.parent, "title": f"编辑 {org.name}"},
    )


@login_required
def move(request: HttpRequest, org_id: int) -> HttpResponse:
    org = selectors.access_org(request.user, org_id, Perm.ORGS_CHANGE)
    form = bootstrapify(MoveForm(request.POST or None, initial={"effective_on": timezone.localdate()}))
    if request.method == "POST" and form.is_valid():
        try:
            services.org_move(
                actor=request.user,
                org_id=org.pk,
                new_parent_id=form.cleaned_data["new_parent"],
                effective_on=form.cleaned_data["effective_on"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, {"parent": "new_parent"})
        except Http404:
            form.add_error("new_parent", "上级组织不存在或不在您的管理范围")
        else:
            messages.success(request, f"已将“{org.name}”及其下级组织调整隶属关系")
            return redirect("orgs:detail", org_id=org.pk)
    return render(request, "orgs/move.html", {"form": form, "org": org})


@login_required
@require_POST
def committee_add(request: HttpRequest, org_id: int) -> HttpResponse:
    org = selectors.access_org(request.user, org_id, Perm.ORGS_CHANGE)
    form = CommitteeForm(request.POST)
    if form.is_valid():
        try:
            services.committee_member_add(
                actor=request.user, org_id=org.pk, member_id=None, **form.cleaned_data
            )
            messages.success(request, "已添加委员")
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
    return redirect("orgs:detail", org_id=org.pk)


@login_required
@require_POST
def committee_end(request: HttpRequest, seat_id: int) -> HttpResponse:
    form = EndTermForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("committee.term_end", "请填写任期结束日期", field="term_end")
        seat = services.committee_member_end(
            actor=request.user, seat_id=seat_id, term_end=form.cleaned_data["term_end"]
        )
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
        return redirect(request.META.get("HTTP_REFERER") or "orgs:index")
    messages.success(request, f"已结束{seat.name}的任期")
    return redirect("orgs:detail", org_id=seat.org_id)
