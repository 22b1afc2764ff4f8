"""Overdue mediation cases: an alert for each open case (and each judicial confirmation) past the
stage's deadline, heard by the institution's mediators and every body that supervises it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.urls import reverse

from apps.core.calendar import working_days_between
from apps.core.rules_engine import AlertSpec, audience, rule
from apps.mediation.flow import CASE_FLOW, OPEN_STATES


def channel(institution_id: int) -> str:
    return f"mediation:inst:{institution_id}"


@audience
def mediation_channels(user: Any) -> Iterable[str]:
    """A mediator hears their institutions and all institutions those supervise."""
    from apps.mediation import selectors

    roots = {m.institution_id for m in selectors.memberships(user)}
    return [channel(pk) for pk in selectors.descendants(roots, user)] if roots else []


@rule("mediation_overdue", "调解案件超期")
def overdue_cases(today: dt.date) -> Iterator[AlertSpec]:
    from apps.mediation.models import Case, JudicialConfirmation
    from apps.orgs.selectors import zone_root

    root = zone_root()
    if root is None:
        return
    late = (
        Case.objects.filter(state__in=OPEN_STATES, due_date__lt=today)
        .select_related("institution")
        .only("id", "receipt", "number", "state", "due_date", "institution__name", "institution_id")
    )
    for case in late.iterator(chunk_size=2000):
        days = working_days_between(case.due_date or today, today)
        stage = CASE_FLOW.state(case.state).label
        yield AlertSpec(
            key=f"mediation:{case.pk}:{case.state}", kind="mediation_overdue", level="danger" if days > 2 else "warning",
            org_id=root.pk, org_path=root.path, title=f"{case.institution.name}：调解案件超期未办",
            message=f"案件 {case.number or case.receipt}（{stage}）已超过期限 {days} 个工作日",
            link=reverse("mediation:detail", args=[case.pk]), due_date=case.due_date, channel=channel(case.institution_id),
        )  # fmt: skip
    pending = JudicialConfirmation.objects.filter(state="applied", due_date__lt=today).select_related(
        "case", "case__institution"
    )
    for j in pending:
        yield AlertSpec(
            key=f"mediation:judicial:{j.pk}", kind="mediation_overdue", level="warning", org_id=root.pk, org_path=root.path,
            title=f"{j.case.institution.name}：司法确认待法院受理", message=f"案件 {j.case.number} 向{j.court}申请司法确认已超过3个工作日，请跟进",
            link=reverse("mediation:detail", args=[j.case_id]), due_date=j.due_date, channel=channel(j.case.institution_id),
        )  # fmt: skip
