"""The alert rules of branch work. Each reads the records in a few aggregate queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Min, Q
from django.urls import reverse

from apps.core.rules_engine import AlertSpec, rule
from apps.members.choices import INACTIVE_CATEGORIES, MemberCategory
from apps.orgs.choices import BRANCH_TYPES, OrgType
from apps.orgs.models import Organization

LOST_CONTACT_MONTHS = 6


def _months_before(day: dt.date, months: int) -> dt.date:
    from apps.development.rules import add_months

    return add_months(day, -months)


@rule("org", "组织设置与换届")
def org_rules(today: dt.date) -> Iterator[AlertSpec]:
    """Re-elections due or overdue, temporary branches past their end, branches with too few full members."""
    from apps.members.models import Member
    from apps.orgs.rules import org_warnings

    counts = {
        r["org"]: r
        for r in Member.objects.exclude(category__in=INACTIVE_CATEGORIES)
        .values("org")
        .annotate(total=Count("id"), full=Count("id", filter=Q(status="full")))
    }
    committees = dict(
        Organization.objects.filter(is_active=True)
        .annotate(
            n=Count(
                "committee", filter=Q(committee__term_end__isnull=True) | Q(committee__term_end__gte=today)
            )
        )
        .values_list("id", "n")
    )
    for org in (
        Organization.objects.filter(is_active=True)
        .exclude(org_type=OrgType.GROUP)
        .only("id", "name", "path", "org_type", "last_election_on", "founded_on", "end_date", "is_active")
    ):
        row = counts.get(org.pk, {"total": 0, "full": 0})
        for w in org_warnings(
            org_type=org.org_type, full_members=row["full"], total_members=row["total"], committee_size=committees.get(org.pk, 0),
            last_election_on=org.last_election_on, founded_on=org.founded_on, end_date=org.end_date, is_active=True, today=today,
        ):  # fmt: skip
            if w.level == "info":
                continue
            yield AlertSpec(
                key=f"org:{org.pk}:{w.code}", kind="org", level=w.level, org_id=org.pk, org_path=org.path,
                title=f"{org.name}：{w.message.split('：')[0].split('，')[0]}", message=w.message, link=reverse("orgs:detail", args=[org.pk]),
            )  # fmt: skip


@rule("meetings", "三会一课与主题党日")
def meeting_rules(today: dt.date) -> Iterator[AlertSpec]:
    """Items missed in the period that just ended, and items still open in the last days of the current one."""
    from apps.meetings.models import Meeting, Requirement
    from apps.meetings.rules import DUE_SOON_DAYS, period_of
    from apps.meetings.selectors import _applies, _branch_traits

    requirements = list(Requirement.objects.filter(is_active=True, source="meeting"))
    branches = list(
        Organization.objects.filter(org_type__in=BRANCH_TYPES, is_active=True).only("id", "name", "path")
    )
    committees, groups = _branch_traits([b.pk for b in branches], today)
    for requirement in requirements:
        current_start, current_end = period_of(requirement.cadence, today)
        previous_start, previous_end = period_of(requirement.cadence, current_start - dt.timedelta(days=1))
        checks = [("missed", previous_start, previous_end)]
        if (current_end - today).days <= DUE_SOON_DAYS:
            checks.append(("due", current_start, current_end))
        for state, start, end in checks:
            held = dict(
                Meeting.objects.filter(
                    status="held", meeting_type=requirement.meeting_type, date__gte=start, date__lte=end
                )
                .values_list("org_id")
                .annotate(n=Count("id"))
            )
            for branch in branches:
                if held.get(branch.pk, 0) >= requirement.times or not _applies(
                    requirement, branch.pk in committees, branch.pk in groups
                ):
                    continue
                period = (
                    f"{start:%Y年%m月}"
                    if requirement.cadence == "monthly"
                    else f"{start:%Y-%m-%d}至{end:%Y-%m-%d}"
                )
                yield AlertSpec(
                    key=f"meeting:{branch.pk}:{requirement.meeting_type}:{start:%Y%m%d}", kind="meetings",
                    level="danger" if state == "missed" else "warning", org_id=branch.pk, org_path=branch.path,
                    title=f"{branch.name}：{requirement.name}{'未召开' if state == 'missed' else '即将到期'}",
                    message=f"{period}应召开{requirement.name}{requirement.times}次" + ("，未召开" if state == "missed" else f"，请于{end:%m月%d日}前召开"),
                    link=reverse("meetings:checklist") + f"?org={branch.pk}&on={start:%Y-%m-%d}", due_date=end,
                )  # fmt: skip


@rule("dues", "党费欠缴")
def dues_rules(today: dt.date) -> Iterator[AlertSpec]:
    """Three or more unpaid months; six without a reason is treated as leaving the party (党章第九条)."""
    from apps.dues.models import DuesBill

    rows = (
        DuesBill.objects.filter(status="unpaid")
        .values("member_id", "member__name", "member__org_id", "member__org_path")
        .annotate(months=Count("id"), since=Min("month"))
        .filter(months__gte=3)
    )
    for r in rows:
        six = r["months"] >= 6
        yield AlertSpec(
            key=f"dues:{r['member_id']}", kind="dues", level="danger" if six else "warning", org_id=r["member__org_id"],
            org_path=r["member__org_path"], member_id=r["member_id"], title=f"{r['member__name']}：欠缴党费{r['months']}个月",
            message=f"自{r['since']:%Y年%m月}起欠缴党费{r['months']}个月" + ("，连续6个月不交纳党费，须谈话核实（党章第九条）" if six else ""),
            link=reverse("members:detail", args=[r["member_id"]]),
        )  # fmt: skip


@rule("lost_contact", "疑似失联")
def lost_contact_rules(today: dt.date) -> Iterator[AlertSpec]:
    """Members with no dues paid and no meeting attended for six months or more (失联党员排查)."""
    from apps.dues.models import DuesBill
    from apps.meetings.models import Attendance
    from apps.members.models import Member

    since = _months_before(today, LOST_CONTACT_MONTHS)
    paid = DuesBill.objects.filter(status="paid", paid_on__gte=since).values("member_id")
    attended = Attendance.objects.filter(status="present", meeting__date__gte=since).values("member_id")
    candidates = (
        Member.objects.exclude(
            category__in=[*INACTIVE_CATEGORIES, MemberCategory.SUSPENDED, MemberCategory.LOST_CONTACT]
        )
        .filter(admission_date__lte=since)
        .exclude(pk__in=paid)
        .exclude(pk__in=attended)
        .values("id", "name", "org_id", "org_path")
    )
    for m in candidates:
        yield AlertSpec(
            key=f"lost:{m['id']}", kind="lost_contact", level="danger", org_id=m["org_id"], org_path=m["org_path"], member_id=None,
            title=f"{m['name']}：疑似失联", message=f"自{since:%Y年%m月%d日}以来无党费缴纳、无组织生活出席记录，请核实联系，确认失联的变更党员类别并记录跟进",
            link=reverse("members:detail", args=[m["id"]]),
        )  # fmt: skip


@rule("development", "发展党员期限")
def development_rules(today: dt.date) -> Iterator[AlertSpec]:
    """Talks overdue, approvals overdue, probations ending within 30 days or ended."""
    from apps.development.models import Prospect, Stage
    from apps.development.selectors import next_step

    for p in Prospect.objects.filter(stage__in=[Stage.APPLICANT, Stage.CANDIDATE, Stage.PROBATIONARY]):
        step = next_step(p, today)
        if step.due is None:
            continue
        soon = p.stage == Stage.PROBATIONARY and (step.due - today).days <= 30
        if not (step.overdue or soon):
            continue
        yield AlertSpec(
            key=f"dev:{p.pk}:{p.stage}", kind="development", level="danger" if step.overdue else "warning", org_id=p.org_id,
            org_path=p.org_path, title=f"{p.name}：{step.label}", message=f"{step.label}，期限{step.due:%Y-%m-%d}" + ("，已逾期" if step.overdue else ""),
            link=reverse("development:detail", args=[p.pk]), due_date=step.due,
        )  # fmt: skip


@rule("transfers", "组织关系转接")
def transfer_rules(today: dt.date) -> Iterator[AlertSpec]:
    """Transfers past their deadline alert both sides: the sender to follow up, the receiver to confirm."""
    from apps.transfers.models import Transfer

    overdue = Transfer.objects.filter(state__in=["requested", "issued"], due_date__lt=today).select_related(
        "from_org", "to_org"
    )
    for t in overdue:
        link = reverse("transfers:detail", args=[t.pk])
        waiting = "开具介绍信" if t.state == "requested" else "回执"
        for side, org, path in (("from", t.from_org, t.from_path), ("to", t.to_org, t.to_path)):
            if org is None or not path:
                continue
            yield AlertSpec(
                key=f"transfer:{t.pk}:{side}", kind="transfers", level="danger", org_id=org.pk, org_path=path,
                title=f"{t.person_name}：组织关系转接逾期", message=f"{t.from_label}→{t.to_label}，{t.number or '介绍信未开具'}，应于{t.due_date:%Y-%m-%d}前完成{waiting}",
                link=link, due_date=t.due_date,
            )  # fmt: skip


@rule("removal", "停止党籍满两年")
def removal_rules(today: dt.date) -> Iterator[AlertSpec]:
    """Suspended members still out of contact two years on are removed as having left the party."""
    from apps.lostcontact.models import LostContactCase

    for case in LostContactCase.objects.filter(state="suspended", removal_due__lte=today).select_related(
        "member"
    ):
        yield AlertSpec(
            key=f"removal:{case.pk}", kind="removal", level="danger", org_id=case.member.org_id, org_path=case.org_path,
            title=f"{case.member.name}：停止党籍已满两年", message=f"{case.closed_on:%Y-%m-%d}停止党籍，满两年仍无法取得联系的，应按自行脱党予以除名",
            link=reverse("lostcontact:detail", args=[case.pk]), due_date=case.removal_due,
        )  # fmt: skip
