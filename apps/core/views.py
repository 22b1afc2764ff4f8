from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.core.jobs import continue_job, live_progress
from apps.core.models import AccessAction, AccessLog, Job, JobStatus
from apps.core.scoping import Perm, get_scope

JOB_TITLES = {
    "members.import": "党员信息导入",
    "members.export": "党员名册导出",
    "reports.yearly": "党内统计年报",
}


def access_job(request: HttpRequest, job_id: int) -> Job:
    job = Job.objects.filter(pk=job_id, created_by_id=request.user.pk).first()
    if job is None:
        raise Http404("任务不存在")
    return job


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Job.objects.filter(created_by_id=request.user.pk), 20).get_page(request.GET.get("page"))
    return render(request, "core/job_list.html", {"page": page, "titles": JOB_TITLES})


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = live_progress(access_job(request, job_id))
    template = "core/job_progress.html" if getattr(request, "htmx", False) else "core/job_detail.html"
    return render(request, template, {"job": job, "title": JOB_TITLES.get(job.kind, job.kind)})


@login_required
@require_POST
def job_confirm(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_job(request, job_id)
    if job.kind != "members.import" or job.status != JobStatus.READY or job.step != "validate":
        messages.error(request, "该任务当前不能确认")
        return redirect("core:job", job_id=job.pk)
    if job.result.get("errors_count"):
        messages.error(request, "文件中仍有错误行：请修改文件后重新上传，确认前不会写入任何数据")
        return redirect("core:job", job_id=job.pk)
    continue_job(job, "commit")
    return redirect("core:job", job_id=job.pk)


@login_required
@require_POST
def job_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_job(request, job_id)
    if job.status == JobStatus.READY:
        Job.objects.filter(pk=job.pk).update(status=JobStatus.CANCELLED, message="已取消，未写入任何数据")
        if job.input_file:
            # The upload and what was derived from it hold personal data: nothing is kept after a cancel.
            for path in Path(job.input_file).parent.glob(Path(job.input_file).name + "*"):
                path.unlink(missing_ok=True)
        messages.info(request, "已取消导入，未写入任何数据")
    return redirect("core:job", job_id=job.pk)


@login_required
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = access_job(request, job_id)
    if job.status != JobStatus.DONE or not job.output_file:
        raise Http404("文件不存在")
    path = Path(job.output_file)
    name = job.result.get("filename") or path.name
    files = job.result.get("files") or {}
    wanted = request.GET.get("file", "")
    if wanted:
        # A job with several results (a report as Excel and as PDF) names each one.
        if wanted not in files:
            raise Http404("文件不存在")
        path, name = (
            Path(files[wanted]),
            job.result.get("filenames", {}).get(wanted, Path(files[wanted]).name),
        )
    if not path.is_file() or Path(settings.PRIVATE_ROOT).resolve() not in path.resolve().parents:
        raise Http404("文件不存在")
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    scope = get_scope(request.user)
    if not scope.has(Perm.AUDIT_VIEW):
        raise Http404
    qs = AccessLog.objects.select_related("user").filter(scope.org_q(Perm.AUDIT_VIEW, "org_path"))
    action = request.GET.get("action", "")
    if action in AccessAction.values:
        qs = qs.filter(action=action)
    username = request.GET.get("user", "").strip()
    if username:
        qs = qs.filter(user__username__startswith=username)
    target = request.GET.get("target", "").strip()
    if target.isdigit():
        qs = qs.filter(target_type="member", target_id=int(target))
    for key, lookup in (("start", "at__date__gte"), ("end", "at__date__lte")):
        with contextlib.suppress(ValueError):
            qs = qs.filter(**{lookup: dt.date.fromisoformat(request.GET.get(key, ""))})
    page = Paginator(qs.order_by("-at", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "core/access_log.html", {"page": page, "actions": AccessAction.choices})
