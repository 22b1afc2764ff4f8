from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from apps.appraisal import services
from apps.appraisal.models import Honor, StarRating, WorkReport

router = Router(tags=["星级评定与述职评议"])


class RatingIn(Schema):
    org: int
    year: int
    criteria: list[str] = Field(description="setup / team / life / management / role，每项一星")
    note: str


class HonorIn(Schema):
    org: int
    year: int
    kind: str = Field(description="demo_site（党建示范点）/ strongest（最强党支部）")
    note: str


class ReportIn(Schema):
    org: int
    year: int
    secretary: str
    content: str


class AppraiseIn(Schema):
    grade: str = Field(description="excellent 好 / good 较好 / fair 一般 / poor 差")
    comment: str = ""


@router.get("/ratings", summary="星级评定（权限范围内）")
def ratings(request: HttpRequest, year: int | None = None):
    qs = services.in_scope(request.user, StarRating)
    if year:
        qs = qs.filter(year=year)
    return list(qs.values("id", "org_id", "year", "stars", "criteria", "note"))


@router.post("/ratings", response={201: dict}, summary="评定星级（上级党组织；同年再次评定为更正）")
def add_rating(request: HttpRequest, payload: RatingIn):
    r = services.rate(
        actor=request.user,
        org_id=payload.org,
        year=payload.year,
        criteria=payload.criteria,
        note=payload.note,
    )
    return Status(201, {"id": r.pk, "stars": r.stars})


@router.get("/honors", summary="党建示范点与最强党支部（权限范围内）")
def honors(request: HttpRequest, year: int | None = None):
    qs = services.in_scope(request.user, Honor)
    if year:
        qs = qs.filter(year=year)
    return list(qs.values("id", "org_id", "year", "kind", "note"))


@router.post("/honors", response={201: dict}, summary="认定示范点或最强党支部")
def add_honor(request: HttpRequest, payload: HonorIn):
    h = services.honor(
        actor=request.user, org_id=payload.org, kind=payload.kind, year=payload.year, note=payload.note
    )
    return Status(201, {"id": h.pk})


@router.get("/reports", summary="书记述职（权限范围内）")
def reports(request: HttpRequest, year: int | None = None):
    qs = services.in_scope(request.user, WorkReport)
    if year:
        qs = qs.filter(year=year)
    return list(qs.values("id", "org_id", "year", "secretary", "state", "due_date", "grade", "comment"))


@router.post("/reports", response={201: dict}, summary="提交述职")
def add_report(request: HttpRequest, payload: ReportIn):
    r = services.submit_report(
        actor=request.user,
        org_id=payload.org,
        year=payload.year,
        secretary=payload.secretary,
        content=payload.content,
    )
    return Status(201, {"id": r.pk, "state": r.state, "due_date": r.due_date})


@router.post("/reports/{report_id}/appraise", summary="上级党组织评议述职")
def appraise(request: HttpRequest, report_id: int, payload: AppraiseIn):
    r = services.appraise(
        actor=request.user, report_id=report_id, grade=payload.grade, comment=payload.comment
    )
    return {"id": r.pk, "state": r.state, "grade": r.grade}
