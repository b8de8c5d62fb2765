"""Running periodic jobs: claim what is due, run it, record the outcome. Which jobs there are is the
caller's to say (``huicai/schedule.py`` collects every app's); this module knows no app."""

import logging

from django.db import transaction

from huicai.core.models import ScheduledJob

logger = logging.getLogger("huicai.scheduler")


def ensure_jobs(*, at, jobs, is_working_day=None) -> None:
    """Create the row of every job that has none, due at its first time (``Job.first_due``): on a new
    installation the first pass already does the work that is due."""
    for job in jobs:
        ScheduledJob.objects.get_or_create(
            name=job.name, defaults={"next_run_at": job.first_due(at, is_working_day=is_working_day)}
        )


def claim(job, *, at, is_working_day=None) -> bool:
    """Take the job's due run, if it is due and nobody took it first (compare-and-swap)."""
    row = ScheduledJob.objects.filter(name=job.name).values("next_run_at").first()
    if row is None or row["next_run_at"] > at:
        return False
    return (
        ScheduledJob.objects.filter(name=job.name, next_run_at=row["next_run_at"]).update(
            next_run_at=job.next_after(at, is_working_day=is_working_day), last_started_at=at
        )
        == 1
    )


def run_due(*, at, jobs, clock=None, is_working_day=None, should_stop=None) -> list[str]:
    """Run every due job once; a failing job is logged and recorded, and the others still run.

    ``should_stop`` is asked before each job: a scheduler told to stop finishes the job in hand and
    starts no other (the ones left stay due and run on the next pass, here or on another machine).
    """
    ensure_jobs(at=at, jobs=jobs, is_working_day=is_working_day)
    ran = []
    for job in jobs:
        if should_stop is not None and should_stop():
            break
        if not claim(job, at=at, is_working_day=is_working_day):
            continue
        try:
            result = job.resolve()(at=at)
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


def run_job_now(job, *, at):
    """Run one job at once regardless of its schedule (admin and tests)."""
    with transaction.atomic():
        return job.resolve()(at=at)
