"""Jobs on a real Celery worker with a Redis broker (runs where REDIS_URL is set, as in CI)."""

import os
import time

import pytest

from apps.core.models import Job

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a Redis server (REDIS_URL)")


@pytest.fixture
def celery_worker_on_redis(settings):
    from celery.contrib.testing.worker import start_worker

    from xianfeng.celery import app

    settings.XF_JOBS = "celery"
    app.conf.broker_url = os.environ["REDIS_URL"]
    app.conf.result_backend = None
    app.conf.task_always_eager = False
    with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, loglevel="WARNING"):
        yield app


@pytest.mark.django_db(transaction=True)
def test_an_export_runs_on_a_celery_worker(zone, secretary_user, client_for, celery_worker_on_redis):
    from apps.core.testing.factories import make_members

    make_members(zone["a1"], 3)
    client_for(secretary_user).post("/members/export/", {})
    job = Job.objects.get(kind="members.export")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.2)
    assert job.status == "done", job.message
    assert job.result["rows"] == 3
