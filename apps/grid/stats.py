"""Grid figures for the statistics engine: households, and the three coverage gaps, each linked to its list."""

from __future__ import annotations

from collections.abc import Iterator

from apps.core.statistics import Stat, StatContext, provides
from apps.grid.models import Household
from apps.grid.selectors import grid_coverage, may_oversee, zones_for


@provides("grid", "片组户联系")
def grid_stats(ctx: StatContext) -> Iterator[Stat]:
    """Today's coverage of the zones the user sees (within the chosen subtree)."""
    if not may_oversee(ctx.user):
        return
    from apps.grid.views import coverage_links

    zones = zones_for(ctx.user)
    if ctx.org is not None:
        zones = zones.filter(org_path__startswith=ctx.org.path)
    figures = grid_coverage(households=Household.objects.filter(zone__in=zones.values("pk")))
    links = coverage_links()
    yield Stat("grid.households", "在册住户", figures["households"], links["households"], "户")
    yield Stat(
        "grid.without_liaison", "未落实联户党员", figures["without_liaison"], links["without_liaison"], "户"
    )
    yield Stat(
        "grid.liaisons_over_limit",
        "联系超限党员",
        figures["liaisons_over_limit"],
        links["liaisons_over_limit"],
        "人",
    )
    yield Stat("grid.not_visited", "超期未走访", figures["not_visited"], links["not_visited"], "户")
