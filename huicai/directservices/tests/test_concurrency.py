"""Two confirmations of overlapping slots for one post at the same moment: one wins, the other is refused
with the double-booking message. Real concurrent transactions, so PostgreSQL only (SQLite serialises
writers by its IMMEDIATE transactions)."""

import datetime
import threading

import pytest
from django.db import connection

from huicai.directservices import actions
from huicai.directservices.models import Appointment
from huicai.directservices.tests.conftest import another_card, book, local

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]


def race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            call()
            outcomes[index] = "ok"
        except actions.DirectServiceError as error:
            outcomes[index] = error.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_overlapping_confirmations_at_once_leave_one_confirmed(direct):
    world = direct.world
    another_card(
        world,
        world.liu_yang,
        "YM2026000052",
        issued=datetime.date(2026, 2, 1),
        until=datetime.date(2029, 1, 31),
    )
    post = world.chen_jing.posts.get()
    first = book(direct, start=local(2026, 3, 4, 10), post=post, item=direct.airport)
    second = book(
        direct,
        start=local(2026, 3, 4, 10, 15),
        post=post,
        item=direct.airport,
        by=world.qian_hui,
        talent=world.liu_yang,
    )

    outcomes = race(
        lambda: actions.confirm_appointment(first, by=world.chen_jing, at=world.at),
        lambda: actions.confirm_appointment(second, by=world.chen_jing, at=world.at),
    )

    assert sorted(outcomes, key=len)[0] == "ok"
    assert "同一专员不能重复预约" in sorted(outcomes, key=len)[1]
    assert Appointment.objects.filter(status="confirmed").count() == 1
