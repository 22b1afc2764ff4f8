from celery import shared_task


@shared_task(name="core.run_job")
def run_job_task(job_id: int) -> None:
    from apps.core.jobs import run_job

    run_job(job_id)


@shared_task(name="core.take_snapshot")
def take_snapshot_task() -> int:
    """Daily: the running month's figures follow the records until the month ends."""
    from apps.core.snapshots import take_snapshot

    return take_snapshot()


@shared_task(name="core.compact_tallies")
def compact_tallies_task() -> int:
    """Hourly: fold the tallies' delta rows so a figure keeps summing a few rows."""
    from apps.core import tallies

    return tallies.compact() if tallies.enabled() else 0
