"""Background jobs with progress: imports and exports.

A module registers a handler per (kind, step). `start_job` stores the job and, once the transaction
commits, runs it: on Celery when a broker is configured, in a thread of the web process for the
embedded default, or inline (XF_JOBS=inline, the test suite). A handler reports progress with
`report_progress` and finishes by returning the job's status.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from apps.core.context import acting
from apps.core.models import Job, JobStatus

log = logging.getLogger(__name__)

Handler = Callable[[Job], str]
_HANDLERS: dict[tuple[str, str], Handler] = {}


def register(kind: str, step: str = "run") -> Callable[[Handler], Handler]:
    def wrap(fn: Handler) -> Handler:
        _HANDLERS[(kind, step)] = fn
        return fn

    return wrap


def job_dir() -> Path:
    path = Path(settings.PRIVATE_ROOT) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def new_file_path(suffix: str) -> str:
    return str(job_dir() / f"{uuid.uuid4().hex}{suffix}")


def start_job(
    *,
    user: Any,
    kind: str,
    step: str = "run",
    params: dict[str, Any] | None = None,
    ip_address: str | None = None,
    **fields: Any,
) -> Job:
    job = Job.objects.create(
        created_by=user, kind=kind, step=step, params=params or {}, ip_address=ip_address, **fields
    )
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def continue_job(job: Job, step: str) -> None:
    """Queues the next step of a job (for example, commit after the preview was confirmed)."""
    Job.objects.filter(pk=job.pk).update(step=step, status=JobStatus.QUEUED, done=0, message="")
    transaction.on_commit(lambda: dispatch(job.pk))


def dispatch(job_id: int) -> None:
    mode = settings.XF_JOBS
    if mode == "celery":
        from apps.core.tasks import run_job_task

        run_job_task.delay(job_id)
    elif mode == "thread":
        threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True, name=f"job-{job_id}").start()
    else:
        run_job(job_id)


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        run_job(job_id)
    finally:
        close_old_connections()


def run_job(job_id: int) -> None:
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.status not in {JobStatus.QUEUED}:
        return
    handler = _HANDLERS.get((job.kind, job.step))
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    job.status = JobStatus.RUNNING
    try:
        with acting(user_id=job.created_by_id, ip_address=job.ip_address, request_id=f"job-{job.pk}"):
            if handler is None:
                raise LookupError(f"no handler for {job.kind}/{job.step}")
            status = handler(job)
    except Exception as exc:  # a job must end in a state the user can see, whatever failed
        log.exception("job %s failed", job_id)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, message=f"处理失败：{exc.__class__.__name__}", finished_at=timezone.now()
        )
        return
    Job.objects.filter(pk=job.pk).update(status=status, finished_at=timezone.now())
    cache.delete(progress_key(job.pk))


def progress_key(job_id: int) -> str:
    return f"xf:job:{job_id}:progress"


def report_progress(job: Job, done: int, total: int | None = None, message: str | None = None) -> None:
    """Records progress where the page can read it at once.

    Inside a transaction a row update would stay invisible until the commit, so progress also goes
    to the cache (shared through Redis when several processes serve the product).
    """
    fields: dict[str, Any] = {"done": done}
    if total is not None:
        fields["total"] = total
    if message is not None:
        fields["message"] = message
    cached = cache.get(progress_key(job.pk)) or {}
    cache.set(progress_key(job.pk), cached | fields, 3600)
    if not connection.in_atomic_block:
        Job.objects.filter(pk=job.pk).update(**fields)


def live_progress(job: Job) -> Job:
    """The job with the freshest progress (from the cache while it runs)."""
    if not job.finished:
        for key, value in (cache.get(progress_key(job.pk)) or {}).items():
            setattr(job, key, value)
    return job


def save_result(job: Job, **fields: Any) -> None:
    Job.objects.filter(pk=job.pk).update(**fields)
