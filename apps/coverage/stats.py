"""Coverage figures for the statistics engine: the rates of the scope, and per park type."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

from django.urls import reverse

from apps.core.scoping import Perm, get_scope
from apps.core.statistics import Stat, StatContext, provides
from apps.coverage.choices import ParkType
from apps.coverage.selectors import coverage_breakdown, coverage_rates, current_rates_by_park_type, units_for


@provides("coverage", "两新组织覆盖")
def coverage_stats(ctx: StatContext) -> Iterator[Stat]:
    if not get_scope(ctx.user).has(Perm.COVERAGE_VIEW):
        return
    units = units_for(ctx.user)
    if ctx.org is not None:
        units = units.filter(org_path__startswith=ctx.org.path)
    base = reverse("coverage:units")
    on = ctx.on.isoformat() if ctx.on else ""

    def link(**params: str) -> str:
        params = {k: v for k, v in {**params, "on": on}.items() if v}
        return f"{base}?{urlencode(params)}" if params else base

    fast = current_rates_by_park_type(ctx.user, ctx.org) if ctx.on is None else None
    if fast is not None:
        r, park_types = fast
    else:
        r, park_types = (
            coverage_rates(None, ctx.on, units=units),
            coverage_breakdown("park_type", units=units, on=ctx.on),
        )
    yield Stat("coverage.total", "两新组织", r["total"], link(), "个")
    yield Stat("coverage.own", "单建", r["own"], link(status="own"), "个")
    yield Stat("coverage.joint", "联建", r["joint"], link(status="joint"), "个")
    yield Stat("coverage.instructor", "指导员覆盖", r["instructor"], link(status="instructor"), "个")
    yield Stat("coverage.uncovered", "未覆盖", r["uncovered"], link(status="none"), "个")
    yield Stat("coverage.org_rate", "组织覆盖率", r["org_rate"], link(status="org_covered"), "%")
    yield Stat("coverage.work_rate", "工作覆盖率", r["work_rate"], link(status="covered"), "%")
    for row in park_types:
        key = row.key or "none"
        label = ParkType(row.key).label if row.key else "不在园区"
        yield Stat(
            f"coverage.org_rate.{key}",
            label,
            row.figures["org_rate"],
            link(park_type=key),
            "%",
            "coverage.org_rate_by_park_type",
        )
        yield Stat(
            f"coverage.work_rate.{key}",
            label,
            row.figures["work_rate"],
            link(park_type=key),
            "%",
            "coverage.work_rate_by_park_type",
        )
