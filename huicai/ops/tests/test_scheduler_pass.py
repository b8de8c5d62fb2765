"""One pass of the real scheduler (``manage.py run_scheduler --once``, with the schedule the apps declare)
over a database with due work: every periodic duty is done without anyone calling it.

Tuesday 2026-03-10, 10:00 in Linyi, a working morning. li_ming's 落户 task (3 working days from Monday
2 March) was due on Thursday 5 March; his 子女入学 task (5 working days from Wednesday 4 March) is due
tomorrow; he has an appointment tomorrow; his 12345 order was completed; the 兰山区 check-in round opened
yesterday is unanswered.
"""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import F

from huicai.casework import actions as casework
from huicai.casework.choices import RUNNING_STATUSES, Source
from huicai.casework.models import Task
from huicai.casework.tests.conftest import prepare
from huicai.core.models import ScheduledJob
from huicai.directservices import actions as directservices
from huicai.directservices.tests.conftest import book
from huicai.hotlines.choices import DeliveryStatus
from huicai.hotlines.models import OutboundDelivery
from huicai.hotlines.tests.conftest import SECRET_12345
from huicai.hotlines.tests.test_results import StubHotline
from huicai.notifications.choices import APPOINTMENT_REMINDER
from huicai.notifications.models import Notification
from huicai.ops.management.commands import run_scheduler
from huicai.outreach.actions import open_checkin_round
from huicai.outreach.choices import CHECKIN_CHASE
from huicai.schedule import all_jobs
from huicai.supervision.models import Card

LINYI = datetime.timezone(datetime.timedelta(hours=8))


def local(day, hour=10):
    return datetime.datetime(2026, 3, day, hour, 0, tzinfo=LINYI)


def accepted(case, item, *, by, at):
    application = prepare(case, [item], at=at)
    casework.submit_application(application, by=case.world.wang_fang, at=at)
    return casework.accept_task(application.tasks.get(), by=by, at=at)


@pytest.fixture(autouse=True)
def _keep_the_test_transaction(monkeypatch):
    """The command closes stale connections between passes, as a long-running process must; inside a
    test's transaction on PostgreSQL that would close the test's own connection (Django's test client
    unhooks the same call from its request signals)."""
    monkeypatch.setattr(run_scheduler, "close_old_connections", lambda: None)


@pytest.fixture
def hotline(settings):
    with StubHotline() as stub:
        settings.HUICAI_HOTLINE_12345_SECRET = SECRET_12345
        settings.HUICAI_HOTLINE_12345_CALLBACK_URL = stub.url
        yield stub


@pytest.fixture
def due_work(case, direct):
    world = case.world
    overdue = accepted(case, case.hukou, by=case.police, at=world.at)
    due_tomorrow = accepted(case, case.school, by=case.school_commissioner, at=local(4))
    appointment = book(direct, start=local(11), at=local(9))
    directservices.confirm_appointment(appointment, by=world.zhao_qiang, at=local(9))
    order = casework.open_hotline_case(
        talent=world.li_ming,
        source=Source.HOTLINE_12345,
        external_ref="12345-2026-000777",
        content="来电咨询人才公寓申请进度",
        service_item=case.housing,
        by=world.admin,
        at=local(5),
    )
    task = casework.accept_task(order.tasks.get(), by=case.housing_commissioner, at=local(5))
    casework.complete_task(task, result="handled", note="已配租。", by=case.housing_commissioner, at=local(6))
    open_checkin_round(window=world.windows["兰山区"], title="三月状态调度", by=world.chen_jing, at=local(9))
    return overdue, due_tomorrow, appointment


def test_one_pass_of_the_scheduler_does_every_due_duty(case, due_work, hotline):
    world = case.world
    overdue, due_tomorrow, appointment = due_work

    with time_machine.travel(local(10), tick=False):
        call_command("run_scheduler", "--once")

    assert Card.objects.filter(task=overdue, colour="red").count() == 1
    assert Card.objects.filter(task=due_tomorrow, colour="yellow").count() == 1
    appointment.refresh_from_db()
    assert appointment.reminded_at == local(10)
    reminded = Notification.objects.filter(kind=APPOINTMENT_REMINDER).values_list(
        "recipient__username", flat=True
    )
    assert sorted(reminded) == ["li_ming", "wang_fang", "zhao_qiang"]
    assert len(hotline.requests) == 1
    assert b"12345-2026-000777" in hotline.requests[0]["body"]
    assert OutboundDelivery.objects.get().status == DeliveryStatus.SENT
    assert Notification.objects.filter(kind=CHECKIN_CHASE, recipient=world.wang_fang).count() == 1
    jobs = ScheduledJob.objects.in_bulk(field_name="name")
    assert set(jobs) == {job.name for job in all_jobs()}
    assert all(job.last_error == "" for job in jobs.values())


def test_a_second_pass_the_same_morning_repeats_nothing(case, due_work, hotline):
    with time_machine.travel(local(10), tick=False):
        call_command("run_scheduler", "--once")
    cards, notices = Card.objects.count(), Notification.objects.count()

    with time_machine.travel(local(10) + datetime.timedelta(minutes=5), tick=False):
        call_command("run_scheduler", "--once")

    assert (Card.objects.count(), Notification.objects.count()) == (cards, notices)
    assert len(hotline.requests) == 1


def uncarded_overdue_tasks(today):
    return (
        Task.objects.filter(status__in=RUNNING_STATUSES, deadline__is_open=True, deadline__due_date__lt=today)
        .exclude(supervision_cards__colour="red", supervision_cards__due_date=F("deadline__due_date"))
        .values_list("pk", flat=True)
    )


def test_on_the_demo_one_pass_of_a_working_morning_cards_every_task_gone_overdue(db, settings):
    """What `make run` does on a clean clone, two weeks on: the demo's running tasks have passed their
    dates since it was loaded, and the first pass of a working morning shows each of them red."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with time_machine.travel(local(10), tick=False):
        call_command("load_demo", "--allow-demo-accounts", verbosity=0)
    two_weeks_on = local(24)
    overdue = list(uncarded_overdue_tasks(two_weeks_on.date()))

    with time_machine.travel(two_weeks_on, tick=False):
        call_command("run_scheduler", "--once")

    assert overdue
    assert list(uncarded_overdue_tasks(two_weeks_on.date())) == []
    assert Card.objects.filter(task__in=overdue, colour="red", issued_at=two_weeks_on).count() == len(overdue)
