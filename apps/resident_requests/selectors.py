"""Who sees which requests and work orders, and the figures about them.

- the zone (superuser or Perm.REQUESTS_MANAGE) sees every request and dispatches them;
- department staff see the requests routed to their departments and the work orders with a part for
  them (and the requests those came from);
- Perm.REQUESTS_VIEW over an organization subtree (committee admin, grid leader) sees the requests whose
  org_path lies inside it; a zone's leaders see the requests of their zone;
- a liaison (or anyone logged in) sees the requests they submitted;
- a resident without a login sees only their own, through the receipt code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.core.forms import parse_id
from apps.core.scoping import Perm, get_scope
from apps.resident_requests.flow import WAITING_STATES
from apps.resident_requests.models import Department, ResidentRequest, WorkOrder, WorkOrderPart


def is_manager(user: Any) -> bool:
    """Zone-level request management: dispatching, category rules, departments."""
    scope = get_scope(user)
    return scope.is_superuser or bool(scope.paths(Perm.REQUESTS_MANAGE))


def department_ids(user: Any) -> list[int]:
    """The active departments the user works in, resolved once per request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_xf_request_departments", None)
    if cached is None:
        cached = list(Department.objects.filter(staff=user, is_active=True).values_list("pk", flat=True))
        user._xf_request_departments = cached
    return cached


def _led_zone_ids(user: Any) -> list[int]:
    from apps.grid.models import Zone

    return list(Zone.objects.filter(leaders=user).values_list("pk", flat=True))


def _request_condition(user: Any) -> Q | None:
    """The rows a user may see as a condition; None means every row."""
    scope = get_scope(user)
    if scope.is_anonymous:
        return Q(pk__in=[])
    if is_manager(user):
        return None
    condition = Q(created_by_id=scope.user_id)
    depts = department_ids(user)
    if depts:
        condition |= Q(department_id__in=depts)
        condition |= Q(work_order__parts__department_id__in=depts) | Q(
            work_order__lead_department_id__in=depts
        )
    if scope.paths(Perm.REQUESTS_VIEW):
        condition |= scope.org_q(Perm.REQUESTS_VIEW, "org_path") & ~Q(org_path="")
    zones = _led_zone_ids(user)
    if zones:
        condition |= Q(zone_id__in=zones)
    return condition


def requests_for(user: Any) -> QuerySet[ResidentRequest]:
    condition = _request_condition(user)
    qs = ResidentRequest.objects.all()
    if condition is None:
        return qs
    if department_ids(user):
        # The work-order join may repeat a row: filter by id so lists, counts and exports stay exact.
        return qs.filter(pk__in=ResidentRequest.objects.filter(condition).values("pk"))
    return qs.filter(condition)


def filter_zones(user: Any) -> QuerySet[Any]:
    """The zones the list's 片区 filter offers: every zone to the zone's managers; otherwise the zones
    the user may see in the grid, those inside their request-viewing subtree and those of the requests
    they can see (a department's, a liaison's own)."""
    from apps.grid.models import Zone
    from apps.grid.selectors import zones_for

    zones = Zone.objects.filter(is_active=True).order_by("code")
    if is_manager(user):
        return zones
    scope = get_scope(user)
    if scope.is_anonymous:
        return zones.none()
    condition = Q(pk__in=zones_for(user).values("pk")) | Q(
        pk__in=requests_for(user).filter(zone__isnull=False).values("zone_id")
    )
    if scope.paths(Perm.REQUESTS_VIEW):
        condition |= scope.org_q(Perm.REQUESTS_VIEW, "org_path")
    return zones.filter(condition)


def access_request(user: Any, request_id: int, *, lock: bool = False) -> ResidentRequest:
    """The request if the user may see it; 404 for "missing" and "not yours" alike."""
    qs = requests_for(user).filter(pk=request_id)
    if lock:
        found = (
            ResidentRequest.objects.select_for_update().filter(pk=request_id).first() if qs.exists() else None
        )
    else:
        found = qs.select_related("department", "zone", "household", "created_by").first()
    if found is None:
        raise Http404("诉求不存在")
    return found


def may_view_requests(user: Any) -> bool:
    """Whether the requests menu is shown: any scope that can see or submit requests."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    scope = get_scope(user)
    if scope.is_superuser or scope.paths(Perm.REQUESTS_VIEW) or scope.paths(Perm.REQUESTS_MANAGE):
        return True
    if department_ids(user):
        return True
    from apps.grid.models import Household, Zone

    if Zone.objects.filter(leaders=user).exists():
        return True
    if scope.member_id is not None and Household.objects.filter(liaison_id=scope.member_id).exists():
        return True
    return ResidentRequest.objects.filter(created_by=user).exists()


def may_submit_for(user: Any, household: Any) -> bool:
    """A liaison for their households; grid and request viewers over the household's subtree; the zone's leaders."""
    scope = get_scope(user)
    if scope.is_superuser:
        return True
    if scope.member_id is not None and scope.member_id == household.liaison_id:
        return True
    if scope.covers_path(Perm.GRID_VIEW, household.org_path) or scope.covers_path(
        Perm.REQUESTS_VIEW, household.org_path
    ):
        return True
    return household.zone.leaders.filter(pk=user.pk).exists()


def access_household(user: Any, household_id: int) -> Any:
    from apps.grid.models import Household

    household = Household.objects.select_related("zone").filter(pk=household_id, is_active=True).first()
    if household is None or not may_submit_for(user, household):
        raise Http404("住户不存在")
    return household


def may_act_as_department(user: Any, department_id: int | None) -> bool:
    return department_id is not None and department_id in department_ids(user)


def may_act_on(user: Any, request: ResidentRequest) -> bool:
    """The zone's managers, and the staff of the department the request is routed to."""
    return is_manager(user) or may_act_as_department(user, request.department_id)


def visit_of(household: Any, visit_id: Any) -> Any:
    """The visit-log entry `visit_id` if it was made at `household` (the caller has checked access to
    the household); None otherwise."""
    from apps.grid.models import Visit

    pk = parse_id(str(visit_id or ""))
    if household is None or pk is None:
        return None
    return Visit.objects.filter(pk=pk, household_id=household.pk).first()


def work_orders_for(user: Any) -> QuerySet[WorkOrder]:
    if is_manager(user):
        return WorkOrder.objects.all()
    scope = get_scope(user)
    condition = Q(pk__in=[])
    depts = department_ids(user)
    if depts:
        condition |= Q(lead_department_id__in=depts) | Q(
            pk__in=WorkOrderPart.objects.filter(department_id__in=depts).values("work_order_id")
        )
    if scope.paths(Perm.REQUESTS_VIEW):
        condition |= Q(
            request__in=ResidentRequest.objects.filter(
                scope.org_q(Perm.REQUESTS_VIEW, "org_path") & ~Q(org_path="")
            ).values("pk")
        )
    return WorkOrder.objects.filter(condition)


def access_work_order(user: Any, work_order_id: int, *, lock: bool = False) -> WorkOrder:
    qs = work_orders_for(user).filter(pk=work_order_id)
    if lock:
        found = (
            WorkOrder.objects.select_for_update().filter(pk=work_order_id).first() if qs.exists() else None
        )
    else:
        found = qs.select_related("request", "lead_department", "created_by").first()
    if found is None:
        raise Http404("工作联系单不存在")
    return found


def overdue_q(today: dt.date | None = None) -> Q:
    return Q(state__in=WAITING_STATES, due_date__lt=today or timezone.localdate())


def filter_requests(qs: QuerySet[ResidentRequest], params: Any) -> QuerySet[ResidentRequest]:
    """Search and filters shared by the list, its export and the API."""
    q = str(params.get("q", "")).strip()[:60]
    if q:
        from apps.core.public import normalise_receipt

        code = normalise_receipt(q)
        condition = Q(title__icontains=q) | Q(submitter_name__startswith=q)
        if code:
            condition |= Q(receipt_code=code)
        qs = qs.filter(condition)
    for key, field in (("category", "category"), ("channel", "channel"), ("state", "state")):
        value = str(params.get(key, ""))
        if value:
            qs = qs.filter(**{field: value})
    department = str(params.get("department", ""))
    if department == "none":
        qs = qs.filter(department__isnull=True)
    elif (department_id := parse_id(department)) is not None:
        qs = qs.filter(department_id=department_id)
    zone = parse_id(params.get("zone", ""))
    if zone is not None:
        qs = qs.filter(zone_id=zone)
    return qs


TABS: dict[str, tuple[str, Any]] = {
    "todo": ("待分派", lambda today: Q(state="submitted")),
    "handling": ("办理中", lambda today: Q(state__in=("routed", "handling", "work_order"))),
    "replied": ("已答复", lambda today: Q(state="replied")),
    "closed": ("已办结", lambda today: Q(state__in=("closed", "rejected"))),
    "overdue": ("超期", lambda today: overdue_q(today)),
    "all": ("全部", lambda today: Q()),
}


def tab_counts(qs: QuerySet[ResidentRequest], today: dt.date) -> dict[str, int]:
    """Every tab's count with one aggregate query."""
    return qs.aggregate(**{key: Count("pk", filter=cond(today)) for key, (_label, cond) in TABS.items()})


def request_summary(user: Any, start: dt.date, end: dt.date, *, org_path: str = "") -> dict[str, Any]:
    """Figures of the requests the user sees, received in [start, end]: received, closed, rejected,
    overdue (still open past the deadline today), replied on time, the average rating, by category."""
    from apps.resident_requests.choices import Category

    today = timezone.localdate()
    qs = requests_for(user).filter(received_on__gte=start, received_on__lte=end)
    if org_path:
        qs = qs.filter(org_path__startswith=org_path)
    figures = qs.aggregate(
        received=Count("pk"),
        closed=Count("pk", filter=Q(state="closed")),
        rejected=Count("pk", filter=Q(state="rejected")),
        open=Count("pk", filter=Q(state__in=WAITING_STATES)),
        overdue=Count("pk", filter=overdue_q(today)),
        rated=Count("pk", filter=Q(rating__isnull=False)),
        satisfied=Count("pk", filter=Q(rating__gte=4)),
        average_rating=Avg("rating"),
    )
    by_category = dict(
        qs.order_by().values_list("category").annotate(n=Count("pk")).values_list("category", "n")
    )
    average = figures["average_rating"]
    return {
        "received": figures["received"],
        "closed": figures["closed"],
        "rejected": figures["rejected"],
        "open": figures["open"],
        "overdue": figures["overdue"],
        "rated": figures["rated"],
        "satisfied": figures["satisfied"],
        "average_rating": round(float(average), 2) if average is not None else None,
        "satisfaction_rate": round(figures["satisfied"] / figures["rated"], 4) if figures["rated"] else None,
        "by_category": [
            {"category": value, "label": label, "count": by_category.get(value, 0)}
            for value, label in Category.choices
        ],
    }
