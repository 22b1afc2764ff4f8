"""Rating, honouring and appraising organizations: always by an organization above them."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.appraisal.flow import REPORT_FLOW
from apps.appraisal.models import Criterion, Grade, Honor, HonorKind, StarRating, WorkReport
from apps.core.errors import ConflictError, DomainError
from apps.core.scoping import Perm, get_scope
from apps.core.workflow import move, start
from apps.orgs.models import Organization
from apps.orgs.selectors import access_org

FIRST_YEAR = 2000


def stars_for(criteria: list[str]) -> int:
    """One star for each standard met; a rated organization has at least one."""
    return max(1, len(set(criteria) & set(Criterion.values)))


def _from_above(actor: Any, org_id: int) -> Organization:
    """The organization, if the actor may judge it: inside a subtree they change, and not its root
    (nobody rates or appraises their own organization)."""
    org = access_org(actor, org_id, Perm.ORGS_CHANGE)
    scope = get_scope(actor)
    if not scope.is_superuser and not any(
        org.path.startswith(p) and org.path != p for p in scope.paths(Perm.ORGS_CHANGE)
    ):
        raise DomainError("appraisal.own_org", "由上级党组织评定，不能评定本组织", field="org")
    return org


def _year(year: Any) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        raise DomainError("appraisal.year", "年度不正确", field="year") from None
    if not FIRST_YEAR <= value <= timezone.localdate().year:
        raise DomainError("appraisal.year", f"年度应在{FIRST_YEAR}年至今年之间", field="year")
    return value


def in_scope(actor: Any, model: type[Any]) -> QuerySet[Any]:
    return model.objects.filter(get_scope(actor).org_q(Perm.ORGS_VIEW, "org_path"))


@transaction.atomic
def rate(*, actor: Any, org_id: int, year: Any, criteria: list[str], note: str) -> StarRating:
    """The year's star rating of an organization (rating again the same year replaces it)."""
    org = _from_above(actor, org_id)
    value = _year(year)
    unknown = set(criteria) - set(Criterion.values)
    if unknown or not criteria:
        raise DomainError("appraisal.criteria", "请选择达到的标准（至少一项）", field="criteria")
    if not note.strip():
        raise DomainError("appraisal.note_required", "请填写评定依据", field="note")
    rating, _ = StarRating.objects.update_or_create(
        org=org, year=value,
        defaults={"org_path": org.path, "criteria": sorted(set(criteria)), "stars": stars_for(criteria),
                  "note": note.strip()[:300], "rated_by_id": getattr(actor, "pk", None)},
    )  # fmt: skip
    latest = StarRating.objects.filter(org=org).order_by("-year").values_list("stars", flat=True).first()
    if org.star_rating != latest:
        # The organization shows its latest rating wherever it appears.
        org.star_rating = latest
        org.save(update_fields=["star_rating"])
    return rating


@transaction.atomic
def honor(*, actor: Any, org_id: int, kind: str, year: Any, note: str) -> Honor:
    org = _from_above(actor, org_id)
    value = _year(year)
    if kind not in HonorKind.values:
        raise DomainError("appraisal.kind", "请选择称号", field="kind")
    if kind == HonorKind.STRONGEST and not org.is_branch:
        raise DomainError("appraisal.not_branch", "“最强党支部”只授予党支部", field="org")
    if not note.strip():
        raise DomainError("appraisal.note_required", "请填写事迹与依据", field="note")
    if Honor.objects.filter(org=org, kind=kind, year=value).exists():
        raise ConflictError(
            "appraisal.honor_exists", f"{org.name}已是{value}年{HonorKind(kind).label}", field="org"
        )
    granted = Honor.objects.create(
        org=org,
        org_path=org.path,
        kind=kind,
        year=value,
        note=note.strip()[:300],
        granted_by_id=getattr(actor, "pk", None),
    )
    flag = "is_demonstration" if kind == HonorKind.DEMO_SITE else "is_strongest_branch"
    if not getattr(org, flag):
        setattr(org, flag, True)
        org.save(update_fields=[flag])
    return granted


@transaction.atomic
def submit_report(*, actor: Any, org_id: int, year: Any, secretary: str, content: str) -> WorkReport:
    """The secretary reports on the year's party-building work of their own organization."""
    org = access_org(actor, org_id, Perm.MEMBERS_CHANGE)
    value = _year(year)
    if not secretary.strip():
        raise DomainError("appraisal.secretary_required", "请填写述职人", field="secretary")
    if len(content.strip()) < 20:
        raise DomainError("appraisal.content_short", "述职内容过短（至少20字）", field="content")
    if WorkReport.objects.filter(org=org, year=value).exists():
        raise ConflictError("appraisal.report_exists", f"{org.name}{value}年的述职已提交", field="year")
    report = WorkReport(
        org=org, org_path=org.path, year=value, secretary=secretary.strip()[:50], content=content.strip()[:20000],
        submitted_by_id=getattr(actor, "pk", None),
    )  # fmt: skip
    from apps.core.calendar import add_working_days

    report.due_date = add_working_days(
        timezone.localdate(), REPORT_FLOW.state("submitted").due_working_days or 0
    )
    report.save()
    start(report, REPORT_FLOW, actor=actor, note=f"{report.secretary}述职")
    return report


@transaction.atomic
def appraise(*, actor: Any, report_id: int, grade: str, comment: str) -> WorkReport:
    scope = get_scope(actor)
    report = (
        WorkReport.objects.select_for_update()
        .filter(scope.org_q(Perm.ORGS_CHANGE, "org_path"), pk=report_id)
        .first()
    )
    if report is None:
        raise Http404("述职不存在")
    _from_above(actor, report.org_id)
    if grade not in Grade.values:
        raise DomainError("appraisal.grade", "请选择评议等次", field="grade")
    if grade in (Grade.FAIR, Grade.POOR) and not comment.strip():
        raise DomainError("appraisal.comment_required", "评为“一般”或“差”须填写评议意见", field="comment")
    move(report, REPORT_FLOW, "appraise", actor=actor, note=f"{Grade(grade).label}：{comment.strip()}")
    report.grade, report.comment = grade, comment.strip()[:500]
    report.appraised_by_id, report.appraised_on = getattr(actor, "pk", None), timezone.localdate()
    report.save()
    return report


def pending_for(actor: Any) -> QuerySet[WorkReport]:
    """Reports waiting for the actor's appraisal: below (not at) the roots of their scope."""
    scope = get_scope(actor)
    condition = Q(pk__in=[])
    for path in scope.paths(Perm.ORGS_CHANGE):
        condition |= Q(org_path__startswith=path) & ~Q(org_path=path)
    if scope.is_superuser:
        condition = Q()
    return WorkReport.objects.filter(condition, state="submitted")
