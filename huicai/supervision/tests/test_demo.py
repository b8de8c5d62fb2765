"""The demo after casework's: the cards the sweep issues, one 督办 from the 兰山区 window to 市公安局, one open
scheduling round; loading it again neither fails nor duplicates."""

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from huicai.casework.models import Task
from huicai.notifications.choices import DEADLINE_WARNING
from huicai.notifications.models import Notification
from huicai.supervision import demo
from huicai.supervision.choices import CardColour, OrderStatus, RoundStatus
from huicai.supervision.models import Card, Round, SupervisionOrder
from huicai.supervision.tests.conftest import local
from huicai.testing import kept_for_the_module


@pytest.fixture(scope="module")
def loaded_for_the_module(django_db_setup, django_db_blocker):
    # A Sunday night: the demo's sweep runs at 10:00 on the next working day. Loaded once for the module.
    with time_machine.travel(local(2026, 3, 8, 23, 0), tick=False), kept_for_the_module(django_db_blocker):
        call_command("load_demo", "--allow-demo-accounts", verbosity=0)
        demo.load_demo(at=timezone.now())
        yield


@pytest.fixture
def loaded(loaded_for_the_module, db):
    pass


def test_the_demo_issues_the_sweeps_cards_an_order_and_an_open_round(loaded):
    overdue = Task.objects.get(department__short_name="市公安局", status="accepted", extensions__isnull=True)

    red = Card.objects.get(task=overdue, colour=CardColour.RED, order__isnull=True)
    order = SupervisionOrder.objects.get()
    round_ = Round.objects.get()

    assert red.issued_on.isoformat() == "2026-03-09"
    assert Notification.objects.filter(recipient__username="dept", kind=DEADLINE_WARNING).exists()
    assert (order.task, order.status, order.raised_by.username) == (overdue, OrderStatus.OPEN, "window")
    assert order.task.department.posts.filter(user__username="dept").exists()
    assert (round_.status, round_.opened_by.username, round_.window) == (
        RoundStatus.OPEN,
        "window",
        order.window,
    )
    assert round_.entries.filter(task=overdue).exists()


def test_loading_the_demo_again_adds_nothing(loaded):
    before = (Card.objects.count(), SupervisionOrder.objects.count(), Round.objects.count())

    with time_machine.travel(local(2026, 3, 8, 23, 30), tick=False):
        demo.load_demo(at=timezone.now())

    assert (Card.objects.count(), SupervisionOrder.objects.count(), Round.objects.count()) == before


def test_the_demo_has_an_overdue_stage_the_first_sweep_cards_red(loaded):
    stage_cards = Card.objects.filter(clock__isnull=False, colour=CardColour.RED)

    assert stage_cards.exists()
    assert {card.issued_on.isoformat() for card in stage_cards} == {"2026-03-09"}
    assert all(card.clock.due_date < card.issued_on for card in stage_cards)
