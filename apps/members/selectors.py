"""Reads of members, always through the acting user's scope."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields, replace
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from apps.core import crypto
from apps.core.pagination import Page, SortKey, keyset_page
from apps.core.scoping import Perm, get_scope
from apps.members.choices import AGE_BAND_LIMITS, INACTIVE_CATEGORIES, MemberCategory
from apps.members.models import Member
from apps.orgs.rules import add_years

SORTS: dict[str, tuple[str, SortKey]] = {
    "name": ("姓名拼音", SortKey("name_pinyin")),
    "-admission_date": ("入党日期（近→远）", SortKey("admission_date", descending=True)),
    "admission_date": ("入党日期（远→近）", SortKey("admission_date")),
    "birth_date": ("年龄（大→小）", SortKey("birth_date")),
    "-birth_date": ("年龄（小→大）", SortKey("birth_date", descending=True)),
}
DEFAULT_SORT = "name"
PAGE_SIZES = (20, 50, 100)


def members_for(user: Any, perm: str = Perm.MEMBERS_VIEW) -> QuerySet[Member]:
    return Member.objects.filter(get_scope(user).member_q(perm))


def access_member(user: Any, member_id: int, perm: str = Perm.MEMBERS_VIEW) -> Member:
    """The member, if the user's scope covers them; 404 alike for missing and out of scope."""
    member = members_for(user, perm).select_related("org", "party_group").filter(pk=member_id).first()
    if member is None:
        raise Http404("党员不存在")
    return member


@dataclass
class MemberFilters:
    q: str = ""
    org: int | None = None
    status: str = ""
    category: str = ""
    gender: str = ""
    age_band: str = ""
    education: str = ""
    join_year: int | None = None
    include_inactive: bool = False
    sort: str = DEFAULT_SORT

    @classmethod
    def from_mapping(cls, data: Any) -> MemberFilters:
        """Reads filters from a query dict; unknown or malformed values are ignored, never an error page."""

        def as_int(key: str) -> int | None:
            try:
                value = int(str(data.get(key) or "").strip())
            except ValueError:
                return None
            return value if value > 0 else None

        sort = str(data.get("sort") or DEFAULT_SORT)
        return cls(
            q=str(data.get("q") or "").strip()[:50],
            org=as_int("org"),
            status=str(data.get("status") or ""),
            category=str(data.get("category") or ""),
            gender=str(data.get("gender") or ""),
            age_band=str(data.get("age_band") or ""),
            education=str(data.get("education") or ""),
            join_year=as_int("join_year"),
            include_inactive=str(data.get("include_inactive") or "") in {"1", "true", "on"},
            sort=sort if sort in SORTS else DEFAULT_SORT,
        )

    def as_query(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value in (None, "", False) or (f.name == "sort" and value == DEFAULT_SORT):
                continue
            out[f.name] = "1" if value is True else str(value)
        return out


ID_RE = re.compile(r"^\d{17}[\dXx]$")
TAIL_RE = re.compile(r"^\d{3}[\dXx]$")


def search_branches(text: str) -> list[Q]:
    """What a search box entry means, as alternatives: a full ID, an ID tail, a phone, pinyin
    (initials or full), or a name prefix."""
    text = text.strip()
    if ID_RE.match(text):
        return [Q(citizen_id_hash=crypto.keyed_hash(text.upper()))]
    if TAIL_RE.match(text):
        return [Q(citizen_id_last4=text.upper())]
    if text.isdigit() and len(text) >= 5:
        return [Q(phone__startswith=text)]
    if text.isascii() and text.replace(" ", "").isalpha():
        letters = text.replace(" ", "").lower()
        return [Q(name_initials__startswith=letters), Q(name_pinyin__startswith=letters)]
    return [Q(name__startswith=text)]


def search_condition(text: str) -> Q:
    condition = Q()
    for branch in search_branches(text):
        condition |= branch
    return condition


def birth_range_for_band(band: str, today: dt.date) -> Q:
    low, high = AGE_BAND_LIMITS[band]
    condition = Q()
    # Age ≥ low ⇔ born on or before today minus `low` years; age ≤ high ⇔ born after today minus high+1 years.
    if low is not None:
        condition &= Q(birth_date__lte=add_years(today, -low))
    if high is not None:
        condition &= Q(birth_date__gt=add_years(today, -(high + 1)))
    return condition


def filter_members(user: Any, filters: MemberFilters, perm: str = Perm.MEMBERS_VIEW) -> QuerySet[Member]:
    qs = members_for(user, perm)
    if filters.org:
        from apps.orgs.selectors import orgs_for

        org = orgs_for(user).filter(pk=filters.org).values("path").first()
        # An organization outside the scope filters to nothing rather than revealing its existence.
        qs = qs.filter(org_path__startswith=org["path"]) if org else qs.none()
    if not filters.include_inactive and filters.category not in INACTIVE_CATEGORIES:
        qs = qs.exclude(category__in=INACTIVE_CATEGORIES)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category in MemberCategory.values:
        qs = qs.filter(category=filters.category)
    if filters.gender:
        qs = qs.filter(gender=filters.gender)
    if filters.education:
        qs = qs.filter(education=filters.education)
    if filters.age_band in AGE_BAND_LIMITS:
        qs = qs.filter(birth_range_for_band(filters.age_band, timezone.localdate()))
    if filters.join_year:
        qs = qs.filter(
            admission_date__gte=dt.date(filters.join_year, 1, 1),
            admission_date__lt=dt.date(filters.join_year + 1, 1, 1),
        )
    if filters.q:
        qs = qs.filter(search_condition(filters.q))
    return qs


def member_page(user: Any, filters: MemberFilters, cursor: str | None, size: int = 20) -> Page[Member]:
    size = size if size in PAGE_SIZES else PAGE_SIZES[0]
    branches = search_branches(filters.q) if filters.q else []
    if len(branches) > 1:
        # Pinyin matches initials or full pinyin: the page's ids come from each index on its own.
        qs = filter_members(user, replace(filters, q="")).select_related("org")
        return keyset_page(qs, SORTS[filters.sort][1], cursor, size, any_of=branches)
    qs = filter_members(user, filters).select_related("org")
    return keyset_page(qs, SORTS[filters.sort][1], cursor, size, selective=bool(filters.q))


def member_count(user: Any, filters: MemberFilters) -> int:
    return filter_members(user, filters).count()


def member_breakdown(user: Any, org_path: str | None = None) -> dict[str, Any]:
    """Counts of the scope's members (or of one subtree of it) by status, category, gender, education
    and age band. Members who have left count only under their category.

    On PostgreSQL the counts come from the tallies the database keeps per subtree (apps.core.tallies);
    elsewhere from one grouped scan whose combinations (a few hundred rows at most) are summed here."""
    from apps.core import tallies

    if tallies.enabled():
        paths = (org_path,) if org_path else tallies.scope_paths(user, Perm.MEMBERS_VIEW)
        if paths:
            return _breakdown_from_tallies(user, paths)
    return _breakdown_live(user, org_path)


def _breakdown_from_tallies(user: Any, paths: tuple[str, ...]) -> dict[str, Any]:
    """The tallies give every dimension but the age band exactly; ages come from birth months, and the
    few months that straddle a band's boundary today are counted from the member table."""
    from apps.core import tallies

    counts = tallies.read("member", paths, ["total", "status", "category", "gender", "education", "birth"])

    def plain(dim: str) -> dict[str, int]:
        return {value: n for value, (n, _amount) in counts.get(dim, {}).items() if n}

    today = timezone.localdate()
    bands: dict[str, int] = dict.fromkeys(AGE_BAND_LIMITS, 0)
    # A predicate that matches nothing but still runs, so the page costs the same queries whatever
    # the birth months (an empty IN would skip the query and make the count vary with the data).
    straddling = Q(birth_date__lt=dt.date(1, 1, 2))
    for month, (n, _amount) in counts.get("birth", {}).items():
        year, number = (int(p) for p in month.split("-"))
        first = dt.date(year, number, 1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        first_band, last_band = _band_of(first, today), _band_of(last, today)
        if first_band == last_band:
            if first_band:
                bands[first_band] += n
        else:
            straddling |= Q(birth_date__gte=first, birth_date__lte=last)
    path_q = Q()
    for path in paths:
        path_q |= Q(org_path__startswith=path)
    exact = _breakdown_live_bands(members_for(user).filter(path_q).filter(straddling), today)
    for band, n in exact.items():
        bands[band] += n
    return {
        "total": plain("total").get("", 0),
        "by_status": plain("status"),
        "by_category": plain("category"),
        "by_gender": plain("gender"),
        "by_education": plain("education"),
        "by_age_band": bands,
    }


def _band_of(birth: dt.date, today: dt.date) -> str:
    for band in AGE_BAND_LIMITS:
        low, high = AGE_BAND_LIMITS[band]
        if (low is None or birth <= add_years(today, -low)) and (
            high is None or birth > add_years(today, -(high + 1))
        ):
            return band
    return ""


def _breakdown_live_bands(qs: QuerySet[Member], today: dt.date) -> dict[str, int]:
    aggregates = {band: Count("id", filter=birth_range_for_band(band, today)) for band in AGE_BAND_LIMITS}
    return qs.exclude(category__in=INACTIVE_CATEGORIES).aggregate(**aggregates)


def _breakdown_live(user: Any, org_path: str | None) -> dict[str, Any]:
    from django.db.models import Case, CharField, Value, When

    qs = members_for(user)
    if org_path:
        qs = qs.filter(org_path__startswith=org_path)
    today = timezone.localdate()
    band = Case(
        *[When(birth_range_for_band(b, today), then=Value(b)) for b in AGE_BAND_LIMITS],
        default=Value(""),
        output_field=CharField(),
    )
    rows = (
        qs.annotate(band=band)
        .values("status", "category", "gender", "education", "band")
        .annotate(n=Count("id"))
    )
    result: dict[str, Any] = {
        "total": 0, "by_status": {}, "by_category": {}, "by_gender": {}, "by_education": {},
        "by_age_band": dict.fromkeys(AGE_BAND_LIMITS, 0),
    }  # fmt: skip
    for row in rows.order_by():
        n = row["n"]
        result["by_category"][row["category"]] = result["by_category"].get(row["category"], 0) + n
        if row["category"] in INACTIVE_CATEGORIES:
            continue
        result["total"] += n
        for key, value in (
            ("by_status", row["status"]),
            ("by_gender", row["gender"]),
            ("by_education", row["education"]),
        ):
            result[key][value] = result[key].get(value, 0) + n
        if row["band"]:
            result["by_age_band"][row["band"]] += n
    return result


def org_periods(member: Member) -> list[Any]:
    return list(member.org_periods.select_related("org").order_by("start", "id"))


def org_on(member: Member, day: dt.date) -> Any:
    """The organization the member was registered in on `day`, or None before their admission."""
    period = (
        member.org_periods.filter(start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gt=day))
        .select_related("org")
        .first()
    )
    return period.org if period else None


# History fields whose values are never shown, only that they changed.
_SECRET_HISTORY_FIELDS = {"citizen_id_hash", "citizen_id_last4", "citizen_id_masked"}


def member_history(member: Member) -> list[dict[str, Any]]:
    """Every recorded change of the member, newest first, with field-level differences (masked)."""
    from apps.core.masking import mask_phone
    from apps.orgs.models import Organization

    records = list(member.history.select_related("history_user").order_by("history_date", "history_id"))
    org_ids = {r.org_id for r in records} | {r.party_group_id for r in records if r.party_group_id}
    org_names = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "name"))
    labels = {f.attname: f.verbose_name for f in Member._meta.concrete_fields}
    labels["org_id"], labels["party_group_id"] = "所在党组织", "党小组"

    def show(field: str, value: Any) -> str:
        if value in (None, ""):
            return "—"
        if field in {"org_id", "party_group_id"}:
            return org_names.get(value, str(value))
        if field == "phone":
            return mask_phone(value)
        concrete = (
            Member._meta.get_field(field.removesuffix("_id"))
            if field.endswith("_id")
            else Member._meta.get_field(field)
        )
        choices = dict(getattr(concrete, "choices", None) or [])
        return str(choices.get(value, value))

    entries: list[dict[str, Any]] = []
    previous = None
    for record in records:
        changes: list[dict[str, str]] = []
        if previous is not None:
            delta = record.diff_against(previous)
            seen_id = False
            for change in delta.changes:
                field = change.field
                attname = f"{field}_id" if field in {"org", "party_group"} else field
                if attname in _SECRET_HISTORY_FIELDS:
                    if not seen_id:
                        changes.append({"field": "身份证号", "old": "（已加密）", "new": "已修改"})
                        seen_id = True
                    continue
                changes.append(
                    {
                        "field": str(labels.get(attname, field)),
                        "old": show(attname, change.old),
                        "new": show(attname, change.new),
                    }
                )
        entries.append(
            {
                "at": record.history_date,
                "kind": {"+": "登记", "~": "修改", "-": "删除"}[record.history_type],
                "user": str(record.history_user) if record.history_user else "系统",
                "reason": record.history_change_reason or "",
                "ip": record.ip_address or "",
                "changes": changes,
            }
        )
        previous = record
    entries.reverse()
    return entries
