"""The development board: who is at which stage, and what is due next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from apps.core.scoping import Perm, get_scope
from apps.development import rules
from apps.development.models import Prospect, Stage


def prospects_for(user: Any, perm: str = Perm.DEVELOPMENT_MANAGE) -> QuerySet[Prospect]:
    scope = get_scope(user)
    condition = scope.org_q(perm, "org_path")
    if perm == Perm.DEVELOPMENT_MANAGE:
        condition |= scope.org_q(Perm.DEVELOPMENT_APPROVE, "org_path")
    return Prospect.objects.filter(condition)


@dataclass(frozen=True)
class NextStep:
    label: str
    due: dt.date | None
    overdue: bool


def next_step(p: Prospect, today: dt.date) -> NextStep:
    """What the branch (or the committee) has to do next for this person, and by when."""
    if p.stage == Stage.APPLICANT:
        if p.talk_date is None:
            due = rules.talk_deadline(p.application_date)
            return NextStep("派人谈话", due, today > due)
        return NextStep("确定入党积极分子", None, False)
    if p.stage == Stage.ACTIVIST:
        return NextStep("可确定为发展对象", rules.earliest_candidate_date(p.activist_date), False)  # type: ignore[arg-type]
    if p.stage == Stage.CANDIDATE:
        if p.publicity_end is None:
            return NextStep("政审、培训、确定介绍人、公示", None, False)
        if p.meeting_date is None:
            return NextStep("公示期满后召开支部大会", p.publicity_end + dt.timedelta(days=1), False)
        due = rules.approval_deadline(p.meeting_date)
        return NextStep("上级党委审批", due, today > due)
    if p.stage == Stage.PROBATIONARY and p.meeting_date:
        end = (
            rules.extended_probation_end(p.meeting_date, p.extension_months)
            if p.extension_months
            else rules.probation_end_date(p.meeting_date)
        )
        return NextStep("预备期满，讨论转正", end, today > end)
    return NextStep("", None, False)


def stage_counts(user: Any, org_path: str | None = None) -> dict[str, int]:
    qs = prospects_for(user)
    if org_path:
        qs = qs.filter(org_path__startswith=org_path)
    return dict(qs.values_list("stage").annotate(n=Count("id")).order_by())
