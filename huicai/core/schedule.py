"""The periodic jobs of Huicai and when each runs. The scheduler (``manage.py run_scheduler``) reads this
list; each job is a function ``(*, at) -> dict`` that does its own work in its own transactions.

Jobs run in the scheduler process, not through the task queue, because each is itself a short sweep that
enqueues what is slow (sending). Several scheduler processes on several machines may run at once: a job
runs once per due time because the run is claimed by a compare-and-swap on its ``ScheduledJob`` row.
"""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str
    function: str  # dotted path of ``f(*, at) -> dict``
    every: datetime.timedelta | None = None  # run at this interval…
    daily_at: datetime.time | None = None  # …or once a day at this local time
    working_days_only: bool = False  # a daily job skips days off on the official calendar

    def next_after(self, at: datetime.datetime) -> datetime.datetime:
        """The first due time strictly after ``at``."""
        if self.every is not None:
            return at + self.every
        from django.utils import timezone

        from huicai.workdays import calendar

        local = timezone.localtime(at)
        day = local.date()
        candidate = timezone.make_aware(datetime.datetime.combine(day, self.daily_at), local.tzinfo)
        while candidate <= at or (self.working_days_only and not calendar.is_working_day(candidate.date())):
            day += datetime.timedelta(days=1)
            candidate = timezone.make_aware(datetime.datetime.combine(day, self.daily_at), local.tzinfo)
        return candidate


JOBS: list[Job] = [
    # Email/SMS retries whose wait is over, and deliveries the queue never ran (notifications).
    Job(
        "send_pending_deliveries",
        "huicai.notifications.jobs.send_pending",
        every=datetime.timedelta(minutes=5),
    ),
]
