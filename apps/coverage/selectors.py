"""Coverage rates of the "two new" organizations, today or at any past date, computed in the database.

Today's figures read the status kept on each unit; a past date reads the CoverageRecord valid on
that day (at most one per unit), so the same function answers both with one aggregate query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, FilteredRelation, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from apps.core.scoping import Perm, get_scope
from apps.coverage.choices import CoverageStatus, ParkType, SizeClass
from apps.coverage.models import Park, Unit
from apps.coverage.rules import SHOULD_BUILD_ALONE_MEMBERS, rate
from apps.orgs.models import Organization


def may_view_coverage(user: Any) -> bool:
    """Coverage is for those with a coverage scope, and for instructors (who see their own units)."""
    from apps.core.scoping import Role

    scope = get_scope(user)
    return scope.has(Perm.COVERAGE_VIEW) or any(g.role == Role.INSTRUCTOR for g in scope.grants)


def units_for(user: Any, perm: str = Perm.COVERAGE_VIEW) -> QuerySet[Unit]:
    """The units a user may see: those in their scope's subtrees, and those they instruct."""
    scope = get_scope(user)
    condition = scope.org_q(perm, "org_path")
    if perm == Perm.COVERAGE_VIEW and scope.user_id is not None and not scope.is_superuser:
        condition |= Q(instructor_id=scope.user_id)
    return Unit.objects.filter(condition)


def parks_for(user: Any, perm: str = Perm.COVERAGE_VIEW) -> QuerySet[Park]:
    return Park.objects.filter(get_scope(user).org_q(perm, "org_path"))


def access_unit(user: Any, unit_id: int, perm: str = Perm.COVERAGE_VIEW, *, lock: bool = False) -> Unit:
    from django.http import Http404

    qs = units_for(user, perm).filter(pk=unit_id)
    unit = (
        qs.select_for_update() if lock else qs.select_related("park", "org", "covering_org", "instructor")
    ).first()
    if unit is None:
        raise Http404("单位不存在")
    return unit


def access_park(user: Any, park_id: int, perm: str = Perm.COVERAGE_VIEW) -> Park:
    from django.http import Http404

    park = parks_for(user, perm).select_related("org").filter(pk=park_id).first()
    if park is None:
        raise Http404("园区不存在")
    return park


def scope_condition(scope: Park | Organization | str | None) -> Q:
    """A park, a park type, an organization (its subtree) or the whole zone (None)."""
    if scope is None:
        return Q()
    if isinstance(scope, Park):
        return Q(park_id=scope.pk)
    if isinstance(scope, Organization):
        return Q(org_path__startswith=scope.path)
    if isinstance(scope, str):
        if scope not in ParkType.values:
            raise ValueError(f"unknown park type {scope!r}")
        return Q(park__park_type=scope)
    raise TypeError(f"cannot scope coverage by {type(scope).__name__}")


def existing_on(on: dt.date) -> Q:
    return Q(established_on__lte=on) & (Q(closed_on__isnull=True) | Q(closed_on__gt=on))


def _status_field(on: dt.date | None) -> tuple[str, dict[str, Any]]:
    """The column holding each unit's status on `on`, and the annotation that provides it."""
    today = timezone.localdate()
    if on is None or on >= today:
        return "status", {}
    valid = Q(records__valid_from__lte=on) & (Q(records__valid_to__isnull=True) | Q(records__valid_to__gt=on))
    return "valid_record__status", {"valid_record": FilteredRelation("records", condition=valid)}


def _counts(field: str) -> dict[str, Count]:
    return {
        "total": Count("id"),
        "own": Count("id", filter=Q(**{field: CoverageStatus.OWN})),
        "joint": Count("id", filter=Q(**{field: CoverageStatus.JOINT})),
        "instructor": Count("id", filter=Q(**{field: CoverageStatus.INSTRUCTOR})),
    }


def rates_of(counts: dict[str, Any]) -> dict[str, Any]:
    total, own, joint, instructor = (int(counts[k] or 0) for k in ("total", "own", "joint", "instructor"))
    return {
        "total": total,
        "own": own,
        "joint": joint,
        "instructor": instructor,
        "uncovered": total - own - joint - instructor,
        "own_rate": rate(own, total),
        "joint_rate": rate(joint, total),
        "org_rate": rate(own + joint, total),
        "work_rate": rate(own + joint + instructor, total),
    }


def coverage_rates(
    scope: Park | Organization | str | None = None,
    on: dt.date | None = None,
    *,
    kind: str | None = None,
    units: QuerySet[Unit] | None = None,
) -> dict[str, Any]:
    """单建率, 联建率, 组织覆盖率 and 工作覆盖率 of the units in `scope` that existed on `on` (today when
    None), enterprises and social organizations together unless `kind` narrows them. `units` limits
    the rows further (a user's scope)."""
    qs = (units if units is not None else Unit.objects.all()).filter(scope_condition(scope))
    if kind:
        qs = qs.filter(kind=kind)
    day = on or timezone.localdate()
    field, annotations = _status_field(on)
    qs = qs.filter(existing_on(day))
    if annotations:
        qs = qs.annotate(**annotations)
    return rates_of(qs.aggregate(**_counts(field)))


GROUPS: dict[str, tuple[str, str]] = {
    # key: (label, the unit column grouped on)
    "park_type": ("园区类型", "park__park_type"),
    "park": ("园区", "park_id"),
    "org": ("属地党组织", "org_id"),
    "sector": ("行业门类", "sector"),
    "size_class": ("规模", "size_class"),
    "above_size": ("规模以上", "above_size"),
    "kind": ("类别", "kind"),
}


@dataclass
class GroupRow:
    key: Any
    label: str
    figures: dict[str, Any]


def coverage_breakdown(
    by: str, *, units: QuerySet[Unit], on: dt.date | None = None, kind: str | None = None
) -> list[GroupRow]:
    """The rates per park type, park, organization, sector, size class or kind: one grouped query."""
    from apps.coverage.choices import Sector, UnitKind

    column = GROUPS[by][1]
    day = on or timezone.localdate()
    field, annotations = _status_field(on)
    qs = units.filter(existing_on(day))
    if kind:
        qs = qs.filter(kind=kind)
    if annotations:
        qs = qs.annotate(**annotations)
    rows = list(qs.values(group=F(column)).annotate(**_counts(field)).order_by("group"))
    keys = [r["group"] for r in rows]
    labels: dict[Any, str]
    if by == "park_type":
        labels = {k: ParkType(k).label if k else "不在园区（街道）" for k in keys}
    elif by == "park":
        labels = dict(Park.objects.filter(pk__in=[k for k in keys if k]).values_list("id", "name"))
        labels[None] = "不在园区（街道）"
    elif by == "org":
        labels = dict(Organization.objects.filter(pk__in=keys).values_list("id", "name"))
    elif by == "sector":
        labels = {k: f"{k} {Sector(k).label}" for k in keys}
    elif by == "size_class":
        labels = {k: SizeClass(k).label for k in keys}
    elif by == "above_size":
        labels = {True: "规模以上", False: "规模以下"}
    else:
        labels = {k: UnitKind(k).label for k in keys}
    result = [
        GroupRow(key=r["group"], label=labels.get(r["group"], str(r["group"])), figures=rates_of(r))
        for r in rows
    ]
    result.sort(key=lambda row: -row.figures["total"])
    return result


def filter_units(units: QuerySet[Unit], params: Any) -> QuerySet[Unit]:
    """The list's filters from a query dict; unknown values are ignored."""
    from apps.coverage.choices import Sector, UnitKind
    from apps.coverage.rules import normalize_credit_code

    get = params.get
    if get("kind") in UnitKind.values:
        units = units.filter(kind=get("kind"))
    if str(get("park") or "").isdigit():
        units = units.filter(park_id=int(get("park")))
    elif get("park") == "none":
        units = units.filter(park__isnull=True)
    if get("park_type") in ParkType.values:
        units = units.filter(park__park_type=get("park_type"))
    elif get("park_type") == "none":
        units = units.filter(park__isnull=True)
    if str(get("org") or "").isdigit():
        path = Organization.objects.filter(pk=int(get("org"))).values_list("path", flat=True).first()
        units = units.filter(org_path__startswith=path) if path else units.none()
    if get("sector") in Sector.values:
        units = units.filter(sector=get("sector"))
    if get("size_class") in SizeClass.values:
        units = units.filter(size_class=get("size_class"))
    if get("above_size") in ("1", "0"):
        units = units.filter(above_size=get("above_size") == "1")
    on = _date_param(get("on"))
    field, annotations = _status_field(on)
    if annotations:
        # A past date: the units that existed then, with the status they had then.
        units = (
            units.filter(existing_on(on))  # type: ignore[arg-type]
            .annotate(**annotations)
            .annotate(status_then=Coalesce(F("valid_record__status"), Value(CoverageStatus.NONE.value)))
        )
    status = get("status") or ""
    covered = [CoverageStatus.OWN, CoverageStatus.JOINT, CoverageStatus.INSTRUCTOR]
    if status == CoverageStatus.NONE:
        units = units.exclude(**{f"{field}__in": covered})
    elif status in CoverageStatus.values:
        units = units.filter(**{field: status})
    elif status == "covered":
        units = units.filter(**{f"{field}__in": covered})
    elif status == "org_covered":
        units = units.filter(**{f"{field}__in": covered[:2]})
    if get("should_build") == "1":
        units = units.filter(party_members__gte=SHOULD_BUILD_ALONE_MEMBERS).exclude(
            **{field: CoverageStatus.OWN}
        )
    if get("mine") == "1" and get("_user_id"):
        units = units.filter(instructor_id=get("_user_id"))
    q = str(get("q") or "").strip()
    if q:
        code = normalize_credit_code(q)
        if len(code) >= 6 and code.isalnum() and any(c.isdigit() for c in code):
            units = units.filter(credit_code__startswith=code)
        elif q.isascii() and q.isalpha():
            units = units.filter(name_initials__startswith=q.lower())
        else:
            units = units.filter(name__contains=q)
    if annotations:
        return units
    return (
        units.filter(closed_on__isnull=True)
        if get("closed") != "1"
        else units.filter(closed_on__isnull=False)
    )


def _date_param(raw: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def current_rates_by_park_type(
    user: Any, org: Organization | None = None
) -> tuple[dict[str, Any], list[GroupRow]] | None:
    """Today's rates of the user's scope (or a subtree of it) and per park type, from the subtree
    tallies on PostgreSQL; None where the tallies do not apply (then compute with coverage_rates)."""
    from apps.core import tallies

    if not tallies.enabled():
        return None
    scope = get_scope(user)
    if org is None and not scope.is_superuser and Unit.objects.filter(instructor_id=scope.user_id).exists():
        return None  # an instructor also sees units outside their subtrees: count those live
    paths = (org.path,) if org is not None else tallies.scope_paths(user, Perm.COVERAGE_VIEW)
    if not paths:
        return None
    counts = tallies.read("unit", paths, ["status", "park_type_status"])
    by_status = {value: n for value, (n, _a) in counts.get("status", {}).items()}
    totals = rates_of(
        {"total": sum(by_status.values()), **{k: by_status.get(k, 0) for k in ("own", "joint", "instructor")}}
    )
    groups: dict[str, dict[str, int]] = {}
    for value, (n, _a) in counts.get("park_type_status", {}).items():
        park_type, _, status = value.partition(":")
        group = groups.setdefault(park_type, {"total": 0, "own": 0, "joint": 0, "instructor": 0})
        group["total"] += n
        if status in group:
            group[status] += n
    rows = [
        GroupRow(
            key=key or None,
            label=ParkType(key).label if key else "不在园区（街道）",
            figures=rates_of(figures),
        )
        for key, figures in groups.items()
        if figures["total"]
    ]
    rows.sort(key=lambda row: -row.figures["total"])
    return totals, rows
