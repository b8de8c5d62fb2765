"""Two commissioners acting on one task at once: one succeeds, the other gets a clear conflict, and
nothing is lost or half-written. Real concurrent transactions, so PostgreSQL only (SQLite serialises
writers by its IMMEDIATE transactions, which the same actions rely on there)."""

import threading

import pytest
from django.db import connection

from huicai.casework import actions
from huicai.casework.choices import TaskStatus
from huicai.casework.models import CaseEvent, Task

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
        except actions.CaseworkError as error:
            outcomes[index] = type(error).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def pending_task(case):
    from huicai.casework.tests.conftest import prepare

    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    return application.tasks.get()


def test_accept_and_return_at_once_one_wins_and_the_other_is_refused(case, pending_task):
    from huicai.commissioners.actions import appoint_commissioner
    from huicai.testing import make_user

    world = case.world
    colleague = make_user("police_2", "第二位公安专员")
    appoint_commissioner(
        user=colleague,
        kind="department",
        organisation=world.departments["市公安局"],
        by=world.admin,
        at=world.at,
    )

    outcomes = race(
        lambda: actions.accept_task(pending_task, by=case.police, at=world.at),
        lambda: actions.return_task(pending_task, reason="误派", by=colleague, at=world.at),
    )

    task = Task.objects.get(pk=pending_task.pk)
    assert sorted(outcomes) == ["InvalidTransition", "ok"]
    assert task.status in (TaskStatus.ACCEPTED, TaskStatus.RETURNED)
    assert task.version == 2
    assert CaseEvent.objects.filter(task=task).exclude(action="submit").count() == 1
    if task.status == TaskStatus.ACCEPTED:
        assert task.deadline is not None
    else:
        assert task.deadline is None


def test_two_extensions_from_the_same_version_one_is_a_conflict(case, pending_task):
    import datetime

    world = case.world
    task = actions.accept_task(pending_task, by=case.police, at=world.at)
    seen = task.version

    outcomes = race(
        *[
            (
                lambda date=date: actions.extend_task(
                    task,
                    new_due_date=date,
                    reason="协查",
                    explanation="已说明",
                    explained_via="direct",
                    by=case.police,
                    at=world.at,
                    expected_version=seen,
                )
            )
            for date in (datetime.date(2026, 3, 10), datetime.date(2026, 3, 11))
        ]
    )

    task.refresh_from_db()
    assert sorted(outcomes) == ["StaleVersion", "ok"]
    assert task.extensions.count() == 1
    assert task.deadline.changes.count() == 1
    assert task.deadline.due_date == task.extensions.get().new_due_date
