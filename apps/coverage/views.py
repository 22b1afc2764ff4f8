from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.core.errors import DomainError
from apps.core.excel import check_upload
from apps.core.scoping import Perm, Role, get_scope
from apps.coverage import excel, selectors, services
from apps.coverage.choices import CoverageStatus, FormationMode, ParkType, Sector, SizeClass, UnitKind
from apps.orgs.models import Organization

SORTS = {
    "name": ("名称", ["name", "id"]),
    "-party_members": ("党员人数（多→少）", ["-party_members", "id"]),
    "-employees": ("从业人员（多→少）", ["-employees", "id"]),
    "-established_on": ("成立日期（近→远）", ["-established_on", "id"]),
}


def _require_view(request: HttpRequest) -> None:
    if not selectors.may_view_coverage(request.user):
        raise Http404


def _can_change(request: HttpRequest) -> bool:
    scope = get_scope(request.user)
    return scope.is_superuser or bool(scope.paths(Perm.COVERAGE_CHANGE))


def _on(request: HttpRequest) -> dt.date | None:
    raw = request.GET.get("on", "")
    try:
        day = dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    return None if day is None or day >= timezone.localdate() else day


# The unit list's query parameter for each breakdown.
GROUP_PARAMS = {
    "park_type": "park_type", "park": "park", "org": "org", "sector": "sector",
    "size_class": "size_class", "above_size": "above_size", "kind": "kind",
}  # fmt: skip


def _param(key: Any) -> str:
    """A breakdown key as the list filter expects it (no park → "none", booleans → 1/0)."""
    if key is None or key == "":
        return "none"
    if isinstance(key, bool):
        return "1" if key else "0"
    return str(key)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Coverage of the user's scope at today or a past date, broken down, every number a link."""
    _require_view(request)
    on = _on(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in UnitKind.values else ""
    units = selectors.units_for(request.user)
    group = request.GET.get("by", "park_type")
    group = group if group in selectors.GROUPS else "park_type"
    totals = selectors.coverage_rates(None, on, kind=kind or None, units=units)
    rows = selectors.coverage_breakdown(group, units=units, on=on, kind=kind or None)
    should_build = selectors.filter_units(
        units, {"should_build": "1", "kind": kind, "on": on.isoformat() if on else ""}
    ).count()
    group_param = GROUP_PARAMS[group]

    def list_url(**extra: Any) -> str:
        params = {"kind": kind, "on": on.isoformat() if on else "", **extra}
        return (
            reverse("coverage:units")
            + "?"
            + urlencode({k: v for k, v in params.items() if v not in ("", None)})
        )

    table = [
        (
            row,
            {
                status: list_url(**{group_param: _param(row.key), "status": status})
                for status in ("", "own", "joint", "instructor", "none")
            },
        )
        for row in rows
    ]
    shown = rows[:20]
    chart = {
        "coverage": {
            "categories": [r.label for r in shown],
            "urls": [list_url(**{group_param: _param(r.key)}) for r in shown],
            "series": [
                {
                    "name": "组织覆盖率",
                    "values": [round(float(r.figures["org_rate"]) * 100, 1) for r in shown],
                },
                {
                    "name": "工作覆盖率",
                    "values": [round(float(r.figures["work_rate"]) * 100, 1) for r in shown],
                },
            ],
        }
    }
    totals_urls = {
        status: list_url(status=status)
        for status in ("", "own", "joint", "instructor", "none", "org_covered", "covered")
    }
    return render(
        request,
        "coverage/index.html",
        {
            "totals": totals, "totals_urls": totals_urls, "table": table, "group": group,
            "groups": [(k, v[0]) for k, v in selectors.GROUPS.items()], "group_label": selectors.GROUPS[group][0],
            "on": on, "kind": kind, "kinds": UnitKind.choices, "should_build": should_build,
            "should_build_url": list_url(should_build="1"), "today": timezone.localdate(), "chart": chart,
            "can_change": _can_change(request),
        },
    )  # fmt: skip


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    params = request.GET.copy()
    if params.get("mine") == "1":
        params["_user_id"] = str(request.user.pk)
    qs = selectors.filter_units(selectors.units_for(request.user), params)
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    qs = qs.select_related("park", "org", "covering_org").order_by(*SORTS[sort][1])
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    filter_org = (
        Organization.objects.filter(pk=int(request.GET["org"])).first()
        if request.GET.get("org", "").isdigit()
        else None
    )
    return render(
        request,
        "coverage/unit_list.html",
        {
            "page": page, "params": request.GET, "sort": sort, "sorts": [(k, v[0]) for k, v in SORTS.items()],
            "kinds": UnitKind.choices, "statuses": CoverageStatus.choices, "sectors": Sector.choices, "sizes": SizeClass.choices,
            "park_types": ParkType.choices, "parks": selectors.parks_for(request.user).order_by("name")[:300],
            "filter_org": filter_org, "can_change": _can_change(request), "on": _on(request),
            "status_labels": dict(CoverageStatus.choices),
        },
    )  # fmt: skip


@login_required
def export(request: HttpRequest) -> FileResponse:
    _require_view(request)
    qs = selectors.filter_units(selectors.units_for(request.user), request.GET).order_by("name", "id")
    path = Path(tempfile.mkstemp(suffix=".xlsx")[1])
    excel.export_units(qs, path)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _download(path, f"两新组织-{stamp}.xlsx")


def _unit_form_context(
    request: HttpRequest, values: Any, error: DomainError | None, unit: Any = None
) -> dict[str, Any]:
    from apps.accounts.models import User

    scope = get_scope(request.user)
    instructors = (
        User.objects.filter(is_active=True, grants__role=Role.INSTRUCTOR)
        .filter(scope.org_q(Perm.COVERAGE_VIEW, "grants__org__path"))
        .distinct()
        .order_by("username")[:200]
    )
    return {
        "values": values, "error": error, "unit": unit, "kinds": UnitKind.choices, "sectors": Sector.choices,
        "sizes": SizeClass.choices, "statuses": CoverageStatus.choices, "modes": FormationMode.choices,
        "parks": selectors.parks_for(request.user, Perm.COVERAGE_CHANGE).order_by("name")[:500],
        "instructors": instructors, "today": timezone.localdate(),
    }  # fmt: skip


@login_required
def unit_new(request: HttpRequest) -> HttpResponse:
    if not _can_change(request):
        raise Http404
    error = None
    if request.method == "POST":
        try:
            unit = services.unit_create(actor=request.user, values=request.POST.dict())
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"已登记“{unit.name}”")
            return redirect("coverage:unit", unit_id=unit.pk)
    return render(request, "coverage/unit_form.html", _unit_form_context(request, request.POST, error))


@login_required
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.access_unit(request.user, unit_id, Perm.COVERAGE_CHANGE)
    error = None
    values: Any = request.POST
    if request.method == "POST":
        try:
            services.unit_update(actor=request.user, unit_id=unit.pk, values=request.POST.dict())
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, "已保存")
            return redirect("coverage:unit", unit_id=unit.pk)
    else:
        values = {
            "kind": unit.kind, "name": unit.name, "credit_code": unit.credit_code, "sector": unit.sector, "size_class": unit.size_class,
            "above_size": unit.above_size, "employees": unit.employees, "party_members": unit.party_members,
            "park": unit.park_id or "", "org": unit.org_id, "org_label": unit.org.name, "address": unit.address,
            "established_on": unit.established_on.isoformat(),
        }  # fmt: skip
    return render(request, "coverage/unit_form.html", _unit_form_context(request, values, error, unit))


@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    _require_view(request)
    unit = selectors.access_unit(request.user, unit_id)
    scope = get_scope(request.user)
    can_change = scope.covers_path(Perm.COVERAGE_CHANGE, unit.org_path)
    context = _unit_form_context(request, {}, None, unit)
    context.update(
        {
            "records": list(
                unit.records.select_related("covering_org", "recorded_by").order_by("-valid_from", "-id")
            ),
            "visits": list(unit.visits.select_related("instructor")[:50]),
            "can_change": can_change,
            "can_visit": can_change or unit.instructor_id == request.user.pk,
            "should_build": unit.party_members >= 3 and unit.status != CoverageStatus.OWN,
        }
    )
    return render(request, "coverage/unit_detail.html", context)


def _post_action(request: HttpRequest, unit_id: int, action: Any, done: str) -> HttpResponse:
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("coverage:unit", unit_id=unit_id)


@login_required
@require_POST
def unit_status(request: HttpRequest, unit_id: int) -> HttpResponse:
    values = request.POST.dict()
    return _post_action(
        request, unit_id,
        lambda: services.unit_set_status(actor=request.user, unit_id=unit_id, values=values, on=values.get("on"), note=values.get("note", "")),
        "已变更党建状态",
    )  # fmt: skip


@login_required
@require_POST
def unit_close(request: HttpRequest, unit_id: int) -> HttpResponse:
    return _post_action(
        request,
        unit_id,
        lambda: services.unit_close(actor=request.user, unit_id=unit_id, on=request.POST.get("on")),
        "已登记注销",
    )


@login_required
@require_POST
def unit_visit(request: HttpRequest, unit_id: int) -> HttpResponse:
    return _post_action(
        request, unit_id,
        lambda: services.visit_record(actor=request.user, unit_id=unit_id, visited_on=request.POST.get("visited_on"), content=request.POST.get("content", "")),
        "已登记走访",
    )  # fmt: skip


@login_required
def parks(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    error = None
    if request.method == "POST":
        if not _can_change(request):
            raise Http404
        park_id = request.POST.get("id", "")
        try:
            park = services.park_save(
                actor=request.user,
                values=request.POST.dict(),
                park_id=int(park_id) if park_id.isdigit() else None,
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"已保存园区“{park.name}”")
            return redirect("coverage:parks")
    units = selectors.units_for(request.user)
    rows = {r.key: r for r in selectors.coverage_breakdown("park", units=units)}
    park_list = list(selectors.parks_for(request.user).select_related("org").order_by("park_type", "name"))
    return render(
        request,
        "coverage/parks.html",
        {
            "parks": [(p, rows.get(p.pk)) for p in park_list], "park_types": ParkType.choices, "error": error,
            "values": request.POST, "can_change": _can_change(request),
        },
    )  # fmt: skip


@login_required
def parks_export(request: HttpRequest) -> FileResponse:
    _require_view(request)
    units = selectors.units_for(request.user)
    rates = {r.key: r for r in selectors.coverage_breakdown("park", units=units)}
    path = Path(tempfile.mkstemp(suffix=".xlsx")[1])
    excel.export_parks(
        selectors.parks_for(request.user).select_related("org").order_by("park_type", "name"), rates, path
    )
    return _download(path, f"园区-{timezone.localtime():%Y%m%d-%H%M}.xlsx")


@login_required
def parks_import(request: HttpRequest) -> HttpResponse:
    if not _can_change(request) or request.method != "POST":
        raise Http404
    try:
        with _uploaded_xlsx(request, 5 * 1024 * 1024) as path:
            result = excel.import_parks(request.user, path)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("coverage:parks")
    if result.errors:
        detail = "；".join(f"第{row}行{column}：{reason}" for row, column, reason in result.errors[:20])
        messages.error(request, f"未导入任何园区。{detail}")
    else:
        messages.success(request, f"已导入{result.created}个园区")
    return redirect("coverage:parks")


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    if not _can_change(request):
        raise Http404
    result = None
    error = None
    if request.method == "POST":
        try:
            with _uploaded_xlsx(request, 20 * 1024 * 1024) as path:
                result = excel.import_units(request.user, path)
        except DomainError as exc:
            error = exc
        else:
            if not result.errors:
                messages.success(request, f"已导入{result.created}个单位")
                return redirect("coverage:units")
    return render(request, "coverage/import.html", {"result": result, "error": error})


@login_required
def import_template(request: HttpRequest) -> FileResponse:
    if not _can_change(request):
        raise Http404
    path = Path(tempfile.mkstemp(suffix=".xlsx")[1])
    excel.template_workbook(path)
    return _download(path, "两新组织导入模板.xlsx")


@contextmanager
def _uploaded_xlsx(request: HttpRequest, max_bytes: int) -> Iterator[Path]:
    """The uploaded workbook, checked (type, size, content) and written to a temporary file."""
    upload = request.FILES.get("file")
    if upload is None:
        raise DomainError("excel.missing", "请选择要导入的文件", field="file")
    head = upload.read(8)
    upload.seek(0)
    check_upload(upload.name or "", head, upload.size or 0, max_bytes)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        yield Path(handle.name)


def _download(path: Path, filename: str) -> FileResponse:
    """Sends a file written to a temporary path and removes it from disk."""
    data = path.read_bytes()
    path.unlink(missing_ok=True)
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=filename)


@login_required
def park_edit(request: HttpRequest, park_id: int) -> HttpResponse:
    park = selectors.access_park(request.user, park_id, Perm.COVERAGE_CHANGE)
    error = None
    values: Any = {
        "name": park.name,
        "park_type": park.park_type,
        "org": park.org_id,
        "org_label": park.org.name,
        "address": park.address,
    }
    if request.method == "POST":
        values = request.POST
        try:
            services.park_save(actor=request.user, values=request.POST.dict(), park_id=park.pk)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, f"已保存园区“{request.POST.get('name', '')}”")
            return redirect("coverage:parks")
    return render(
        request,
        "coverage/park_form.html",
        {"park": park, "values": values, "error": error, "park_types": ParkType.choices},
    )
