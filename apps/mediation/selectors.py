"""Who sees which institutions and cases, the ledger's filters and the periodic bulletin.

An institution's mediators see its cases; a supervising body (矛调中心, 司法所) sees the cases of every
institution under it, however deep; the zone's administrators (Perm.MEDIATION_SUPERVISE) see all.
A resident sees their own applications: logged in, or by the receipt code on the public pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.core.scoping import Perm, get_scope
from apps.mediation.flow import MEDIATED_STATES, OPEN_STATES
from apps.mediation.models import Case, Institution, Mediator


def _sees_everything(user: Any) -> bool:
    scope = get_scope(user)
    return scope.is_superuser or bool(scope.paths(Perm.MEDIATION_SUPERVISE))


def memberships(user: Any) -> list[Mediator]:
    if user is None or not user.is_authenticated:
        return []
    cache = getattr(user, "_xf_mediator_roles", None)
    if cache is None:
        cache = list(
            Mediator.objects.filter(user=user, is_active=True, institution__is_active=True).select_related(
                "institution"
            )
        )
        user._xf_mediator_roles = cache
    return cache


def _children(user: Any = None) -> dict[int, list[int]]:
    """Institution id → the ids it directly supervises (the table is small: one query, kept for the
    request on the user object)."""
    cached = getattr(user, "_xf_institution_children", None) if user is not None else None
    if cached is not None:
        return cached
    children: dict[int, list[int]] = {}
    for pk, parent in Institution.objects.order_by().values_list("pk", "supervisor_id"):
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    if user is not None and getattr(user, "is_authenticated", False):
        user._xf_institution_children = children
    return children


def descendants(roots: set[int], user: Any = None) -> set[int]:
    """`roots` and every institution under them along the supervisor chain."""
    children = _children(user)
    seen, todo = set(roots), list(roots)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def visible_institution_ids(user: Any) -> set[int] | None:
    """None means every institution."""
    if _sees_everything(user):
        return None
    return descendants({m.institution_id for m in memberships(user)}, user)


def institutions_for(user: Any) -> QuerySet[Institution]:
    ids = visible_institution_ids(user)
    qs = Institution.objects.all()
    return qs if ids is None else qs.filter(pk__in=ids)


def may_view_mediation(user: Any) -> bool:
    return user is not None and user.is_authenticated and (_sees_everything(user) or bool(memberships(user)))


def may_supervise(user: Any, institution: Institution | None) -> bool:
    """Accept, reject and assign: the institution's admins, its supervisors' mediators, the zone."""
    if institution is None:
        return False
    if _sees_everything(user):
        return True
    for m in memberships(user):
        if m.institution_id == institution.pk and m.is_admin:
            return True
        if m.institution_id != institution.pk and institution.pk in descendants({m.institution_id}, user):
            return True
    return False


def may_mediate(user: Any, case: Case) -> bool:
    """Record sessions and close: the assigned mediator, or whoever may supervise the institution."""
    if case.mediator_id and any(m.pk == case.mediator_id for m in memberships(user)):
        return True
    return may_supervise(user, case.institution)


def cases_for(user: Any) -> QuerySet[Case]:
    if user is None or not user.is_authenticated:
        return Case.objects.none()
    ids = visible_institution_ids(user)
    if ids is None:
        return Case.objects.all()
    return Case.objects.filter(Q(institution_id__in=ids) | Q(applicant_user=user))


def access_case(user: Any, case_id: int) -> Case:
    case = cases_for(user).select_related("institution", "mediator").filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def case_by_receipt(receipt: str) -> Case | None:
    if not receipt:
        return None
    return Case.objects.select_related("institution", "mediator").filter(receipt=receipt).first()


def applications_of(user: Any) -> list[Case]:
    """A logged-in resident's own applications (the receipt code is not needed for these)."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        Case.objects.filter(applicant_user=user)
        .select_related("institution")
        .order_by("-received_on", "-id")[:20]
    )


def access_institution(user: Any, institution_id: int) -> Institution:
    institution = institutions_for(user).filter(pk=institution_id).first()
    if institution is None:
        raise Http404
    return institution


@dataclass
class LedgerFilters:
    state: str = ""
    institution: int | None = None
    dispute_type: str = ""
    source: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    q: str = ""
    overdue: bool = False
    accepted: bool = False
    sort: str = "-received_on"


SORTS = {
    "received_on": ("received_on", "id"),
    "-received_on": ("-received_on", "-id"),
    "due_date": ("due_date", "id"),
    "institution": ("institution__name", "-received_on"),
}


def ledger(user: Any, f: LedgerFilters, today: dt.date | None = None) -> QuerySet[Case]:
    today = today or timezone.localdate()
    qs = cases_for(user).select_related("institution", "mediator")
    if f.state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif f.state:
        qs = qs.filter(state=f.state)
    if f.institution:
        qs = qs.filter(institution_id=f.institution)
    if f.dispute_type:
        qs = qs.filter(dispute_type=f.dispute_type)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.start:
        qs = qs.filter(received_on__gte=f.start)
    if f.end:
        qs = qs.filter(received_on__lte=f.end)
    if f.accepted:
        qs = qs.filter(accepted_on__isnull=False)
    if f.overdue:
        qs = qs.filter(state__in=OPEN_STATES, due_date__lt=today)
    text = f.q.strip()
    if text:
        qs = qs.filter(
            Q(receipt__iexact=text.upper())
            | Q(number__icontains=text)
            | Q(applicant_name__icontains=text)
            | Q(parties__name__icontains=text)
        ).distinct()
    return qs.order_by(*SORTS.get(f.sort, SORTS["-received_on"]))


def _rate(part: int, whole: int) -> float:
    """A fraction rounded half up to 4 places (0 when there is nothing to divide by)."""
    if not whole:
        return 0.0
    return float((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def _late() -> Q:
    """A case whose institution did not accept or reject it by its response deadline."""
    today = timezone.localdate()
    return Q(responded_on__isnull=True, respond_by__lt=today) | Q(responded_on__gt=F("respond_by"))


def _counts() -> dict[str, Any]:
    return {
        "received": Count("pk"),
        "accepted": Count("pk", filter=Q(accepted_on__isnull=False)),
        "rejected": Count("pk", filter=Q(state="rejected")),
        "mediated": Count("pk", filter=Q(accepted_on__isnull=False, state__in=MEDIATED_STATES)),
        "successful": Count("pk", filter=Q(state="success")),
        "judicially_confirmed": Count("pk", filter=Q(judicial__state="confirmed")),
        "late": Count("pk", filter=_late()),
        "open": Count("pk", filter=Q(state__in=OPEN_STATES)),
        "avg_response": Avg("response_days"),
    }


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    avg = row.get("avg_response")
    return {
        "received": row["received"],
        "accepted": row["accepted"],
        "rejected": row["rejected"],
        "mediated": row["mediated"],
        "successful": row["successful"],
        "judicially_confirmed": row["judicially_confirmed"],
        "mediation_rate": _rate(row["mediated"], row["accepted"]),
        "success_rate": _rate(row["successful"], row["mediated"]),
        "average_response_days": round(float(avg), 1) if avg is not None else None,
        "late": row["late"],
        "open": row["open"],
    }


def bulletin(start: dt.date, end: dt.date, institution: Institution | int | None = None) -> dict[str, Any]:
    """The bulletin's figures for cases received from `start` to `end` (inclusive).

    accepted = cases accepted among those received; mediated = accepted cases whose mediation ended
    (success or failure); mediation rate = mediated / accepted; success rate = successful / mediated
    (fractions rounded to 4 places); overdue_institutions = ids of institutions with a case of the
    period they did not accept or reject by its response deadline.
    """
    qs = Case.objects.filter(received_on__gte=start, received_on__lte=end)
    if institution is not None:
        qs = qs.filter(institution_id=getattr(institution, "pk", institution))
    return _summarise(qs)


def _summarise(qs: QuerySet[Case]) -> dict[str, Any]:
    figures = _figures(qs.aggregate(**_counts()))
    figures["overdue_institutions"] = sorted(
        set(qs.filter(_late()).order_by().values_list("institution_id", flat=True).distinct())
    )
    return figures


def bulletin_by_institution(
    start: dt.date, end: dt.date, institutions: QuerySet[Institution]
) -> list[tuple[Institution, dict[str, Any]]]:
    """One row of figures per institution (every institution listed, with or without cases)."""
    rows = {
        r["institution_id"]: r
        for r in Case.objects.filter(
            received_on__gte=start, received_on__lte=end, institution__in=institutions
        )
        .order_by()
        .values("institution_id")
        .annotate(**_counts())
    }
    empty = dict.fromkeys(_counts(), 0) | {"avg_response": None}
    return [(inst, _figures(rows.get(inst.pk, empty))) for inst in institutions.order_by("kind", "name")]


def scoped_bulletin(
    user: Any, start: dt.date, end: dt.date, institution: Institution | None = None
) -> dict[str, Any]:
    """The bulletin over what the user may see: one institution, or all of theirs together."""
    if institution is not None:
        return bulletin(start, end, institution)
    ids = visible_institution_ids(user)
    if ids is None:
        return bulletin(start, end)
    return _summarise(
        Case.objects.filter(received_on__gte=start, received_on__lte=end, institution_id__in=ids)
    )


def case_counts(user: Any, today: dt.date | None = None) -> dict[str, int]:
    """The ledger's tab counts."""
    today = today or timezone.localdate()
    return cases_for(user).aggregate(
        received=Count("pk", filter=Q(state="received")),
        accepted=Count("pk", filter=Q(state="accepted")),
        mediating=Count("pk", filter=Q(state="mediating")),
        overdue=Count("pk", filter=Q(state__in=OPEN_STATES, due_date__lt=today)),
    )


PUBLIC_STEPS = {"submit": "提交申请", "accept": "调解机构受理", "reject": "不予受理", "assign": "安排调解员", "session": "进行调解",
                "succeed": "调解成功", "fail": "调解未达成协议", "withdraw": "撤回申请"}  # fmt: skip


def public_steps(case: Case) -> list[dict[str, Any]]:
    """The case's history as a resident sees it: what happened and when, without the notes or who
    recorded each step (the tracking page names the institution and the assigned mediator, whom the
    applicant meets in the sessions and who signs the agreement)."""
    from apps.core.workflow import events_of

    return [{"at": e.at, "label": PUBLIC_STEPS.get(e.action, e.action)} for e in events_of(case)]
