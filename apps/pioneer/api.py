from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from apps.core.scoping import Perm
from apps.orgs.selectors import access_org
from apps.pioneer import selectors, services

router = Router(tags=["党员先锋指数"])


class ScoreOut(Schema):
    member_id: int
    name: str
    total: Decimal
    rank: int
    items: dict[str, Decimal]


class ManualIn(Schema):
    member_id: int
    item_id: int
    month: dt.date
    points: Decimal
    reason: str


@router.get("/scores", response=list[ScoreOut], summary="党支部内先锋指数排名（month 省略为全年）")
def scores(request: HttpRequest, org: int, year: int | None = None, month: int | None = None):
    branch = access_org(request.user, org, Perm.MEMBERS_VIEW)
    today = timezone.localdate()
    _items, rows = selectors.branch_scores(branch, year or today.year, month, today=today)
    return [
        {"member_id": s.member_id, "name": s.name, "total": s.total, "rank": s.rank, "items": s.items}
        for s in rows
    ]


@router.post("/manual", response={201: dict}, summary="人工记分（须填写事由）")
def manual(request: HttpRequest, payload: ManualIn):
    score = services.manual_score_add(actor=request.user, **payload.dict())
    return Status(201, {"id": score.pk, "points": str(score.points)})


class PublishIn(Schema):
    org: int
    month: dt.date


@router.post("/publications", response={201: dict}, summary="公示党支部某月的先锋指数排名（再次公示为更正）")
def publish(request: HttpRequest, payload: PublishIn):
    publication = services.publish_month(actor=request.user, org_id=payload.org, month=payload.month)
    return Status(
        201,
        {
            "org": publication.org_id,
            "month": publication.month,
            "members": len(publication.scores),
            "revisions": publication.revisions,
        },
    )
