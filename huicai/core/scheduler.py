"""Running the periodic jobs of huicai/core/schedule.py: claim what is due, run it, record the outcome."""

import logging

from django.db import transaction
from django.utils.module_loading import import_string

from huicai.core.models import ScheduledJob
from huicai.core.schedule import JOBS

logger = logging.getLogger("huicai.scheduler")


def ensure_jobs(*, at, jobs=JOBS) -> None:
    """Create the row of every job that has none, due at its first time after ``at``."""
    for job in jobs:
        ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": job.next_after(at)})


def claim(job, *, at) -> bool:
    """Take the job's due run, if it is due and nobody took it first (compare-and-swap)."""
    row = ScheduledJob.objects.filter(name=job.name).values("next_run_at").first()
    if row is None or row["next_run_at"] > at:
        return False
    return (
        ScheduledJob.objects.filter(name=job.name, next_run_at=row["next_run_at"]).update(
            next_run_at=job.next_after(at), last_started_at=at
        )
        == 1
    )


def run_due(*, at, jobs=JOBS, clock=None) -> list[str]:
    """Run every due job once; a failing job is logged and recorded, and the others still run."""
    ensure_jobs(at=at, jobs=jobs)
    ran = []
    for job in jobs:
        if not claim(job, at=at):
            continue
        function = import_string(job.function)
        try:
            result = function(at=at)
        except Exception as error:  # one broken job must not stop the others
            logger.exception("scheduled job %s failed", job.name)
            ScheduledJob.objects.filter(name=job.name).update(
                last_finished_at=clock() if clock else at, last_error=f"{type(error).__name__}"[:300]
            )
        else:
            ScheduledJob.objects.filter(name=job.name).update(
                last_finished_at=clock() if clock else at, last_result=str(result)[:300], last_error=""
            )
        ran.append(job.name)
    return ran


def run_job_now(name, *, at):
    """Run one job at once regardless of its schedule (admin and tests)."""
    job = next(job for job in JOBS if job.name == name)
    with transaction.atomic():
        return import_string(job.function)(at=at)
