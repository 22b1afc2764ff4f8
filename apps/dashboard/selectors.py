"""The dashboard's figures for the user's scope, read from the statistics engine, each with its list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from apps.core.scoping import Perm, get_scope
from apps.core.snapshots import trend
from apps.core.statistics import Stat, StatContext, collect, headline, series
from apps.orgs.models import Organization
from apps.orgs.selectors import tree_roots


def _trend_roots(user: Any, org: Organization | None) -> list[Organization]:
    if org is not None:
        return [org]
    return list(tree_roots(user))


def trend_series(
    user: Any, org: Organization | None, codes: dict[str, str], months: int = 12
) -> dict[str, Any]:
    """Month-by-month figures from the snapshots, on one shared axis of months."""
    roots = _trend_roots(user, org)
    lines = {code: dict(trend(roots, code, months)) for code in codes}
    axis = sorted({m for line in lines.values() for m in line})
    return {
        "months": [f"{m:%Y-%m}" for m in axis],
        "series": [
            {"name": label, "values": [lines[code].get(m) for m in axis]} for code, label in codes.items()
        ],
    }


def dashboard_figures(
    user: Any, org: Organization | None = None, on: dt.date | None = None
) -> dict[str, Any]:
    scope = get_scope(user)
    stats = collect(StatContext(user=user, org=org, on=on))
    flat: list[Stat] = [s for group in stats.values() for s in group]
    top = headline(flat)
    figures: dict[str, Any] = {
        "stats": top,
        "charts": {
            "status": series(flat, "members.by_status"),
            "category": [p for p in series(flat, "members.by_category") if p["value"]],
            "gender": series(flat, "members.by_gender"),
            "education": [p for p in series(flat, "members.by_education") if p["value"]],
            "age": series(flat, "members.by_age_band"),
            "org_type": series(flat, "orgs.by_type"),
            "development": series(flat, "development.by_stage"),
            "requests": [p for p in series(flat, "requests.by_category") if p["value"]],
        },
        "compliance": [s for s in flat if s.group == "meetings.held"],
        "has": {code: bool(group) for code, group in stats.items()},
        # Party figures mean nothing to a department's staff or a mediator: their home shows their own.
        "party": scope.is_superuser or bool(scope.paths(Perm.MEMBERS_VIEW)) or scope.member_id is not None,
    }
    coverage_org = [s for s in flat if s.group == "coverage.org_rate_by_park_type"]
    coverage_work = {s.link: s for s in flat if s.group == "coverage.work_rate_by_park_type"}
    figures["charts"]["coverage"] = {
        "categories": [s.label for s in coverage_org],
        "urls": [s.link for s in coverage_org],
        "series": [
            {"name": "组织覆盖率", "values": [round(float(s.value or 0) * 100, 1) for s in coverage_org]},
            {
                "name": "工作覆盖率",
                "values": [round(float(coverage_work[s.link].value or 0) * 100, 1) for s in coverage_org],
            },
        ],
    }
    codes = {"members.total": "党员总数"}
    if figures["has"].get("coverage"):
        codes |= {"coverage.org_covered": "组织覆盖的两新组织", "coverage.total": "两新组织"}
    figures["charts"]["trend"] = trend_series(user, org, codes)
    if scope.has(Perm.ORGS_VIEW):
        figures["warnings"], figures["warnings_total"], figures["warnings_checked"] = org_warnings(user)
    return figures


WARNINGS_CAP = 1000


def org_warnings(user: Any, limit: int = 30) -> tuple[list[tuple[Organization, list[Any]]], int, Any]:
    """The organizations with open warnings, as the rules engine last found them (it checks every
    organization on a schedule and on demand, so the home page never evaluates the whole tree)."""
    from django.core.cache import cache

    from apps.alerts.models import Alert
    from apps.alerts.store import REFRESHED_KEY

    open_alerts = Alert.objects.filter(
        get_scope(user).org_q(Perm.ORGS_VIEW, "org_path"), kind="org", resolved_at__isnull=True
    )
    # Counted up to a cap (the page says "1000+"), so a zone with thousands of flagged organizations
    # does not count them all on every view; the time of the last check comes from the rules engine.
    orgs = open_alerts.order_by().values("org_id").distinct()[:WARNINGS_CAP].count()
    summary = {"orgs": orgs, "checked": cache.get(REFRESHED_KEY)}
    # The first organizations in tree order: read along the path index, a few alerts per organization.
    first: list[str] = []
    for path in open_alerts.order_by("org_path").values_list("org_path", flat=True)[: limit * 4]:
        if path not in first:
            first.append(path)
        if len(first) == limit:
            break
    by_org: dict[int, tuple[Organization, list[Any]]] = {}
    for alert in open_alerts.filter(org_path__in=first).select_related("org").order_by("org_path", "level"):
        by_org.setdefault(alert.org_id, (alert.org, []))[1].append(alert)
    return list(by_org.values()), summary["orgs"], summary["checked"]


def park_map(user: Any, org: Organization | None = None) -> list[dict[str, Any]]:
    """Parks as treemap tiles: size = units, colour = organization coverage, click = the park's units."""
    from django.urls import reverse

    from apps.coverage.selectors import coverage_breakdown, units_for

    if not get_scope(user).has(Perm.COVERAGE_VIEW):
        return []
    units = units_for(user)
    if org is not None:
        units = units.filter(org_path__startswith=org.path)
    base = reverse("coverage:units")
    return [
        {
            "name": row.label,
            "value": row.figures["total"],
            "rate": round(float(row.figures["org_rate"]) * 100, 1),
            "url": f"{base}?park={row.key if row.key is not None else 'none'}",
        }
        for row in coverage_breakdown("park", units=units)
    ]
