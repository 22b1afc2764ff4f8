from celery import shared_task


@shared_task(name="core.run_job")
def run_job_task(job_id: int) -> None:
    from apps.core.jobs import run_job

    run_job(job_id)
