"""Two people acting on one filing at once: one wins, the other is refused, nothing is half written.
Real concurrent transactions, so PostgreSQL only (SQLite serialises writers)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from huicai.filings import actions, jobs
from huicai.filings.choices import FilingStatus
from huicai.filings.models import Filing, FilingVersion
from huicai.filings.tests.conftest import APRIL_1, MARCH, local, open_unit

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]


def race(*calls):
    """Run each call in its own thread and connection, released together; return each outcome."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            call()
            outcomes[index] = "ok"
        except ValidationError as error:
            outcomes[index] = type(error).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_accepting_and_returning_at_once_leaves_one_answer(world):
    filing = actions.file_filing(open_unit(world), by=world.wang_fang, at=APRIL_1)
    at = local(2026, 4, 2)

    outcomes = race(
        lambda: actions.accept_filing(filing, by=world.chen_jing, at=at),
        lambda: actions.return_filing(filing, reason="请补充。", by=world.chen_jing, at=at),
    )

    assert sorted(outcomes) == ["InvalidTransition", "ok"]
    filing.refresh_from_db()
    assert filing.status in (FilingStatus.ACCEPTED, FilingStatus.RETURNED)
    assert filing.events.filter(action__in=["accept", "return"]).count() == 1


def test_filing_twice_at_once_freezes_one_version(world):
    filing = open_unit(world)

    outcomes = race(
        lambda: actions.file_filing(filing, by=world.wang_fang, at=APRIL_1),
        lambda: actions.file_filing(filing, by=world.wang_fang, at=APRIL_1),
    )

    assert sorted(outcomes) == ["InvalidTransition", "ok"]
    assert FilingVersion.objects.filter(filing=filing).count() == 1


def test_two_schedulers_opening_at_once_open_each_filing_once(world):
    outcomes = race(lambda: jobs.open_due_filings(at=APRIL_1), lambda: jobs.open_due_filings(at=APRIL_1))

    assert outcomes == ["ok", "ok"]
    assert Filing.objects.filter(filer_post=world.wang_fang_post, period_start_date=MARCH.start).count() == 1
