"""Reads of the liaison grid (片组户), always bounded by the acting user's scope.

Who sees what:
- a zone: superusers; users whose role grants carry `Perm.GRID_VIEW` over the zone's organization
  (zone and committee administrators, grid leaders); and the zone's own leaders (片长);
- a household: the same, through its zone; and the party member linked to the user sees the
  households they are liaison of ("my households").
Changes need `Perm.GRID_CHANGE` over the zone's organization, or being one of the zone's leaders. A
liaison may log visits for their own households.

The coverage figures (`grid_coverage`) read the household table only: one conditional aggregate and
one grouped count, on the covering index `grid_household_coverage`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.core.forms import parse_id
from apps.core.scoping import Perm, get_scope
from apps.grid.models import Group, Household, Resident, ServiceTeam, VulnerableTag, Zone
from apps.members.choices import INACTIVE_CATEGORIES
from apps.members.models import Member


def visit_window_days() -> int:
    return int(getattr(settings, "XF_GRID_VISIT_WINDOW_DAYS", 30))


def liaison_limit() -> int:
    """How many households one liaison should keep (每名党员联系10户左右)."""
    return int(getattr(settings, "XF_GRID_LIAISON_LIMIT", 10))


# --- scope ----------------------------------------------------------------------------------------


def led_zone_ids(user: Any) -> frozenset[int]:
    """The zones the user leads (片长), resolved once per request and cached on the user."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_xf_grid_led", None)
    if cached is None:
        cached = frozenset(
            Zone.leaders.through.objects.filter(user_id=user.pk).values_list("zone_id", flat=True)
        )
        user._xf_grid_led = cached
    return cached


def _zone_condition(user: Any, perm: str, field: str = "") -> Q:
    scope = get_scope(user)
    if scope.is_superuser:
        return Q()
    prefix = f"{field}__" if field else ""
    condition = scope.org_q(perm, f"{prefix}org_path") if scope.paths(perm) else Q(pk__in=[])
    led = led_zone_ids(user)
    if led:
        condition |= Q(**{f"{prefix}pk__in" if field else "pk__in": sorted(led)})
    return condition


def zones_for(user: Any, perm: str = Perm.GRID_VIEW) -> QuerySet[Zone]:
    return Zone.objects.filter(_zone_condition(user, perm))


def households_for(user: Any, perm: str = Perm.GRID_VIEW) -> QuerySet[Household]:
    """Households in the user's zones; for `GRID_VIEW` also those the user's member record is liaison of."""
    scope = get_scope(user)
    if scope.is_superuser:
        return Household.objects.all()
    condition = scope.org_q(perm, "org_path") if scope.paths(perm) else Q(pk__in=[])
    led = led_zone_ids(user)
    if led:
        condition |= Q(zone_id__in=sorted(led))
    if perm == Perm.GRID_VIEW and scope.member_id is not None:
        condition |= Q(liaison_id=scope.member_id)
    return Household.objects.filter(condition)


def may_view_grid(user: Any) -> bool:
    """The menu entry: grid viewers, zone leaders, and party members who are liaison of a household."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_xf_grid_may_view", None)
    if cached is not None:
        return bool(cached)
    scope = get_scope(user)
    allowed = (
        scope.is_superuser
        or bool(scope.paths(Perm.GRID_VIEW))
        or bool(led_zone_ids(user))
        or (scope.member_id is not None and is_liaison(user))
    )
    user._xf_grid_may_view = allowed
    return allowed


def may_oversee(user: Any) -> bool:
    """Sees whole zones (not only their own households)."""
    scope = get_scope(user)
    return scope.is_superuser or bool(scope.paths(Perm.GRID_VIEW)) or bool(led_zone_ids(user))


def may_change_any(user: Any) -> bool:
    scope = get_scope(user)
    return scope.is_superuser or bool(scope.paths(Perm.GRID_CHANGE)) or bool(led_zone_ids(user))


def is_liaison(user: Any) -> bool:
    member_id = get_scope(user).member_id
    return member_id is not None and Household.objects.filter(liaison_id=member_id, is_active=True).exists()


def may_view_org(user: Any, org: Any) -> bool:
    """Whether the organization's own page (/orgs/<id>/) opens for the user: `Perm.ORGS_VIEW` over it,
    the rule of `apps.orgs.selectors.access_org`."""
    return get_scope(user).covers_path(Perm.ORGS_VIEW, org.path)


def can_change_zone(user: Any, zone: Zone) -> bool:
    scope = get_scope(user)
    return scope.covers_path(Perm.GRID_CHANGE, zone.org_path) or zone.pk in led_zone_ids(user)


def can_change_household(user: Any, household: Household) -> bool:
    scope = get_scope(user)
    return scope.covers_path(Perm.GRID_CHANGE, household.org_path) or household.zone_id in led_zone_ids(user)


def can_visit(user: Any, household: Household) -> bool:
    """The liaison of the household, or whoever may change it, may log a visit."""
    member_id = get_scope(user).member_id
    return (member_id is not None and household.liaison_id == member_id) or can_change_household(
        user, household
    )


def access_zone(user: Any, zone_id: Any, perm: str = Perm.GRID_VIEW) -> Zone:
    """The zone, if the user may see (or change) it; 404 alike for missing and out of scope."""
    try:
        pk = int(zone_id)
    except (TypeError, ValueError):
        raise Http404("片区不存在") from None
    zone = zones_for(user, perm).select_related("org").filter(pk=pk).first()
    if zone is None:
        raise Http404("片区不存在")
    return zone


def access_household(
    user: Any, household_id: Any, perm: str = Perm.GRID_VIEW, *, lock: bool = False
) -> Household:
    try:
        pk = int(household_id)
    except (TypeError, ValueError):
        raise Http404("住户不存在") from None
    qs = households_for(user, perm).filter(pk=pk)
    household = (
        Household.objects.select_for_update().filter(pk__in=qs.values("pk")).first()
        if lock
        else qs.select_related("zone", "group", "liaison").first()
    )
    if household is None:
        raise Http404("住户不存在")
    return household


def access_visitable(user: Any, household_id: Any, *, lock: bool = False) -> Household:
    """A household the user may log a visit for (its liaison, or who may change it)."""
    household = access_household(user, household_id, lock=lock)
    if not can_visit(user, household):
        raise Http404("住户不存在")
    return household


def access_group(user: Any, group_id: Any, perm: str = Perm.GRID_VIEW) -> Group:
    try:
        pk = int(group_id)
    except (TypeError, ValueError):
        raise Http404("服务组不存在") from None
    group = (
        Group.objects.filter(_zone_condition(user, perm, "zone"))
        .select_related("zone", "leader", "team")
        .filter(pk=pk)
        .first()
    )
    if group is None:
        raise Http404("服务组不存在")
    return group


def access_team(user: Any, team_id: Any, perm: str = Perm.GRID_VIEW) -> ServiceTeam:
    try:
        pk = int(team_id)
    except (TypeError, ValueError):
        raise Http404("服务团队不存在") from None
    team = (
        ServiceTeam.objects.filter(_zone_condition(user, perm, "zone"))
        .select_related("zone", "leader")
        .filter(pk=pk)
        .first()
    )
    if team is None:
        raise Http404("服务团队不存在")
    return team


def access_resident(user: Any, resident_id: Any, perm: str = Perm.GRID_VIEW) -> Resident:
    try:
        pk = int(resident_id)
    except (TypeError, ValueError):
        raise Http404("居民不存在") from None
    resident = (
        Resident.objects.filter(household__in=households_for(user, perm).values("pk"))
        .select_related("household")
        .filter(pk=pk)
        .first()
    )
    if resident is None:
        raise Http404("居民不存在")
    return resident


def liaison_candidates(user: Any, zone: Zone | None = None) -> QuerySet[Member]:
    """Party members the user may link to households: those in the user's GRID_CHANGE subtrees, and for
    a zone leader those of the zone's organization; members who left or died are never offered."""
    scope = get_scope(user)
    qs = Member.objects.exclude(category__in=INACTIVE_CATEGORIES)
    if scope.is_superuser:
        return qs
    condition = scope.org_q(Perm.GRID_CHANGE, "org_path") if scope.paths(Perm.GRID_CHANGE) else Q(pk__in=[])
    led = led_zone_ids(user)
    if led:
        paths = Zone.objects.filter(pk__in=sorted(led)).values_list("org_path", flat=True)
        for path in set(paths):
            condition |= Q(org_path__startswith=path)
    if zone is not None and zone.pk not in led and not scope.covers_path(Perm.GRID_CHANGE, zone.org_path):
        return qs.none()
    return qs.filter(condition)


# --- coverage -------------------------------------------------------------------------------------


def _zone_id(zone: Zone | int | str | None) -> int | None:
    if zone is None or zone == "":
        return None
    if isinstance(zone, Zone):
        return zone.pk
    return int(zone)


def grid_coverage(
    zone: Zone | int | str | None = None,
    *,
    window_days: int | None = None,
    today: dt.date | None = None,
    households: QuerySet[Household] | None = None,
) -> dict[str, int]:
    """The grid's coverage: `households` (active households), `without_liaison`, `liaisons_over_limit`
    (liaison members keeping more than XF_GRID_LIAISON_LIMIT of these households) and `not_visited`
    (active households never visited, or last visited before today − window_days).

    `zone` is a Zone, its id, or None for every zone; `households` narrows the rows further (a
    user's scope). Two queries: one conditional aggregate and one grouped count.
    """
    window = visit_window_days() if window_days is None else int(window_days)
    cutoff = (today or timezone.localdate()) - dt.timedelta(days=window)
    qs = (households if households is not None else Household.objects.all()).filter(is_active=True)
    zone_id = _zone_id(zone)
    if zone_id is not None:
        qs = qs.filter(zone_id=zone_id)
    figures = qs.aggregate(
        households=Count("zone_id"),
        without_liaison=Count("zone_id", filter=Q(liaison_id__isnull=True)),
        not_visited=Count("zone_id", filter=Q(last_visited_on__isnull=True) | Q(last_visited_on__lt=cutoff)),
    )
    over = (
        qs.filter(liaison_id__isnull=False)
        .order_by()
        .values("liaison_id")
        .annotate(n=Count("zone_id"))
        .filter(n__gt=liaison_limit())
        .count()
    )
    return {
        "households": int(figures["households"] or 0),
        "without_liaison": int(figures["without_liaison"] or 0),
        "liaisons_over_limit": int(over),
        "not_visited": int(figures["not_visited"] or 0),
    }


def grid_coverage_for(
    user: Any,
    zone: Zone | int | str | None = None,
    *,
    window_days: int | None = None,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Coverage over the zones the user sees (or one of them, checked: 404 outside the scope)."""
    if zone is not None and zone != "":
        z = access_zone(user, zone.pk if isinstance(zone, Zone) else zone)
        return grid_coverage(z, window_days=window_days, today=today)
    scope = get_scope(user)
    if scope.is_superuser:
        return grid_coverage(None, window_days=window_days, today=today)
    return grid_coverage(
        None,
        window_days=window_days,
        today=today,
        households=Household.objects.filter(zone__in=zones_for(user).values("pk")),
    )


def coverage_by_zone(
    zones: QuerySet[Zone], *, window_days: int | None = None, today: dt.date | None = None
) -> dict[int, dict[str, int]]:
    """The coverage figures of many zones at once (two grouped queries), by zone id."""
    window = visit_window_days() if window_days is None else int(window_days)
    cutoff = (today or timezone.localdate()) - dt.timedelta(days=window)
    qs = Household.objects.filter(is_active=True, zone__in=zones.values("pk"))
    result: dict[int, dict[str, int]] = {}
    for row in (
        qs.order_by()
        .values("zone_id")
        .annotate(
            households=Count("zone_id"),
            without_liaison=Count("zone_id", filter=Q(liaison_id__isnull=True)),
            not_visited=Count(
                "zone_id", filter=Q(last_visited_on__isnull=True) | Q(last_visited_on__lt=cutoff)
            ),
        )
    ):
        result[row["zone_id"]] = {
            "households": row["households"],
            "without_liaison": row["without_liaison"],
            "liaisons_over_limit": 0,
            "not_visited": row["not_visited"],
        }
    # One row per (zone, liaison) over the limit: few, counted here.
    for zone_id in (
        qs.filter(liaison_id__isnull=False)
        .order_by()
        .values("zone_id", "liaison_id")
        .annotate(n=Count("zone_id"))
        .filter(n__gt=liaison_limit())
        .values_list("zone_id", flat=True)
    ):
        result.setdefault(
            zone_id, {"households": 0, "without_liaison": 0, "liaisons_over_limit": 0, "not_visited": 0}
        )["liaisons_over_limit"] += 1
    return result


# --- lists ----------------------------------------------------------------------------------------

# Never-visited households count as the longest unvisited on either database (PostgreSQL would put NULLs
# last in ascending order, SQLite first).
HOUSEHOLD_SORTS: dict[str, tuple[str, list[Any]]] = {
    "code": ("户编号", ["code", "id"]),
    "address": ("住址", ["address", "id"]),
    "head_name": ("户主", ["head_name", "id"]),
    "last_visited_on": ("最近走访（久→近）", [F("last_visited_on").asc(nulls_first=True), "id"]),
    "-last_visited_on": ("最近走访（近→久）", [F("last_visited_on").desc(nulls_last=True), "-id"]),
}


@dataclass
class HouseholdFilters:
    q: str = ""
    zone: int | None = None
    group: int | None = None
    tag: str = ""
    liaison: int | None = None
    no_liaison: bool = False
    not_visited: bool = False
    inactive: bool = False
    sort: str = "code"

    @classmethod
    def from_mapping(cls, data: Any) -> HouseholdFilters:
        def as_int(key: str) -> int | None:
            raw = str(data.get(key) or "").strip()
            return parse_id(raw)

        sort = str(data.get("sort") or "code")
        tag = str(data.get("tag") or "")
        return cls(
            q=str(data.get("q") or "").strip()[:50],
            zone=as_int("zone"),
            group=as_int("group"),
            tag=tag if tag in VulnerableTag.values else "",
            liaison=as_int("liaison"),
            no_liaison=str(data.get("no_liaison") or "") in {"1", "true", "on"},
            not_visited=str(data.get("not_visited") or "") in {"1", "true", "on"},
            inactive=str(data.get("inactive") or "") in {"1", "true", "on"},
            sort=sort if sort in HOUSEHOLD_SORTS else "code",
        )


def filter_households(
    qs: QuerySet[Household],
    f: HouseholdFilters,
    *,
    today: dt.date | None = None,
    window_days: int | None = None,
) -> QuerySet[Household]:
    qs = qs.filter(is_active=not f.inactive)
    if f.zone:
        qs = qs.filter(zone_id=f.zone)
    if f.group:
        qs = qs.filter(group_id=f.group)
    if f.liaison:
        qs = qs.filter(liaison_id=f.liaison)
    if f.no_liaison:
        qs = qs.filter(liaison__isnull=True)
    if f.not_visited:
        window = visit_window_days() if window_days is None else window_days
        cutoff = (today or timezone.localdate()) - dt.timedelta(days=window)
        qs = qs.filter(Q(last_visited_on__isnull=True) | Q(last_visited_on__lt=cutoff))
    if f.tag:
        qs = qs.filter(Exists(Resident.objects.filter(household=OuterRef("pk"), tags__contains=f",{f.tag},")))
    if f.q:
        qs = qs.filter(
            Q(address__contains=f.q) | Q(head_name__startswith=f.q) | Q(code__startswith=f.q.upper())
            | Q(code__startswith=f.q)
        )  # fmt: skip
    return qs.order_by(*HOUSEHOLD_SORTS[f.sort][1])


@dataclass
class LiaisonLoad:
    member: Member
    households: int
    not_visited: int
    last_visit: dt.date | None


def liaisons_over_limit(
    households: QuerySet[Household], *, zone: int | None = None, limit: int | None = None
) -> QuerySet[Any]:
    """The liaisons keeping more than the limit of these active households, most first: rows of
    (liaison_id, n)."""
    qs = households.filter(is_active=True, liaison__isnull=False)
    if zone:
        qs = qs.filter(zone_id=zone)
    return (
        qs.order_by()
        .values("liaison_id")
        .annotate(n=Count("zone_id"), last_visit=Max("last_visited_on"))
        .filter(n__gt=liaison_limit() if limit is None else limit)
        .order_by("-n", "liaison_id")
    )


def members_by_id(ids: list[int]) -> dict[int, Member]:
    return {m.pk: m for m in Member.objects.filter(pk__in=ids).select_related("org")}


def liaison_counts(member_ids: list[int]) -> dict[int, int]:
    """How many active households each of these members keeps (anywhere in the grid)."""
    return dict(
        Household.objects.filter(is_active=True, liaison_id__in=member_ids)
        .order_by()
        .values("liaison_id")
        .annotate(n=Count("zone_id"))
        .values_list("liaison_id", "n")
    )


def my_households(user: Any) -> QuerySet[Household]:
    member_id = get_scope(user).member_id
    if member_id is None:
        return Household.objects.none()
    return Household.objects.filter(liaison_id=member_id, is_active=True)


def leader_candidates(user: Any, zone: Zone | None = None) -> list[Any]:
    """Users who may lead a zone: accounts with a role grant within the user's GRID_CHANGE scope (grid
    leaders, administrators), plus the zone's current leaders."""
    from apps.accounts.models import User

    scope = get_scope(user)
    qs = User.objects.filter(is_active=True, grants__isnull=False)
    if not scope.is_superuser:
        qs = qs.filter(scope.org_q(Perm.GRID_CHANGE, "grants__org__path"))
    users = list(qs.distinct().order_by("username")[:300])
    if zone is not None and zone.pk is not None:
        known = {u.pk for u in users}
        users += [u for u in zone.leaders.all() if u.pk not in known]
    return users
