"""What a periodic job is and when it is next due. The jobs themselves are declared by each app, next to
their code, as a ``SCHEDULE`` list in the app's ``jobs.py``; the project collects them in
``huicai/schedule.py`` and ``manage.py run_scheduler`` runs them.

Jobs run in the scheduler process, not through the task queue, because each is itself a short sweep that
enqueues what is slow (sending). Several scheduler processes on several machines may run at once: a job
runs once per due time because the run is claimed by a compare-and-swap on its ``ScheduledJob`` row.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Job:
    name: str
    function: Callable | str  # ``f(*, at) -> dict``, or its dotted path
    every: datetime.timedelta | None = None  # run at this interval…
    daily_at: datetime.time | None = None  # …or once a day at this local time
    working_days_only: bool = False  # a daily job skips days off on the official calendar

    def __post_init__(self):
        if (self.every is None) == (self.daily_at is None):
            raise ValueError(f"job {self.name}: give exactly one of every= and daily_at=")

    def resolve(self) -> Callable:
        return import_string(self.function) if isinstance(self.function, str) else self.function

    @property
    def dotted_path(self) -> str:
        if isinstance(self.function, str):
            return self.function
        return f"{self.function.__module__}.{self.function.__qualname__}"

    @property
    def when(self) -> str:
        """When it runs, in words, for the job table."""
        if self.every is not None:
            minutes = int(self.every.total_seconds() // 60)
            return f"每 {minutes // 60} 小时" if minutes % 60 == 0 else f"每 {minutes} 分钟"
        days = "每个工作日" if self.working_days_only else "每天"
        return f"{days} {self.daily_at:%H:%M}"

    def first_due(self, at: datetime.datetime, *, is_working_day=None) -> datetime.datetime:
        """When a job seen for the first time is due: an interval job at once; a daily job at today's time
        if that has passed on a day it runs (a scheduler started at 10:00 still sends today's 09:00
        reminders), otherwise at its next time."""
        if self.every is not None:
            return at
        local = timezone.localtime(at)
        today = timezone.make_aware(datetime.datetime.combine(local.date(), self.daily_at), local.tzinfo)
        if today <= at and not (self.working_days_only and not is_working_day(local.date())):
            return today
        return self.next_after(at, is_working_day=is_working_day)

    def next_after(self, at: datetime.datetime, *, is_working_day=None) -> datetime.datetime:
        """The first due time strictly after ``at``. A working-days-only job needs ``is_working_day``
        (the official calendar's predicate), which the caller passes in: this module knows no calendar."""
        if self.every is not None:
            return at + self.every
        if self.working_days_only and is_working_day is None:
            raise ValueError(f"job {self.name} runs on working days only: pass is_working_day")
        local = timezone.localtime(at)
        day = local.date()
        candidate = timezone.make_aware(datetime.datetime.combine(day, self.daily_at), local.tzinfo)
        while candidate <= at or (self.working_days_only and not is_working_day(candidate.date())):
            day += datetime.timedelta(days=1)
            candidate = timezone.make_aware(datetime.datetime.combine(day, self.daily_at), local.tzinfo)
        return candidate
