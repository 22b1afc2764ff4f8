"""Mediation figures for the statistics engine: this year's bulletin over the user's institutions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from apps.core.statistics import Stat, StatContext, provides
from apps.mediation.selectors import may_view_mediation, scoped_bulletin


@provides("mediation", "矛盾纠纷化解")
def mediation_stats(ctx: StatContext) -> Iterator[Stat]:
    if not may_view_mediation(ctx.user):
        return
    today = ctx.on or timezone.localdate()
    start = dt.date(today.year, 1, 1)
    b = scoped_bulletin(ctx.user, start, today)
    period = {"start": start.isoformat(), "end": today.isoformat()}
    ledger = reverse("mediation:index")

    def link(**params: str) -> str:
        return f"{ledger}?{urlencode({**period, **params})}"

    yield Stat("mediation.received", "本年收案", b["received"], link(), "件")
    yield Stat("mediation.accepted", "受理", b["accepted"], link(accepted="1"), "件")
    yield Stat("mediation.successful", "调解成功", b["successful"], link(state="success"), "件")
    yield Stat("mediation.open", "在办", b["open"], link(state="open"), "件")
    yield Stat(
        "mediation.mediation_rate",
        "调解率",
        Decimal(str(b["mediation_rate"])),
        reverse("mediation:bulletin") + "?" + urlencode(period),
        "%",
    )
    yield Stat(
        "mediation.success_rate",
        "调解成功率",
        Decimal(str(b["success_rate"])),
        reverse("mediation:bulletin") + "?" + urlencode(period),
        "%",
    )
