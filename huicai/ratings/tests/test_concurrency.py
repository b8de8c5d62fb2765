"""Raters and the department acting at once: one rectification per service, one answer per step.
Real concurrent transactions, so PostgreSQL only (SQLite serialises writers by its IMMEDIATE transactions,
which the same actions rely on there)."""

import threading

import pytest
from django.db import connection

from huicai.ratings import actions
from huicai.ratings.choices import ResponseKind
from huicai.ratings.models import Rating, Rectification, RectificationEvent
from huicai.ratings.tests.conftest import OFFLINE_BAD, completed_task, later

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
        except actions.RatingError as error:
            outcomes[index] = type(error).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_the_talent_and_the_unit_commissioner_rating_badly_at_once_open_one_rectification(case):
    world = case.world
    task = completed_task(case)

    def bad(by):
        return lambda: actions.rate_service(
            task=task, mode="offline", scores=OFFLINE_BAD, comment="不满意。", by=by, at=later(world, days=1)
        )

    outcomes = race(bad(world.li_ming_user), bad(world.wang_fang))

    assert outcomes == ["ok", "ok"]
    assert Rating.objects.count() == 2
    rectification = Rectification.objects.get()
    assert set(Rating.objects.values_list("rectification", flat=True)) == {rectification.pk}


def test_the_same_rater_twice_at_once_records_one_rating(case):
    world = case.world
    task = completed_task(case)

    def bad():
        return actions.rate_service(
            task=task,
            mode="offline",
            scores=OFFLINE_BAD,
            comment="不满意。",
            by=world.li_ming_user,
            at=later(world, days=1),
        )

    outcomes = race(bad, bad)

    assert sorted(outcomes) == ["InvalidTransition", "ok"]
    assert Rating.objects.count() == 1
    assert Rectification.objects.count() == 1


def test_two_department_commissioners_answering_at_once_one_wins(case):
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
    task = completed_task(case)
    rectification = actions.rate_service(
        task=task,
        mode="offline",
        scores=OFFLINE_BAD,
        comment="不满意。",
        by=world.li_ming_user,
        at=later(world, days=1),
    ).rectification

    def answer(by):
        return lambda: actions.respond_rectification(
            rectification, kind=ResponseKind.IMMEDIATE, note="已整改。", by=by, at=later(world, days=2)
        )

    outcomes = race(answer(world.zhao_qiang), answer(colleague))

    assert sorted(outcomes) == ["InvalidTransition", "ok"]
    assert RectificationEvent.objects.filter(rectification=rectification, action="respond").count() == 1
