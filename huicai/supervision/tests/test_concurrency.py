"""Several schedulers sweeping at once: each card is issued, and each person told, exactly once; a round is
chased once a day. Real concurrent transactions, so PostgreSQL only (SQLite serialises writers by its
IMMEDIATE transactions)."""

import threading

import pytest
from django.db import connection

from huicai.casework.choices import Stage
from huicai.notifications.choices import DEADLINE_WARNING
from huicai.notifications.models import Notification
from huicai.supervision import actions
from huicai.supervision.choices import ROUND_NOTICE
from huicai.supervision.jobs import chase_rounds, issue_cards
from huicai.supervision.models import Card, OrderEvent
from huicai.supervision.tests.conftest import accepted_task, local, submitted_task

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]


def race(*calls):
    """Run each call in its own thread and connection, released together; return each result."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # a failure must fail the test, not vanish with its thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_four_concurrent_sweeps_issue_each_card_and_each_notice_once(case, police_head):
    world = case.world
    accepted_task(case)  # due Thursday 2026-03-05: red on Friday
    accepted_task(case, items=[case.school])  # 5 working days: due Monday 2026-03-09, yellow on Friday
    overdue_order_task = accepted_task(case, items=[case.housing])
    order = actions.raise_order(
        overdue_order_task, content="请说明进展", due_in_days=1, by=world.chen_jing, at=world.at
    )
    friday = local(2026, 3, 6)

    results = race(*[lambda: issue_cards(at=friday)] * 4)

    assert Card.objects.count() == 3
    assert sum(result["red"] for result in results) == 1
    assert sum(result["yellow"] for result in results) == 1
    assert sum(result["order_red"] for result in results) == 1
    assert OrderEvent.objects.filter(order=order, action="overdue").count() == 1
    # 市公安局: commissioner, head and window told once of the red card; the others once each.
    assert Notification.objects.filter(recipient=world.zhao_qiang, kind=DEADLINE_WARNING).count() == 1
    assert Notification.objects.filter(recipient=police_head, kind=DEADLINE_WARNING).count() == 1
    assert Notification.objects.filter(recipient=case.school_commissioner, kind=DEADLINE_WARNING).count() == 1
    assert (
        Notification.objects.filter(recipient=case.housing_commissioner, kind=DEADLINE_WARNING).count() == 1
    )
    assert Notification.objects.filter(recipient=world.chen_jing, kind=DEADLINE_WARNING).count() == 3
    assert not Card.objects.filter(notified_at__isnull=True).exists()


def test_two_concurrent_chases_tell_each_department_once(case):
    world = case.world
    accepted_task(case)
    accepted_task(case, items=[case.school])
    actions.open_round(
        window=world.windows["兰山区"],
        title="三月调度",
        answer_due_date=local(2026, 3, 4).date(),
        by=world.chen_jing,
        at=world.at,
    )
    tuesday = local(2026, 3, 3)
    before = Notification.objects.filter(kind=ROUND_NOTICE).count()

    results = race(lambda: chase_rounds(at=tuesday), lambda: chase_rounds(at=tuesday))

    assert sorted(result["departments_chased"] for result in results) == [0, 2]
    assert Notification.objects.filter(kind=ROUND_NOTICE).count() - before == 2


@pytest.mark.postgres
def test_two_concurrent_sweeps_issue_a_stage_card_and_its_notices_once(case, police_head):
    world = case.world
    submitted_task(case)  # Monday: the department's acceptance is due Tuesday 3 March
    wednesday = local(2026, 3, 4)

    results = race(lambda: issue_cards(at=wednesday), lambda: issue_cards(at=wednesday))

    assert Card.objects.filter(clock__stage=Stage.ACCEPTANCE).count() == 1
    assert sorted(result["stage_red"] for result in results) == [0, 1]
    assert Notification.objects.filter(recipient=world.zhao_qiang, kind=DEADLINE_WARNING).count() == 1
    assert Notification.objects.filter(recipient=police_head, kind=DEADLINE_WARNING).count() == 1
    assert Notification.objects.filter(recipient=world.chen_jing, kind=DEADLINE_WARNING).count() == 1
