from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Router, Schema, Status

from apps.core.errors import DomainError
from apps.core.jobs import live_progress
from apps.core.middleware import client_ip
from apps.core.models import Job
from apps.core.scoping import Perm, get_scope
from apps.core.statistics import StatContext, collect
from apps.orgs.selectors import access_org
from apps.reports.views import FIRST_YEAR
from apps.reports.yearly import start_report

router = Router(tags=["统计与报表"])


class StatOut(Schema):
    code: str
    label: str
    value: Decimal | int | None
    unit: str
    group: str
    link: str


class ReportIn(Schema):
    year: int
    org: int | None = None


class JobOut(Schema):
    id: int
    status: str
    done: int
    total: int
    message: str
    files: dict[str, str]


@router.get(
    "/statistics", response=list[StatOut], summary="统计指标（与首页相同；可按党组织子树；比率为小数）"
)
def statistics(request: HttpRequest, org: int | None = None, on: dt.date | None = None):
    root = access_org(request.user, org) if org is not None else None
    stats = collect(StatContext(user=request.user, org=root, on=on))
    return [
        {"code": s.code, "label": s.label, "value": s.value, "unit": s.unit, "group": s.group, "link": s.link}
        for group in stats.values()
        for s in group
    ]


def _job_out(job: Job) -> dict[str, Any]:
    job = live_progress(job)
    files = {}
    if job.status == "done":
        base = reverse("core:job_download", args=[job.pk])
        files = {key: f"{base}?file={key}" for key in (job.result.get("files") or {})}
    return {
        "id": job.pk,
        "status": job.status,
        "done": job.done,
        "total": job.total,
        "message": job.message,
        "files": files,
    }


@router.post(
    "/reports/yearly",
    response={202: JobOut},
    summary="生成党内统计年报（后台任务；查询进度后下载 Excel/PDF）",
)
def yearly(request: HttpRequest, payload: ReportIn):
    scope = get_scope(request.user)
    if not (scope.is_superuser or scope.paths(Perm.ORGS_VIEW)):
        raise Http404
    if not FIRST_YEAR <= payload.year <= timezone.localdate().year:
        raise DomainError("reports.year", "年度不正确", field="year")
    org = access_org(request.user, payload.org) if payload.org else None
    job = start_report(user=request.user, year=payload.year, org=org, ip_address=client_ip(request))
    return Status(202, _job_out(job))


@router.get("/jobs/{job_id}", response=JobOut, summary="后台任务的进度与结果文件（仅发起人）")
def job(request: HttpRequest, job_id: int):
    found = Job.objects.filter(pk=job_id, created_by_id=request.user.pk).first()
    if found is None:
        raise Http404
    return _job_out(found)
