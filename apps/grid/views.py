"""Pages of the liaison grid: coverage, zones, households, the visit log from a phone, PDFs and Excel."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError
from apps.core.forms import parse_id
from apps.core.scoping import Perm, get_scope
from apps.grid import excel, files, selectors, services
from apps.grid.models import Group, Household, Resident, Visit, VisitKind, VulnerableTag, Zone
from apps.members.models import Member
from apps.members.selectors import search_condition


def _require_view(request: HttpRequest) -> None:
    if not selectors.may_view_grid(request.user):
        raise Http404


def _require_oversee(request: HttpRequest) -> None:
    if not selectors.may_oversee(request.user):
        raise Http404


def _list_url(name: str, **params: Any) -> str:
    clean = {k: v for k, v in params.items() if v not in ("", None)}
    return reverse(name) + ("?" + urlencode(clean) if clean else "")


def coverage_links(zone_id: int | None = None) -> dict[str, str]:
    """The list behind each coverage figure."""
    z = zone_id or ""
    return {
        "households": _list_url("grid:households", zone=z),
        "without_liaison": _list_url("grid:households", zone=z, no_liaison=1),
        "liaisons_over_limit": _list_url("grid:liaisons", zone=z, over=1),
        "not_visited": _list_url("grid:households", zone=z, not_visited=1, sort="last_visited_on"),
    }


def _download(data: bytes, filename: str, content_type: str | None = None) -> FileResponse:
    response = FileResponse(io.BytesIO(data), as_attachment=True, filename=filename)
    if content_type:
        response["Content-Type"] = content_type
    return response


# --- overview -------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    if not selectors.may_oversee(request.user):
        return redirect("grid:mine")
    zones = selectors.zones_for(request.user).select_related("org")
    q = request.GET.get("q", "").strip()[:40]
    if q:
        zones = zones.filter(Q(name__contains=q) | Q(code__startswith=q.upper()) | Q(org__name__contains=q))
    if request.GET.get("inactive") != "1":
        zones = zones.filter(is_active=True)
    zones = zones.annotate(group_count=Count("groups", distinct=True)).order_by("code")
    page = Paginator(zones, 30).get_page(request.GET.get("page"))
    ids = [z.pk for z in page.object_list]
    figures = selectors.coverage_by_zone(Zone.objects.filter(pk__in=ids))
    empty = {"households": 0, "without_liaison": 0, "liaisons_over_limit": 0, "not_visited": 0}
    rows = [(z, figures.get(z.pk, empty), coverage_links(z.pk)) for z in page.object_list]
    return render(
        request,
        "grid/index.html",
        {
            "totals": selectors.grid_coverage_for(request.user), "links": coverage_links(), "rows": rows, "page": page,
            "q": q, "window": selectors.visit_window_days(), "limit": selectors.liaison_limit(),
            "can_change": selectors.may_change_any(request.user), "is_liaison": selectors.is_liaison(request.user),
        },
    )  # fmt: skip


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A liaison's own households, each with its last visit and a one-tap visit entry."""
    _require_view(request)
    today = timezone.localdate()
    window = selectors.visit_window_days()
    cutoff = today - dt.timedelta(days=window)
    households = list(
        selectors.my_households(request.user)
        .select_related("zone", "group")
        .prefetch_related("residents")
        .order_by(F("last_visited_on").asc(nulls_first=True), "code")
    )
    due = sum(1 for h in households if h.last_visited_on is None or h.last_visited_on < cutoff)
    member_id = get_scope(request.user).member_id
    saved = None
    saved_id = parse_id(request.GET.get("saved"))
    if saved_id is not None:
        # The visit just saved, if it has needs and is of one of these households.
        saved = (
            Visit.objects.filter(pk=saved_id, household__in=[h.pk for h in households])
            .exclude(needs="")
            .select_related("household")
            .first()
        )
    return render(
        request,
        "grid/mine.html",
        {"households": households, "due": due, "window": window, "cutoff": cutoff, "member_id": member_id,
         "saved": saved,
         "liaison_only": not selectors.may_oversee(request.user), "can_change": selectors.may_change_any(request.user),
         "hotlines": sorted({h.zone.hotline for h in households if h.zone.hotline})},
    )  # fmt: skip


# --- zones ----------------------------------------------------------------------------------------


@login_required
def zone_detail(request: HttpRequest, zone_id: int) -> HttpResponse:
    _require_view(request)
    zone = selectors.access_zone(request.user, zone_id)
    groups = list(
        zone.groups.select_related("leader", "team")
        .annotate(household_count=Count("households", filter=Q(households__is_active=True)))
        .order_by("code")
    )
    teams = list(zone.teams.select_related("leader").prefetch_related("members").order_by("name"))
    liaisons = (
        Household.objects.filter(zone=zone, is_active=True, liaison__isnull=False)
        .values("liaison_id")
        .distinct()
        .count()
    )
    return render(
        request,
        "grid/zone_detail.html",
        {
            "zone": zone, "groups": groups, "teams": teams, "leaders": list(zone.leaders.order_by("username")),
            "figures": selectors.grid_coverage(zone), "links": coverage_links(zone.pk), "liaison_count": liaisons,
            "can_change": selectors.can_change_zone(request.user, zone), "window": selectors.visit_window_days(),
            "limit": selectors.liaison_limit(), "org_visible": selectors.may_view_org(request.user, zone.org),
        },
    )  # fmt: skip


def _leader_choices(request: HttpRequest, zone: Zone | None) -> list[Any]:
    return selectors.leader_candidates(request.user, zone)


@login_required
def zone_form(request: HttpRequest, zone_id: int | None = None) -> HttpResponse:
    zone = selectors.access_zone(request.user, zone_id, Perm.GRID_CHANGE) if zone_id else None
    if (
        zone is None
        and not bool(get_scope(request.user).paths(Perm.GRID_CHANGE))
        and not request.user.is_superuser
    ):
        raise Http404
    error = None
    values: Any
    if request.method == "POST":
        values = request.POST.dict()
        values["leaders"] = request.POST.getlist("leaders")
        try:
            saved = services.zone_save(actor=request.user, values=values, zone_id=zone.pk if zone else None)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"已保存片区“{saved.name}”")
            return redirect("grid:zone", zone_id=saved.pk)
        values["org_label"] = request.POST.get("org_label", "")
    elif zone is not None:
        values = {"name": zone.name, "code": zone.code, "org": zone.org_id, "org_label": zone.org.name,
                  "hotline": zone.hotline, "note": zone.note, "is_active": zone.is_active,
                  "leaders": [str(u.pk) for u in zone.leaders.all()]}  # fmt: skip
    else:
        values = {"is_active": True, "leaders": []}
    return render(
        request,
        "grid/zone_form.html",
        {"zone": zone, "values": values, "error": error, "users": _leader_choices(request, zone)},
    )


@login_required
def group_form(request: HttpRequest, zone_id: int | None = None, group_id: int | None = None) -> HttpResponse:
    group = selectors.access_group(request.user, group_id, Perm.GRID_CHANGE) if group_id else None
    zone = group.zone if group else selectors.access_zone(request.user, zone_id, Perm.GRID_CHANGE)
    error = None
    values: Any = request.POST.dict() if request.method == "POST" else {}
    if request.method == "POST":
        try:
            saved = services.group_save(actor=request.user, zone_id=zone.pk, values=values, group_id=group_id)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"已保存服务组“{saved.name}”")
            return redirect("grid:zone", zone_id=zone.pk)
    elif group:
        values = {"code": group.code, "name": group.name, "leader": group.leader_id or "",
                  "leader_label": group.leader.name if group.leader else "", "team": group.team_id or ""}  # fmt: skip
    else:
        values = {"code": f"{zone.groups.count() + 1:02d}"}
    return render(
        request,
        "grid/group_form.html",
        {
            "zone": zone,
            "group": group,
            "values": values,
            "error": error,
            "teams": list(zone.teams.order_by("name")),
        },
    )


@login_required
def team_form(request: HttpRequest, zone_id: int | None = None, team_id: int | None = None) -> HttpResponse:
    team = selectors.access_team(request.user, team_id, Perm.GRID_CHANGE) if team_id else None
    zone = team.zone if team else selectors.access_zone(request.user, zone_id, Perm.GRID_CHANGE)
    error = None
    values: Any
    if request.method == "POST":
        values = request.POST.dict()
        values["members"] = request.POST.getlist("members")
        try:
            saved = services.team_save(actor=request.user, zone_id=zone.pk, values=values, team_id=team_id)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"已保存服务团队“{saved.name}”")
            return redirect("grid:zone", zone_id=zone.pk)
    elif team:
        values = {"name": team.name, "speciality": team.speciality, "leader": team.leader_id or "",
                  "leader_label": team.leader.name if team.leader else "",
                  "members": [str(m.pk) for m in team.members.all()]}  # fmt: skip
    else:
        values = {"members": []}
    candidates = list(selectors.liaison_candidates(request.user, zone).filter(org_path__startswith=zone.org_path)
                      .select_related("org").order_by("name_pinyin")[:300])  # fmt: skip
    if team:
        known = {m.pk for m in candidates}
        candidates += [m for m in team.members.select_related("org") if m.pk not in known]
    return render(
        request,
        "grid/team_form.html",
        {"zone": zone, "team": team, "values": values, "error": error, "candidates": candidates},
    )


@login_required
def zone_cards(request: HttpRequest, zone_id: int) -> FileResponse:
    """The liaison cards of every liaison of a zone, one page each."""
    data, name = files.zone_cards(request.user, zone_id, unmasked=_unmasked_request(request))
    return _download(data, name, "application/pdf")


def _unmasked_request(request: HttpRequest) -> bool:
    """A print with full phone numbers is a POST with unmasked=1 (the file functions log it)."""
    return request.method == "POST" and request.POST.get("unmasked") == "1"


# --- households -----------------------------------------------------------------------------------


def _household_rows(request: HttpRequest, params: Any) -> tuple[Any, selectors.HouseholdFilters]:
    filters = selectors.HouseholdFilters.from_mapping(params)
    qs = selectors.filter_households(selectors.households_for(request.user), filters)
    return qs, filters


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    qs, filters = _household_rows(request, request.GET)
    qs = qs.select_related("zone", "group", "liaison").prefetch_related(
        Prefetch("residents", queryset=Resident.objects.only("id", "household_id", "tags"))
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    zones = list(
        selectors.zones_for(request.user)
        .filter(is_active=True)
        .order_by("code")
        .only("id", "code", "name")[:500]
    )
    visible = selectors.zones_for(request.user)
    groups = (
        list(Group.objects.filter(zone_id=filters.zone, zone__in=visible).order_by("code"))
        if filters.zone
        else []
    )
    liaison = (
        Member.objects.filter(
            pk=filters.liaison, pk__in=selectors.households_for(request.user).values("liaison_id")
        )
        .only("id", "name")
        .first()
        if filters.liaison
        else None
    )
    return render(
        request,
        "grid/household_list.html",
        {
            "page": page, "f": filters, "params": request.GET, "zones": zones, "groups": groups, "liaison": liaison,
            "tags": VulnerableTag.choices, "tag_labels": dict(VulnerableTag.choices),
            "sorts": [(k, v[0]) for k, v in selectors.HOUSEHOLD_SORTS.items()], "window": selectors.visit_window_days(),
            "cutoff": timezone.localdate() - dt.timedelta(days=selectors.visit_window_days()),
            "can_change": selectors.may_change_any(request.user), "liaison_only": not selectors.may_oversee(request.user),
        },
    )  # fmt: skip


@login_required
def household_export(request: HttpRequest) -> FileResponse:
    """The current list as Excel: phones masked; full phones only by a confirmed POST, logged."""
    _require_view(request)
    params = request.POST if request.method == "POST" else request.GET
    data, name = files.households_workbook(request.user, params, unmasked=_unmasked_request(request))
    return _download(data, name)


@login_required
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    _require_view(request)
    household = selectors.access_household(request.user, household_id)
    residents = list(household.residents.all())
    visits = list(household.visits.select_related("liaison", "created_by")[:30])
    can_change = selectors.can_change_household(request.user, household)
    liaison_total = (
        Household.objects.filter(liaison_id=household.liaison_id, is_active=True).count()
        if household.liaison_id
        else 0
    )
    return render(
        request,
        "grid/household_detail.html",
        {
            "h": household, "residents": residents, "visits": visits, "can_change": can_change,
            "can_visit": selectors.can_visit(request.user, household), "liaison_total": liaison_total,
            "limit": selectors.liaison_limit(), "tags": VulnerableTag.choices, "user_id": request.user.pk,
            "member_id": get_scope(request.user).member_id,
            "window": selectors.visit_window_days(), "liaison_only": not selectors.may_oversee(request.user),
            "stale": household.last_visited_on is None
            or household.last_visited_on < timezone.localdate() - dt.timedelta(days=selectors.visit_window_days()),
        },
    )  # fmt: skip


@login_required
def household_form(request: HttpRequest, household_id: int | None = None) -> HttpResponse:
    household = (
        selectors.access_household(request.user, household_id, Perm.GRID_CHANGE) if household_id else None
    )
    if household is None and not selectors.may_change_any(request.user):
        raise Http404
    error = None
    values: Any
    if request.method == "POST":
        values = request.POST.dict()
        try:
            saved = services.household_save(actor=request.user, values=values, household_id=household_id)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"已保存住户“{saved}”")
            return redirect("grid:household", household_id=saved.pk)
    elif household:
        values = {"zone": household.zone_id, "group": household.group_id, "code": household.code,
                  "address": household.address, "head_name": household.head_name, "phone": household.phone,
                  "note": household.note, "is_active": household.is_active}  # fmt: skip
    else:
        values = {
            "zone": request.GET.get("zone", ""),
            "group": request.GET.get("group", ""),
            "is_active": True,
        }
    zones = list(
        selectors.zones_for(request.user, Perm.GRID_CHANGE).filter(is_active=True).order_by("code")[:500]
    )
    groups = list(
        Group.objects.filter(zone__in=[z.pk for z in zones])
        .select_related("zone")
        .order_by("zone__code", "code")
    )
    return render(
        request,
        "grid/household_form.html",
        {"household": household, "values": values, "error": error, "zones": zones, "groups": groups},
    )


@login_required
@require_POST
def household_reveal(request: HttpRequest, household_id: int) -> HttpResponse:
    resident = request.POST.get("resident", "")
    value = services.reveal_phone(actor=request.user, household_id=household_id, resident_id=resident or None)
    return HttpResponse(
        format_html(
            '<span class="xf-masked" data-testid="revealed-phone">{}</span> <span class="badge text-bg-warning">已记录查看</span>',
            value or "—",
        )
    )


@login_required
def household_file(request: HttpRequest, household_id: int) -> FileResponse:
    """住户档案 as PDF (masked phones; a POST with unmasked=1 prints them in full and is logged)."""
    data, name = files.household_file(request.user, household_id, unmasked=_unmasked_request(request))
    return _download(data, name, "application/pdf")


@login_required
def resident_form(request: HttpRequest, household_id: int, resident_id: int | None = None) -> HttpResponse:
    household = selectors.access_household(request.user, household_id, Perm.GRID_CHANGE)
    resident = selectors.access_resident(request.user, resident_id, Perm.GRID_CHANGE) if resident_id else None
    if resident is not None and resident.household_id != household.pk:
        raise Http404
    error = None
    values: Any
    if request.method == "POST":
        values = request.POST.dict()
        values["tags"] = request.POST.getlist("tags")
        try:
            services.resident_save(actor=request.user, household_id=household.pk, values=values,
                                   resident_id=resident_id)  # fmt: skip
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"已保存居民“{values.get('name', '')}”")
            return redirect("grid:household", household_id=household.pk)
    elif resident:
        values = {"name": resident.name, "relation": resident.relation, "phone": resident.phone,
                  "birth_year": resident.birth_year or "", "tags": resident.tag_codes}  # fmt: skip
    else:
        values = {"relation": "", "tags": []}
    return render(
        request,
        "grid/resident_form.html",
        {"h": household, "resident": resident, "values": values, "error": error, "tags": VulnerableTag.choices,
         "relations": ["户主", "配偶", "子女", "父母", "祖父母", "孙子女", "兄弟姐妹", "其他"]},
    )  # fmt: skip


@login_required
@require_POST
def resident_delete(request: HttpRequest, household_id: int, resident_id: int) -> HttpResponse:
    household = services.resident_delete(
        actor=request.user, resident_id=resident_id, household_id=household_id
    )
    messages.success(request, "已删除该居民")
    return redirect("grid:household", household_id=household.pk)


@login_required
@require_POST
def household_liaison(request: HttpRequest, household_id: int) -> HttpResponse:
    try:
        result = services.liaison_assign(
            actor=request.user, household_ids=[household_id], member_id=request.POST.get("liaison") or None
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if result.member is None:
            messages.success(request, "已解除联户党员")
        else:
            messages.success(request, f"联户党员已设为{result.member.name}（现联系{result.total}户）")
        if result.warning:
            messages.warning(request, result.warning)
    return redirect("grid:household", household_id=household_id)


@login_required
@require_POST
def bulk_liaison(request: HttpRequest) -> HttpResponse:
    """Links the ticked households of a list to one liaison."""
    ids = [i for i in (parse_id(x) for x in request.POST.getlist("households")) if i is not None]
    back = request.POST.get("next", "")
    back = back if back.startswith("/grid/") else reverse("grid:households")
    try:
        result = services.liaison_assign(
            actor=request.user, household_ids=ids, member_id=request.POST.get("liaison") or None
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        who = result.member.name if result.member else "无"
        messages.success(request, f"已为{result.changed}户设置联户党员：{who}")
        if result.warning:
            messages.warning(request, result.warning)
    return redirect(back)


def _visit_context(
    request: HttpRequest, household: Household, values: Any, error: DomainError | None
) -> dict[str, Any]:
    return {
        "h": household, "values": values, "error": error, "kinds": VisitKind.choices,
        "today": timezone.localdate(), "recent": list(household.visits.select_related("liaison")[:3]),
        "next": request.GET.get("next") or request.POST.get("next") or "",
    }  # fmt: skip


@login_required
def visit_new(request: HttpRequest, household_id: int) -> HttpResponse:
    """The visit log entry (民情日志), laid out for a phone."""
    household = selectors.access_visitable(request.user, household_id)
    error = None
    values: Any = {"kind": VisitKind.HOME, "visited_on": timezone.localdate().isoformat()}
    if request.method == "POST":
        values = request.POST.dict()
        try:
            visit = services.visit_record(actor=request.user, household_id=household.pk, values=values)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"已记录走访：{household.address}")
            target = values.get("next", "")
            if target == "mine":
                # With needs, the list offers to register them as a resident request.
                return redirect(reverse("grid:mine") + (f"?saved={visit.pk}" if visit.needs else ""))
            return redirect("grid:household", household_id=household.pk)
    return render(request, "grid/visit_form.html", _visit_context(request, household, values, error))


@login_required
@require_POST
def visit_delete(request: HttpRequest, visit_id: int) -> HttpResponse:
    household = services.visit_delete(actor=request.user, visit_id=visit_id)
    messages.success(request, "已删除该条走访记录")
    return redirect("grid:household", household_id=household.pk)


# --- liaisons -------------------------------------------------------------------------------------


@login_required
def liaisons(request: HttpRequest) -> HttpResponse:
    """Liaisons of the visible households with how many each keeps; `over=1` lists those over the limit."""
    _require_oversee(request)
    rows, zone_id, over = _liaison_rows(request, request.GET)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    members = selectors.members_by_id([r["liaison_id"] for r in page.object_list])
    items = [(members.get(r["liaison_id"]), r) for r in page.object_list]
    zones = list(
        selectors.zones_for(request.user)
        .filter(is_active=True)
        .order_by("code")
        .only("id", "code", "name")[:500]
    )
    return render(
        request,
        "grid/liaisons.html",
        {"page": page, "items": items, "zones": zones, "zone_id": zone_id, "over": over, "params": request.GET,
         "limit": selectors.liaison_limit(), "window": selectors.visit_window_days()},
    )  # fmt: skip


def _liaison_rows(request: HttpRequest, params: Any) -> tuple[Any, int | None, bool]:
    raw_zone = str(params.get("zone") or "")
    zone_id = parse_id(raw_zone)
    over = params.get("over") == "1"
    households = selectors.households_for(request.user).filter(
        zone__in=selectors.zones_for(request.user).values("pk")
    )
    rows = selectors.liaisons_over_limit(
        households, zone=zone_id, limit=selectors.liaison_limit() if over else 0
    )
    q = str(params.get("q") or "").strip()[:30]
    if q:
        rows = rows.filter(liaison__in=Member.objects.filter(search_condition(q)).values("pk"))
    return rows, zone_id, over


@login_required
def liaisons_export(request: HttpRequest) -> FileResponse:
    _require_oversee(request)
    rows, _zone, _over = _liaison_rows(request, request.GET)
    rows = list(rows[:50_000])
    members = selectors.members_by_id([r["liaison_id"] for r in rows])
    path = Path(tempfile.mkstemp(suffix=".xlsx")[1])
    excel.export_liaisons(
        ((members[r["liaison_id"]], r["n"], r["last_visit"]) for r in rows if r["liaison_id"] in members),
        path,
        selectors.liaison_limit(),
    )
    data = path.read_bytes()
    path.unlink(missing_ok=True)
    return _download(data, f"联户党员-{timezone.localtime():%Y%m%d-%H%M}.xlsx")


@login_required
def liaison_card(request: HttpRequest, member_id: int) -> FileResponse:
    """民情联系卡 of one liaison: the liaison themself, or whoever sees their households. The full-phone
    print (POST unmasked=1) is logged, except for a liaison printing their own card."""
    _require_view(request)
    data, name = files.liaison_card(request.user, member_id, unmasked=_unmasked_request(request))
    return _download(data, name, "application/pdf")


@login_required
def pick_member(request: HttpRequest) -> HttpResponse:
    """Results for the liaison picker: party members the user may link to households of the zone."""
    purpose = request.GET.get("purpose", "")
    if not (
        selectors.may_change_any(request.user)
        or (purpose == "filter" and selectors.may_oversee(request.user))
    ):
        raise Http404
    zone = None
    q = str(request.GET.get("q") or "").strip()[:30]
    if purpose == "filter":
        # Filtering a list: the liaisons of the households the user sees.
        qs = Member.objects.filter(pk__in=selectors.households_for(request.user).values("liaison_id"))
    else:
        if parse_id(request.GET.get("zone")) is not None:
            zone = selectors.access_zone(request.user, request.GET["zone"], Perm.GRID_CHANGE)
        qs = selectors.liaison_candidates(request.user, zone)
    if q:
        qs = qs.filter(search_condition(q))
    if zone is not None:
        # Members of the zone's own organization first.
        local = list(
            qs.filter(org_path__startswith=zone.org_path).select_related("org").order_by("name_pinyin")[:15]
        )
        results = local or list(qs.select_related("org").order_by("name_pinyin")[:15])
    else:
        results = list(qs.select_related("org").order_by("name_pinyin")[:15])
    counts = selectors.liaison_counts([m.pk for m in results])
    return render(
        request,
        "grid/_pick_members.html",
        {"results": [(m, counts.get(m.pk, 0)) for m in results], "limit": selectors.liaison_limit()},
    )


@login_required
def pick_org(request: HttpRequest) -> HttpResponse:
    """Results for the zone form's organization picker: organizations where the user may change the grid."""
    from apps.orgs.selectors import search_orgs

    if not selectors.may_change_any(request.user):
        raise Http404
    results = search_orgs(request.user, request.GET.get("q", ""), limit=15, perm=Perm.GRID_CHANGE)
    return render(request, "orgs/_pick_results.html", {"results": results})


# --- import ---------------------------------------------------------------------------------------


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    if not selectors.may_change_any(request.user):
        raise Http404
    result = None
    error = None
    if request.method == "POST":
        try:
            result = files.import_upload(request.user, request.FILES.get("file"))
        except DomainError as exc:
            error = exc
        else:
            if not result.errors:
                messages.success(
                    request, f"已导入{result.zones}个片区、{result.groups}个服务组、{result.households}户住户"
                )
                return redirect("grid:index")
    return render(request, "grid/import.html", {"result": result, "error": error})


@login_required
def import_template(request: HttpRequest) -> FileResponse:
    if not selectors.may_change_any(request.user):
        raise Http404
    path = Path(tempfile.mkstemp(suffix=".xlsx")[1])
    excel.template_workbook(path)
    data = path.read_bytes()
    path.unlink(missing_ok=True)
    return _download(data, "片组户导入模板.xlsx")
