"""Every step of member development; a step that breaks a rule is refused with the rule and the
date it becomes possible (apps.development.rules holds the waiting times)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from apps.core import crypto
from apps.core.errors import ConflictError, DomainError
from apps.core.identity import normalize_phone, parse_citizen_id
from apps.core.scoping import Perm, get_scope
from apps.core.workflow import move, start
from apps.development import rules
from apps.development.flow import APPROVAL_FLOW
from apps.development.models import AdmissionApproval, Prospect, Stage, StepLog
from apps.members.models import Member
from apps.orgs.choices import BRANCH_TYPES, COMMITTEE_TYPES
from apps.orgs.models import Organization
from apps.orgs.selectors import access_org


def access_prospect(
    actor: Any, prospect_id: int, perm: str = Perm.DEVELOPMENT_MANAGE, *, lock: bool = False
) -> Prospect:
    scope = get_scope(actor)
    qs = Prospect.objects.filter(scope.org_q(perm, "org_path"), pk=prospect_id)
    prospect = (qs.select_for_update() if lock else qs.select_related("org")).first()
    if prospect is None:
        raise Http404("发展对象不存在")
    return prospect


def _not_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise DomainError("development.date_future", "日期不能晚于今天", field=field)


def _expect(prospect: Prospect, *stages: str) -> None:
    if prospect.stage not in stages:
        labels = "、".join(Stage(s).label for s in stages)
        raise DomainError(
            "development.stage",
            f"当前阶段为“{prospect.get_stage_display()}”，此步骤须在“{labels}”阶段办理",
            field="stage",
        )


def _log(prospect: Prospect, actor: Any, step: str, on: dt.date, note: str = "") -> None:
    StepLog.objects.create(
        prospect=prospect,
        step=step,
        on=on,
        note=note[:300],
        actor_id=getattr(actor, "pk", None),
    )


def _full_members(
    prospect: Prospect, ids: list[int], *, count: tuple[int, int], label: str, field: str
) -> list[Member]:
    if not count[0] <= len(set(ids)) <= count[1]:
        wanted = f"{count[0]}名" if count[0] == count[1] else f"{count[0]}至{count[1]}名"
        raise DomainError("development.people_count", f"{label}应为{wanted}正式党员", field=field)
    people = list(Member.objects.filter(pk__in=ids, org_path__startswith=prospect.org_path, status="full"))
    if len(people) != len(set(ids)):
        raise DomainError("development.people_invalid", f"{label}须是本支部的正式党员", field=field)
    return people


@transaction.atomic
def prospect_register(
    *,
    actor: Any,
    org_id: int,
    name: str,
    citizen_id: str,
    application_date: dt.date,
    phone: str = "",
    work_unit: str = "",
) -> Prospect:
    """An application to join (入党申请): at least 18 years old, to a branch."""
    org = access_org(actor, org_id, Perm.DEVELOPMENT_MANAGE)
    if org.org_type not in BRANCH_TYPES:
        raise DomainError("development.org_type", "入党申请应向党支部递交", field="org")
    if not name.strip():
        raise DomainError("development.name_required", "请填写姓名", field="name")
    citizen = parse_citizen_id(citizen_id)
    _not_future(application_date, "application_date")
    if not rules.may_apply(citizen.birth_date, application_date):
        earliest = rules.add_years(citizen.birth_date, rules.setting("min_age"))
        raise DomainError(
            "development.too_young",
            f"申请入党须年满18周岁：{earliest:%Y-%m-%d}起方可递交入党申请",
            field="application_date",
        )
    digest = crypto.keyed_hash(citizen.number)
    if Member.objects.filter(citizen_id_hash=digest).exists():
        raise ConflictError("development.already_member", "此人已是党员", field="citizen_id")
    if Prospect.objects.filter(citizen_id_hash=digest).exclude(stage=Stage.STOPPED).exists():
        raise ConflictError("development.duplicate", "此人已在发展培养中", field="citizen_id")
    Prospect.objects.filter(citizen_id_hash=digest, stage=Stage.STOPPED).delete()
    prospect = Prospect.objects.create(
        org=org, org_path=org.path, name=name.strip(), gender=citizen.gender, birth_date=citizen.birth_date, phone=normalize_phone(phone),
        work_unit=work_unit.strip()[:120], application_date=application_date, created_by_id=getattr(actor, "pk", None),
        **crypto.citizen_id_columns(citizen.number),
    )  # fmt: skip
    _log(prospect, actor, "递交入党申请", application_date)
    return prospect


@transaction.atomic
def record_talk(*, actor: Any, prospect_id: int, on: dt.date, by: str) -> Prospect:
    """The branch talks with the applicant (within a month of the application; a late talk is recorded and flagged)."""
    prospect = access_prospect(actor, prospect_id, lock=True)
    _expect(prospect, Stage.APPLICANT)
    if prospect.talk_date is not None:
        raise ConflictError(
            "development.talk_recorded", f"已于{prospect.talk_date:%Y-%m-%d}登记谈话", field="on"
        )
    _not_future(on, "on")
    if on < prospect.application_date:
        raise DomainError("development.talk_before", "谈话日期不能早于递交申请日期", field="on")
    if not by.strip():
        raise DomainError("development.talk_by", "请填写谈话人", field="by")
    prospect.talk_date, prospect.talk_by = on, by.strip()[:50]
    prospect.save(update_fields=["talk_date", "talk_by", "updated_at"])
    late = on > rules.talk_deadline(prospect.application_date)
    _log(
        prospect,
        actor,
        "派人谈话",
        on,
        f"谈话人：{prospect.talk_by}" + ("（超过一个月时限）" if late else ""),
    )
    return prospect


@transaction.atomic
def make_activist(*, actor: Any, prospect_id: int, on: dt.date, contact_ids: list[int]) -> Prospect:
    """Applicant → activist, with one or two full members as contacts (培养联系人)."""
    prospect = access_prospect(actor, prospect_id, lock=True)
    _expect(prospect, Stage.APPLICANT)
    _not_future(on, "on")
    if prospect.talk_date is None:
        raise DomainError("development.talk_missing", "须先派人与申请人谈话", field="on")
    if on < prospect.talk_date:
        raise DomainError(
            "development.order", f"确定积极分子不能早于谈话日期{prospect.talk_date:%Y-%m-%d}", field="on"
        )
    contacts = _full_members(prospect, contact_ids, count=(1, 2), label="培养联系人", field="contacts")
    prospect.stage, prospect.activist_date = Stage.ACTIVIST, on
    prospect.save(update_fields=["stage", "activist_date", "updated_at"])
    prospect.contacts.set(contacts)
    _log(prospect, actor, "确定为入党积极分子", on, "培养联系人：" + "、".join(c.name for c in contacts))
    return prospect


@transaction.atomic
def make_candidate(*, actor: Any, prospect_id: int, on: dt.date) -> Prospect:
    """Activist → development candidate, after at least a year of education and review."""
    prospect = access_prospect(actor, prospect_id, lock=True)
    _expect(prospect, Stage.ACTIVIST)
    _not_future(on, "on")
    earliest = rules.earliest_candidate_date(prospect.activist_date)  # type: ignore[arg-type]
    if on < earliest:
        raise DomainError(
            "development.activist_year",
            f"入党积极分子须经过一年以上培养考察：{earliest:%Y-%m-%d}起方可确定为发展对象",
            field="on",
        )
    prospect.stage, prospect.candidate_date = Stage.CANDIDATE, on
    prospect.save(update_fields=["stage", "candidate_date", "updated_at"])
    _log(prospect, actor, "确定为发展对象", on)
    return prospect


@transaction.atomic
def prepare_admission(
    *,
    actor: Any,
    prospect_id: int,
    review_date: dt.date,
    training_hours: int,
    introducer_ids: list[int],
    publicity_start: dt.date,
) -> Prospect:
    """Political review, the short training (≥24 class hours), two introducers, and the public notice."""
    prospect = access_prospect(actor, prospect_id, lock=True)
    _expect(prospect, Stage.CANDIDATE)
    _not_future(review_date, "review_date")
    _not_future(publicity_start, "publicity_start")
    if review_date < prospect.candidate_date:  # type: ignore[operator]
        raise DomainError("development.order", "政治审查不能早于确定发展对象", field="review_date")
    needed = rules.setting("training_hours")
    if training_hours < needed:
        raise DomainError(
            "development.training",
            f"发展对象须经过不少于{needed}学时的集中培训（现为{training_hours}学时）",
            field="training_hours",
        )
    introducers = _full_members(
        prospect, introducer_ids, count=(2, 2), label="入党介绍人", field="introducers"
    )
    if publicity_start < review_date:
        raise DomainError("development.order", "公示应在政治审查之后", field="publicity_start")
    prospect.political_review_date, prospect.training_hours = review_date, training_hours
    prospect.publicity_start, prospect.publicity_end = (
        publicity_start,
        rules.publicity_end_date(publicity_start),
    )
    prospect.save(
        update_fields=[
            "political_review_date",
            "training_hours",
            "publicity_start",
            "publicity_end",
            "updated_at",
        ]
    )
    prospect.introducers.set(introducers)
    _log(
        prospect,
        actor,
        "政审、培训、确定介绍人并公示",
        publicity_start,
        f"公示至{prospect.publicity_end:%Y-%m-%d}；介绍人：" + "、".join(i.name for i in introducers),
    )
    return prospect


@transaction.atomic
def branch_meeting_vote(
    *, actor: Any, prospect_id: int, on: dt.date, eligible: int, present: int, yes: int
) -> Prospect:
    """The branch meeting discusses and votes on admission, after the public notice has ended."""
    prospect = access_prospect(actor, prospect_id, lock=True)
    _expect(prospect, Stage.CANDIDATE)
    _not_future(on, "on")
    if _pending_approval(prospect) is not None:
        raise DomainError(
            "development.approval_pending", "已报上级党委审批，请等待审批结果", field="on", status=409
        )
    if prospect.publicity_end is None:
        raise DomainError("development.publicity_missing", "须先完成政治审查、培训和公示", field="on")
    if on <= prospect.publicity_end:
        possible = prospect.publicity_end + dt.timedelta(days=1)
        raise DomainError(
            "development.publicity_running",
            f"公示期未满（至{prospect.publicity_end:%Y-%m-%d}）：{possible:%Y-%m-%d}起方可召开支部大会",
            field="on",
        )
    try:
        passed = rules.admission_vote_passes(eligible, present, yes)
    except ValueError:
        raise DomainError(
            "development.vote_counts", "票数不正确：应满足 赞成票 ≤ 实到人数 ≤ 应到人数", field="vote"
        ) from None
    if present * 2 <= eligible:
        raise DomainError(
            "development.quorum",
            f"实到有表决权的党员须超过应到人数的半数（应到{eligible}人，至少{eligible // 2 + 1}人）",
            field="vote",
        )
    if not passed:
        raise DomainError(
            "development.vote_failed",
            f"赞成票须超过应到会有表决权正式党员的半数（至少{eligible // 2 + 1}票），本次未通过",
            field="vote",
        )
    prospect.meeting_date, prospect.vote_eligible, prospect.vote_present, prospect.vote_yes = (
        on,
        eligible,
        present,
        yes,
    )
    prospect.save(update_fields=["meeting_date", "vote_eligible", "vote_present", "vote_yes", "updated_at"])
    _log(prospect, actor, "支部大会讨论通过", on, f"应到{eligible}人，实到{present}人，赞成{yes}票")
    committee = approving_committee(prospect.org_path)
    approval = AdmissionApproval.objects.create(
        prospect=prospect, org=committee, org_path=committee.path, meeting_date=on,
        due_date=rules.approval_deadline(on), created_by_id=getattr(actor, "pk", None),
    )  # fmt: skip
    start(approval, APPROVAL_FLOW, actor=actor, note=f"报{committee.name}审批")
    return prospect


def approving_committee(branch_path: str) -> Organization:
    """The nearest committee above the branch: it approves admissions (a general branch cannot)."""
    prefixes = [branch_path[:i] for i in range(5, len(branch_path), 5)]
    committee = (
        Organization.objects.filter(path__in=prefixes, org_type__in=COMMITTEE_TYPES)
        .order_by("-depth")
        .first()
    )
    if committee is None:
        raise DomainError("development.no_committee", "未找到有审批权的上级党委", field="org")
    return committee


def _pending_approval(prospect: Prospect, *, lock: bool = False) -> AdmissionApproval | None:
    qs = AdmissionApproval.objects.filter(prospect=prospect, state="pending")
    return (qs.select_for_update() if lock else qs).first()


def approvals_for(actor: Any) -> Any:
    """The approvals the actor's committee(s) decide on: those addressed to an organization they may approve for."""
    scope = get_scope(actor)
    return AdmissionApproval.objects.filter(scope.org_q(Perm.DEVELOPMENT_APPROVE, "org_path"))


@transaction.atomic
def return_admission(*, actor: Any, prospect_id: int, reason: str) -> Prospect:
    """The committee sends the case back to the branch with its reasons; the branch votes again."""
    prospect = access_prospect(actor, prospect_id, Perm.DEVELOPMENT_APPROVE, lock=True)
    approval = _pending_approval(prospect, lock=True)
    if approval is None:
        raise DomainError("development.no_pending", "没有待审批的接收预备党员申请", field="on", status=409)
    today = timezone.localdate()
    move(approval, APPROVAL_FLOW, "return", actor=actor, note=reason, on=today)
    approval.decided_on, approval.note = today, reason.strip()[:300]
    approval.save(update_fields=["state", "due_date", "decided_on", "note"])
    prospect.meeting_date = prospect.vote_eligible = prospect.vote_present = prospect.vote_yes = None
    prospect.save(update_fields=["meeting_date", "vote_eligible", "vote_present", "vote_yes", "updated_at"])
    _log(prospect, actor, "上级党委退回", today, reason.strip())
    return prospect


@transaction.atomic
def approve_admission(*, actor: Any, prospect_id: int, on: dt.date) -> Prospect:
    """The higher committee approves (within three months, six at most): the person becomes a probationary member."""
    prospect = access_prospect(actor, prospect_id, Perm.DEVELOPMENT_APPROVE, lock=True)
    _expect(prospect, Stage.CANDIDATE)
    _not_future(on, "on")
    if prospect.meeting_date is None:
        raise DomainError("development.meeting_missing", "须先经支部大会讨论通过", field="on")
    approval = _pending_approval(prospect, lock=True)
    if approval is None:
        raise DomainError("development.no_pending", "没有待审批的接收预备党员申请", field="on", status=409)
    if on < prospect.meeting_date:
        raise DomainError("development.order", "审批日期不能早于支部大会", field="on")
    limit = rules.approval_deadline(prospect.meeting_date, special=True)
    if on > limit:
        raise DomainError(
            "development.approval_late",
            f"支部大会后超过6个月未审批（期限{limit:%Y-%m-%d}），须重新履行接收程序",
            field="on",
        )
    from apps.members.services import member_create

    member = member_create(
        actor=actor,
        values={
            "name": prospect.name, "citizen_id": crypto.decrypt(prospect.citizen_id_encrypted), "org": prospect.org, "party_group": None,
            "phone": prospect.phone, "work_unit": prospect.work_unit, "application_date": prospect.application_date,
            "activist_date": prospect.activist_date, "candidate_date": prospect.candidate_date, "admission_date": prospect.meeting_date,
            "full_membership_date": None, "category": "employed",
        },
        reason="上级党委审批接收为预备党员",
    )  # fmt: skip
    prospect.stage, prospect.approval_date, prospect.member = Stage.PROBATIONARY, on, member
    prospect.save(update_fields=["stage", "approval_date", "member", "updated_at"])
    late = on > rules.approval_deadline(prospect.meeting_date)
    move(approval, APPROVAL_FLOW, "approve", actor=actor, on=on, note="超过3个月，特殊情况" if late else "")
    approval.decided_on = on
    approval.save(update_fields=["state", "due_date", "decided_on"])
    _log(
        prospect,
        actor,
        "上级党委审批",
        on,
        "预备期自支部大会通过之日起一年" + ("（超过3个月，特殊情况）" if late else ""),
    )
    return prospect


@transaction.atomic
def extend_probation(*, actor: Any, prospect_id: int, months: int, reason: str) -> Prospect:
    prospect = access_prospect(actor, prospect_id, lock=True)
    _expect(prospect, Stage.PROBATIONARY)
    if prospect.extension_months:
        raise ConflictError("development.extended", "预备期只能延长一次", field="months")
    try:
        end = rules.extended_probation_end(prospect.meeting_date, months)  # type: ignore[arg-type]
    except ValueError:
        raise DomainError("development.extension_range", "延长预备期为6至12个月", field="months") from None
    if not reason.strip():
        raise DomainError("development.reason_required", "请填写延长原因", field="reason")
    prospect.extension_months = months
    prospect.save(update_fields=["extension_months", "updated_at"])
    _log(
        prospect,
        actor,
        "延长预备期",
        timezone.localdate(),
        f"延长{months}个月，至{end:%Y-%m-%d}：{reason.strip()}",
    )
    return prospect


def probation_end(prospect: Prospect) -> dt.date | None:
    if prospect.meeting_date is None:
        return None
    if prospect.extension_months:
        return rules.extended_probation_end(prospect.meeting_date, prospect.extension_months)
    return rules.probation_end_date(prospect.meeting_date)


@transaction.atomic
def make_full(*, actor: Any, prospect_id: int, on: dt.date) -> Prospect:
    """Probationary → full member when the (possibly extended) probation has ended."""
    prospect = access_prospect(actor, prospect_id, lock=True)
    _expect(prospect, Stage.PROBATIONARY)
    _not_future(on, "on")
    end = probation_end(prospect)
    if end is None or on < end:
        when = f"{end:%Y-%m-%d}起" if end else "支部大会通过一年后"
        raise DomainError("development.probation", f"预备期未满：{when}方可转为正式党员", field="on")
    from apps.members.services import member_make_full

    if prospect.member_id:
        member_make_full(
            actor=actor, member_id=prospect.member_id, on=on, reason="预备期满，支部大会讨论通过转正"
        )
    prospect.stage, prospect.full_date = Stage.FULL, on
    prospect.save(update_fields=["stage", "full_date", "updated_at"])
    _log(prospect, actor, "转为正式党员", on)
    return prospect


@transaction.atomic
def stop(*, actor: Any, prospect_id: int, reason: str) -> Prospect:
    prospect = access_prospect(actor, prospect_id, lock=True)
    _expect(prospect, Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE)
    if not reason.strip():
        raise DomainError("development.reason_required", "请填写终止原因", field="reason")
    prospect.stage, prospect.stopped_reason = Stage.STOPPED, reason.strip()[:200]
    prospect.save(update_fields=["stage", "stopped_reason", "updated_at"])
    _log(prospect, actor, "终止培养", timezone.localdate(), prospect.stopped_reason)
    return prospect
