"""Member figures for the statistics engine (apps.core.statistics)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

from django.urls import reverse

from apps.core.statistics import Stat, StatContext, provides
from apps.members.choices import AgeBand, Education, MemberCategory, MemberStatus
from apps.members.selectors import member_breakdown


@provides("members", "党员")
def member_stats(ctx: StatContext) -> Iterator[Stat]:
    b = member_breakdown(ctx.user, ctx.org.path if ctx.org is not None else None)
    base = reverse("members:list")

    def link(**params: object) -> str:
        if ctx.org is not None:
            params["org"] = ctx.org.pk
        return f"{base}?{urlencode(params)}" if params else base

    yield Stat("members.total", "党员总数", b["total"], link(), "人")
    yield Stat(
        "members.full", "正式党员", b["by_status"].get(MemberStatus.FULL, 0), link(status="full"), "人"
    )
    yield Stat(
        "members.probationary",
        "预备党员",
        b["by_status"].get(MemberStatus.PROBATIONARY, 0),
        link(status="probationary"),
        "人",
    )
    for group, key, choices, param in (
        ("members.by_status", "by_status", MemberStatus.choices, "status"),
        ("members.by_category", "by_category", MemberCategory.choices, "category"),
        ("members.by_gender", "by_gender", [("male", "男"), ("female", "女")], "gender"),
        ("members.by_education", "by_education", Education.choices, "education"),
        ("members.by_age_band", "by_age_band", AgeBand.choices, "age_band"),
    ):
        for value, label in choices:
            yield Stat(f"{group}.{value}", label, b[key].get(value, 0), link(**{param: value}), "人", group)
