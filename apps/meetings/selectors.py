"""The routine-work checklist and meeting lists, computed from the records in a few aggregate queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from apps.core.rules_engine import CheckResult, Period, run_check
from apps.core.scoping import Perm, get_scope
from apps.meetings.models import Meeting, MeetingStatus, Requirement, RequirementSource
from apps.meetings.rules import period_of, requirement_status, status_from_count, traffic_light
from apps.orgs.choices import BRANCH_TYPES, OrgType
from apps.orgs.models import Organization


def meetings_for(user: Any, perm: str = Perm.MEETINGS_VIEW) -> QuerySet[Meeting]:
    scope = get_scope(user)
    condition = scope.org_q(perm, "org_path")
    if scope.member_id is not None and perm == Perm.MEETINGS_VIEW and scope.member_org_path:
        condition |= Q(org_path=scope.member_org_path)
    return Meeting.objects.filter(condition)


@dataclass
class ChecklistItem:
    requirement: Requirement
    period_start: dt.date
    period_end: dt.date
    held: list[Meeting] = field(default_factory=list)
    status: str = "due"
    light: str = "grey"
    applies: bool = True
    note: str = ""  # why a record-checked item is not done
    link: str = ""  # the records behind it


def _checked(
    requirements: list[Requirement], branch_ids: list[int], on: dt.date, today: dt.date
) -> dict[tuple[int, int], CheckResult]:
    """The record-checked requirements (not evidenced by meetings) for many branches: one check run
    per requirement over all of them. Absent pairs are done."""
    results: dict[tuple[int, int], CheckResult] = {}
    for requirement in requirements:
        if requirement.source == RequirementSource.MEETING:
            continue
        start, end = period_of(requirement.cadence, on)
        for org_id, result in run_check(requirement.source, branch_ids, Period(start, end, today)).items():
            results[(requirement.pk, org_id)] = result
    return results


def _applies(requirement: Requirement, has_committee: bool, has_groups: bool) -> bool:
    return (not requirement.needs_committee or has_committee) and (not requirement.needs_groups or has_groups)


def _branch_traits(org_ids: list[int], today: dt.date) -> tuple[set[int], set[int]]:
    """Which branches have a committee (three or more sitting members) and which have party groups."""
    from apps.orgs.models import CommitteeMember

    committees = {
        row["org"]
        for row in CommitteeMember.objects.filter(org_id__in=org_ids)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .values("org")
        .annotate(n=Count("id"))
        .filter(n__gte=3)
    }
    groups = set(
        Organization.objects.filter(
            parent_id__in=org_ids, org_type=OrgType.GROUP, is_active=True
        ).values_list("parent_id", flat=True)
    )
    return committees, groups


def branch_checklist(org: Organization, *, on: dt.date, today: dt.date) -> list[ChecklistItem]:
    """Each active requirement for the period containing `on`, with the meetings that evidence it."""
    requirements = list(Requirement.objects.filter(is_active=True))
    committees, groups = _branch_traits([org.pk], today)
    items = []
    windows = {r.cadence: period_of(r.cadence, on) for r in requirements}
    earliest = min((w[0] for w in windows.values()), default=on)
    latest = max((w[1] for w in windows.values()), default=on)
    held = list(
        Meeting.objects.filter(
            org=org, status=MeetingStatus.HELD, date__gte=earliest, date__lte=latest
        ).order_by("date")
    )
    checked = _checked(requirements, [org.pk], on, today)
    for requirement in requirements:
        start, end = windows[requirement.cadence]
        if requirement.source != RequirementSource.MEETING:
            result = checked.get((requirement.pk, org.pk), CheckResult("done"))
            item = ChecklistItem(
                requirement=requirement, period_start=start, period_end=end, status=result.status,
                note=result.note, link=result.link,
            )  # fmt: skip
            item.light = traffic_light(result.status, end, today)
            items.append(item)
            continue
        evidence = [m for m in held if m.meeting_type == requirement.meeting_type and start <= m.date <= end]
        item = ChecklistItem(requirement=requirement, period_start=start, period_end=end, held=evidence)
        item.applies = _applies(requirement, org.pk in committees, org.pk in groups)
        item.status = (
            requirement_status(requirement.times, [m.date for m in evidence], start, end, today)
            if item.applies
            else "done"
        )
        item.light = traffic_light(item.status, end, today) if item.applies else "na"
        items.append(item)
    return items


@dataclass
class BranchRow:
    org: Organization
    lights: dict[int, str]
    red: int
    amber: int
    green: int


def branches_under(user: Any, parent: Organization) -> QuerySet[Organization]:
    scope = get_scope(user)
    return (
        Organization.objects.filter(
            scope.org_q(Perm.MEETINGS_VIEW),
            path__startswith=parent.path,
            org_type__in=BRANCH_TYPES,
            is_active=True,
        )
        .only("id", "name", "path", "org_type")
        .order_by("path")
    )


def committee_table(
    user: Any,
    parent: Organization,
    *,
    on: dt.date,
    today: dt.date,
    branches: list[Organization] | None = None,
) -> tuple[list[Requirement], list[BranchRow]]:
    """Branches under `parent` × every requirement: one aggregate of held meetings per cadence window.

    Given `branches` (a page of them), only those are counted, so a page costs the same at any scale;
    without, every branch of the subtree is (needed to sort the whole table by red items).
    """
    requirements = list(Requirement.objects.filter(is_active=True))
    if branches is None:
        branches = list(branches_under(user, parent))
    branch_ids = [b.pk for b in branches]
    counts: dict[tuple[int, str], int] = defaultdict(int)
    meeting_requirements = [r for r in requirements if r.source == RequirementSource.MEETING]
    for cadence in {r.cadence for r in meeting_requirements}:
        start, end = period_of(cadence, on)
        types = [r.meeting_type for r in meeting_requirements if r.cadence == cadence]
        rows = (
            Meeting.objects.filter(
                org_id__in=branch_ids,
                status=MeetingStatus.HELD,
                date__gte=start,
                date__lte=end,
                meeting_type__in=types,
            )
            .values("org_id", "meeting_type")
            .annotate(n=Count("id"))
        )
        for row in rows:
            counts[(row["org_id"], row["meeting_type"])] = row["n"]
    committees, groups = _branch_traits(branch_ids, today)
    checked = _checked(requirements, branch_ids, on, today)
    result = []
    for branch in branches:
        lights: dict[int, str] = {}
        for requirement in requirements:
            if requirement.source != RequirementSource.MEETING:
                check_end = period_of(requirement.cadence, on)[1]
                found = checked.get((requirement.pk, branch.pk))
                lights[requirement.pk] = traffic_light(found.status if found else "done", check_end, today)
                continue
            if not _applies(requirement, branch.pk in committees, branch.pk in groups):
                lights[requirement.pk] = "na"
                continue
            start, end = period_of(requirement.cadence, on)
            held = counts.get((branch.pk, requirement.meeting_type), 0)
            status = status_from_count(requirement.times, held, end, today)
            lights[requirement.pk] = traffic_light(status, end, today)
        values = list(lights.values())
        result.append(
            BranchRow(
                org=branch,
                lights=lights,
                red=values.count("red"),
                amber=values.count("amber"),
                green=values.count("green"),
            )
        )
    return requirements, result


def attendance_summary(member_id: int) -> dict[str, int]:
    from apps.meetings.models import Attendance

    rows = (
        Attendance.objects.filter(member_id=member_id, meeting__status=MeetingStatus.HELD)
        .values("status")
        .annotate(n=Count("id"))
    )
    return {r["status"]: r["n"] for r in rows}
