"""Reads of dues, scoped like members: a bill belongs to the organization path it was issued in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from apps.core.scoping import Perm, get_scope
from apps.dues.models import BillStatus, DuesBase, DuesBill, DuesRebate
from apps.orgs.models import Organization

ZERO = Decimal("0.00")


def bills_for(user: Any, perm: str = Perm.DUES_VIEW) -> QuerySet[DuesBill]:
    return DuesBill.objects.filter(get_scope(user).member_q(perm, "org_path", "member_id"))


def collection(user: Any, *, month: dt.date, org: Organization | None = None) -> dict[str, Any]:
    """Bills, paid bills, amounts due and paid, and the collection rate for a month: from the
    subtree tallies on PostgreSQL (apps.core.tallies), else one aggregate query. `org` must be inside
    the user's scope (the views check it)."""
    from apps.core import tallies

    paths = (
        ((org.path,) if org is not None else tallies.scope_paths(user, Perm.DUES_VIEW))
        if tallies.enabled()
        else None
    )
    if paths:
        counts = tallies.read("bill", paths, ["bills", "paid"])
        key = f"{month:%Y-%m}"
        bills, due = counts.get("bills", {}).get(key, (0, ZERO))
        paid, paid_amount = counts.get("paid", {}).get(key, (0, ZERO))
        row: dict[str, Any] = {"bills": bills, "paid": paid, "due_amount": due, "paid_amount": paid_amount}
    else:
        qs = bills_for(user).filter(month=month)
        if org is not None:
            qs = qs.filter(org_path__startswith=org.path)
        row = qs.aggregate(
            bills=Count("id"),
            paid=Count("id", filter=Q(status=BillStatus.PAID)),
            due_amount=Coalesce(Sum("amount"), ZERO),
            paid_amount=Coalesce(Sum("paid_amount"), ZERO),
        )
    row["rate"] = (Decimal(row["paid"]) / row["bills"]).quantize(Decimal("0.0001")) if row["bills"] else None
    row["amount_rate"] = (
        (row["paid_amount"] / row["due_amount"]).quantize(Decimal("0.0001")) if row["due_amount"] else None
    )
    return row


def collection_by_child(user: Any, *, month: dt.date, parent: Organization) -> list[dict[str, Any]]:
    """The collection of each direct sub-organization's subtree (and of the parent's own members).

    One aggregate over the month's bills grouped by the path segment below the parent.
    """
    from django.db.models.functions import Substr

    from apps.orgs.models import SEGMENT

    cut = len(parent.path) + SEGMENT
    rows = (
        bills_for(user)
        .filter(month=month, org_path__startswith=parent.path)
        .annotate(branch=Substr("org_path", 1, cut))
        .values("branch")
        .annotate(
            bills=Count("id"),
            paid=Count("id", filter=Q(status=BillStatus.PAID)),
            due_amount=Coalesce(Sum("amount"), ZERO),
            paid_amount=Coalesce(Sum("paid_amount"), ZERO),
        )
    )
    by_path = {r["branch"]: r for r in rows}
    children = list(Organization.objects.filter(parent=parent, is_active=True).order_by("org_type", "name"))
    result = []
    own = by_path.get(parent.path)
    if own and own["bills"]:
        result.append({"org": parent, "own": True, **own})
    for child in children:
        row = by_path.get(child.path, {"bills": 0, "paid": 0, "due_amount": ZERO, "paid_amount": ZERO})
        result.append({"org": child, "own": False, **row})
    for row in result:
        row["rate"] = (
            (Decimal(row["paid"]) / row["bills"]).quantize(Decimal("0.0001")) if row["bills"] else None
        )
    return result


def arrears(user: Any, *, org: Organization | None = None, min_months: int = 1) -> QuerySet[Any]:
    """Members with unpaid bills: how many months, how much, since when (grouped in SQL)."""
    qs = bills_for(user).filter(status=BillStatus.UNPAID)
    if org is not None:
        qs = qs.filter(org_path__startswith=org.path)
    return (
        qs.values("member_id", "member__name", "member__org__name")
        .annotate(months=Count("id"), amount=Sum("amount"), since=Min("month"), latest=Max("month"))
        .filter(months__gte=min_months)
        .order_by("-months", "member__name_pinyin")
    )


def current_base(member_id: int, on: dt.date) -> DuesBase | None:
    return (
        DuesBase.objects.filter(member_id=member_id, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


def rebates_for(user: Any) -> QuerySet[DuesRebate]:
    scope = get_scope(user)
    return (
        DuesRebate.objects.filter(scope.org_q(Perm.DUES_VIEW, "org__path"))
        .select_related("org")
        .annotate(spent=Coalesce(Sum("spendings__amount"), ZERO))
        .annotate(balance=F("amount") - F("spent"))
    )
