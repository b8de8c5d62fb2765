"""The scheduler runs each due job once, however many scheduler processes there are."""

import datetime
import threading

import pytest
from django.db import connection

from huicai.core.models import ScheduledJob
from huicai.core.schedule import Job
from huicai.core.scheduler import claim, ensure_jobs, run_due

CALLS = []


def record_call(*, at):
    CALLS.append(at)
    return {"ok": 1}


def fail(*, at):
    raise RuntimeError("boom")


EVERY_MINUTE = Job(
    "test_every_minute", "huicai.core.tests.test_scheduler.record_call", every=datetime.timedelta(minutes=1)
)
DAILY = Job(
    "test_daily",
    "huicai.core.tests.test_scheduler.record_call",
    daily_at=datetime.time(9, 0),
    working_days_only=True,
)
BROKEN = Job("test_broken", "huicai.core.tests.test_scheduler.fail", every=datetime.timedelta(minutes=1))
AT = datetime.datetime(2026, 2, 13, 1, 0, tzinfo=datetime.UTC)  # Friday 13 Feb 2026, 09:00 in Linyi


@pytest.fixture(autouse=True)
def _clear_calls():
    CALLS.clear()


def test_a_job_runs_when_due_and_not_again_until_its_next_time(world):
    ensure_jobs(at=AT, jobs=[EVERY_MINUTE])

    first = run_due(at=AT, jobs=[EVERY_MINUTE])  # a new installation does the due work at once
    early = run_due(at=AT + datetime.timedelta(seconds=30), jobs=[EVERY_MINUTE])
    due = run_due(at=AT + datetime.timedelta(minutes=1), jobs=[EVERY_MINUTE])
    again = run_due(at=AT + datetime.timedelta(minutes=1, seconds=5), jobs=[EVERY_MINUTE])

    assert (first, early, due, again) == (["test_every_minute"], [], ["test_every_minute"], [])
    assert len(CALLS) == 2
    assert ScheduledJob.objects.get(name="test_every_minute").last_result == "{'ok': 1}"


def test_a_daily_job_seen_first_after_its_time_runs_today_and_before_it_waits(world):
    from huicai.workdays.calendar import is_working_day

    nine = AT  # Friday 13 Feb 2026, 09:00 in Linyi, a working day
    at_ten = DAILY.first_due(nine + datetime.timedelta(hours=1), is_working_day=is_working_day)
    at_eight = DAILY.first_due(nine - datetime.timedelta(hours=1), is_working_day=is_working_day)
    on_a_holiday = DAILY.first_due(
        datetime.datetime(2026, 2, 16, 3, 0, tzinfo=datetime.UTC), is_working_day=is_working_day
    )

    assert at_ten == nine
    assert at_eight == nine
    assert on_a_holiday == datetime.datetime(2026, 2, 24, 1, 0, tzinfo=datetime.UTC)


def test_a_daily_working_day_job_skips_the_spring_festival(world):
    # Seeded 2026: 14 Feb (Saturday) is a make-up working day; 15–23 Feb are days off.
    from huicai.workdays.calendar import is_working_day

    assert DAILY.next_after(AT, is_working_day=is_working_day) == datetime.datetime(
        2026, 2, 14, 1, 0, tzinfo=datetime.UTC
    )
    assert DAILY.next_after(
        datetime.datetime(2026, 2, 14, 2, 0, tzinfo=datetime.UTC), is_working_day=is_working_day
    ) == datetime.datetime(2026, 2, 24, 1, 0, tzinfo=datetime.UTC)


def test_a_working_days_only_job_needs_the_calendar_and_a_job_needs_exactly_one_timing():
    with pytest.raises(ValueError, match="is_working_day"):
        DAILY.next_after(AT)
    with pytest.raises(ValueError, match="exactly one"):
        Job("test_neither", "huicai.core.tests.test_scheduler.record_call")
    with pytest.raises(ValueError, match="exactly one"):
        Job(
            "test_both",
            "huicai.core.tests.test_scheduler.record_call",
            every=datetime.timedelta(minutes=1),
            daily_at=datetime.time(9, 0),
        )


def test_only_one_claim_of_a_due_run_succeeds(world):
    ensure_jobs(at=AT - datetime.timedelta(minutes=5), jobs=[EVERY_MINUTE])

    first = claim(EVERY_MINUTE, at=AT)
    second = claim(EVERY_MINUTE, at=AT)

    assert (first, second) == (True, False)


def test_a_failing_job_is_recorded_and_the_others_still_run(world):
    ensure_jobs(at=AT - datetime.timedelta(minutes=5), jobs=[BROKEN, EVERY_MINUTE])

    ran = run_due(at=AT, jobs=[BROKEN, EVERY_MINUTE])

    assert ran == ["test_broken", "test_every_minute"]
    assert ScheduledJob.objects.get(name="test_broken").last_error == "RuntimeError"
    assert len(CALLS) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_run_a_due_job_once():
    ensure_jobs(at=AT - datetime.timedelta(minutes=5), jobs=[EVERY_MINUTE])
    barrier = threading.Barrier(2)

    def scheduler():
        barrier.wait()
        try:
            run_due(at=AT, jobs=[EVERY_MINUTE])
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(CALLS) == 1
