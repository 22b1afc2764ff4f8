"""Development figures for the statistics engine: the pipeline by stage."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from apps.core.scoping import Perm, get_scope
from apps.core.statistics import Stat, StatContext, provides
from apps.development.models import Stage
from apps.development.selectors import stage_counts


@provides("development", "发展党员")
def development_stats(ctx: StatContext) -> Iterator[Stat]:
    scope = get_scope(ctx.user)
    if not (
        scope.is_superuser or scope.paths(Perm.DEVELOPMENT_MANAGE) or scope.paths(Perm.DEVELOPMENT_APPROVE)
    ):
        return
    counts = stage_counts(ctx.user, ctx.org.path if ctx.org is not None else None)
    base = reverse("development:board")
    for value, label in Stage.choices:
        if value in (Stage.FULL, Stage.STOPPED):
            continue
        link = f"{base}?stage={value}" + (f"&org={ctx.org.pk}" if ctx.org is not None else "")
        yield Stat(f"development.{value}", label, counts.get(value, 0), link, "人", "development.by_stage")
