"""Two pushes of one order arriving at once: one case, and the loser answered as the repeat it is. Real
concurrent transactions, so PostgreSQL only (SQLite serialises writers)."""

import json
import threading

import pytest
from django.db import connection

from huicai.casework.models import Application
from huicai.hotlines import actions
from huicai.hotlines.models import InboundOrder
from huicai.hotlines.tests.conftest import order
from huicai.hotlines.webhooks import Envelope, Refused

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]


def race(*envelopes, at):
    """Receive each envelope in its own thread and connection, released together; return each outcome."""
    barrier = threading.Barrier(len(envelopes))
    outcomes = [None] * len(envelopes)

    def run(index, envelope):
        barrier.wait()
        try:
            _order, created = actions.receive_order(envelope=envelope, at=at)
            outcomes[index] = "created" if created else "repeat"
        except Refused as refusal:
            outcomes[index] = refusal.code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, e)) for i, e in enumerate(envelopes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def envelope(world, webhook_id):
    return Envelope("12345", webhook_id, 0, json.dumps(order(world)).encode())


def test_the_same_order_under_two_webhook_ids_at_once_makes_one_case(case):
    world = case.world

    outcomes = race(envelope(world, "msg-a"), envelope(world, "msg-b"), at=world.at)

    assert sorted(outcomes) == ["created", "repeat"]
    assert (Application.objects.count(), InboundOrder.objects.count()) == (1, 1)


def test_the_same_message_twice_at_once_is_acted_on_once(case):
    world = case.world

    outcomes = race(envelope(world, "msg-same"), envelope(world, "msg-same"), at=world.at)

    assert sorted(outcomes) == ["created", "replayed"]
    assert Application.objects.count() == 1


def test_the_same_rating_under_two_webhook_ids_at_once_is_recorded_once(case):
    from huicai.casework import actions as casework
    from huicai.casework.models import Task
    from huicai.hotlines.models import InboundRating
    from huicai.ratings.models import Rating

    world = case.world
    actions.receive_order(envelope=envelope(world, "msg-order"), at=world.at)
    task = casework.accept_task(Task.objects.get(), by=world.zhao_qiang, at=world.at)
    casework.complete_task(task, result="handled", by=world.zhao_qiang, at=world.at)
    body = json.dumps({"order_id": order(world)["order_id"], "level": "满意"}).encode()
    barrier = threading.Barrier(2)
    outcomes = []

    def run(webhook_id):
        barrier.wait()
        try:
            _rating, created = actions.receive_rating(
                envelope=Envelope("12345", webhook_id, 0, body), at=world.at
            )
            outcomes.append("created" if created else "repeat")
        except Refused as refusal:
            outcomes.append(refusal.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("msg-r1", "msg-r2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["created", "repeat"]
    assert (Rating.objects.count(), InboundRating.objects.count()) == (1, 1)
