"""The city and the windows acting at once: one objection waiting per result, one answer per objection, one
computation per period, and no adjustment lost. Real concurrent transactions, so PostgreSQL only (SQLite
serialises writers, which the same actions rely on there)."""

import threading

import pytest
from django.db import connection

from huicai.grading import actions
from huicai.grading.models import Evaluation, GradingEvent, Objection
from huicai.grading.tests.conftest import evaluate, result_of

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
        except actions.GradingError as error:
            outcomes[index] = type(error).__name__
        except Exception as error:  # a Conflict of the kernel (two first computations)
            outcomes[index] = type(error).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_objections_at_once_leave_one_waiting(g, published):
    result = result_of(published, g.luozhuang)

    def object_():
        actions.file_objection(result, reason="不服", by=g.gao_feng, at=g.at)

    outcomes = race(object_, object_)

    assert sorted(outcomes) == ["InvalidTransition", "ok"]
    assert Objection.objects.count() == 1


def test_two_answers_at_once_answer_once(g, published):
    objection = actions.file_objection(
        result_of(published, g.luozhuang), reason="不服", by=g.gao_feng, at=g.at
    )

    def answer(upheld):
        return lambda: actions.answer_objection(
            objection, upheld=upheld, answer="答复", by=g.world.zhou_min, at=g.at
        )

    outcomes = race(answer(True), answer(False))

    assert sorted(outcomes) == ["InvalidTransition", "ok"]
    assert GradingEvent.objects.filter(action="answer").count() == 1


def test_two_first_computations_of_a_period_make_one_evaluation(g):
    outcomes = race(lambda: evaluate(g), lambda: evaluate(g))

    assert "ok" in outcomes
    assert Evaluation.objects.count() == 1


def test_two_adjustments_from_the_same_copy_keep_one_and_refuse_the_other(g):
    result = result_of(evaluate(g), g.luozhuang)

    def adjust(score):
        return lambda: actions.adjust_result(
            result, score=score, reason="复核", expected_version=result.version, by=g.world.zhou_min, at=g.at
        )

    outcomes = race(adjust("61"), adjust("62"))

    assert sorted(outcomes) == ["StaleVersion", "ok"]
