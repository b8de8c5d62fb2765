"""The project's schedule: every periodic job of every app, collected from the apps themselves.

Each app that has periodic work declares it next to the code, as ``SCHEDULE = [Job(...), ...]`` in its
``jobs.py``. Nothing is listed here by hand, so a job that is written and declared is a job that runs; and a
test (``huicai/ops/tests/test_schedule.py``) fails when a job function of any app is declared nowhere.

This module sits above the apps (it imports their ``jobs`` modules) and is read by the ``run_scheduler``
command of ``huicai.ops``; the scheduling engine in ``huicai.core.scheduler`` knows no app.
"""

import importlib
import importlib.util
from functools import cache

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from huicai.core import scheduler
from huicai.core.schedule import Job
from huicai.workdays import calendar


def job_modules():
    """The ``jobs`` module of every Huicai app that has one, in INSTALLED_APPS order."""
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith("huicai."):
            continue
        name = f"{config.name}.jobs"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


@cache
def all_jobs() -> tuple[Job, ...]:
    """Every app's declared jobs; a ``jobs`` module without ``SCHEDULE``, or two jobs of one name, is a
    configuration error that stops the scheduler at start rather than a job that silently never runs."""
    jobs, seen = [], set()
    for module in job_modules():
        if not hasattr(module, "SCHEDULE"):
            raise ImproperlyConfigured(f"{module.__name__} has no SCHEDULE: declare its jobs there")
        for job in module.SCHEDULE:
            if job.name in seen:
                raise ImproperlyConfigured(f"two scheduled jobs are named {job.name}")
            seen.add(job.name)
            jobs.append(job)
    return tuple(jobs)


def run_due(*, at, clock=None, should_stop=None) -> list[str]:
    """One pass of the scheduler over the whole schedule, days off read on the official calendar."""
    return scheduler.run_due(
        at=at,
        jobs=all_jobs(),
        clock=clock,
        is_working_day=calendar.is_working_day,
        should_stop=should_stop,
    )


def get_job(name) -> Job:
    for job in all_jobs():
        if job.name == name:
            return job
    raise KeyError(name)
