"""The Tasks API side: what is queued, in what batches, and when a retry is queued to run."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from huicai.notifications.actions import BATCH_SIZE, enqueue_deliveries, notify, send_delivery
from huicai.notifications.choices import SERVICE_RESULT, Channel, DeliveryStatus
from huicai.notifications.models import Delivery
from huicai.notifications.tasks import send_deliveries
from huicai.testing import make_user


@pytest.fixture
def crowd(world):
    return [make_user(f"staff{i}", f"工作人员{i}", email=f"staff{i}@example.gov.cn") for i in range(60)]


def test_a_large_notification_is_queued_in_batches(
    crowd, world, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(crowd, kind="policy_published", title="新政策", at=world.at)

    assert [len(result.args[0]) for result in queued_tasks.results] == [BATCH_SIZE, 60 - BATCH_SIZE]
    queued = sorted(pk for result in queued_tasks.results for pk in result.args[0])
    assert queued == sorted(Delivery.objects.values_list("pk", flat=True))


def test_the_task_sends_each_delivery_and_reports_the_outcome(crowd, world):
    notify(crowd[:3], kind="policy_published", title="新政策", at=world.at)
    ids = list(Delivery.objects.values_list("pk", flat=True))

    outcome = send_deliveries.call(ids + ids[:1])

    assert outcome == {DeliveryStatus.SENT: 3, "not_claimed": 1}
    assert len(mail.outbox) == 3


def test_with_the_immediate_backend_the_deliveries_go_out_at_commit(
    world, immediate_tasks, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify([world.li_ming_user], kind=SERVICE_RESULT, title="您的申请已办结", at=world.at)

    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert len(sms_outbox) == 1


def test_a_failed_attempt_is_queued_again_to_run_when_its_wait_is_over(world, queued_tasks, broken_sms):
    notify([world.li_ming_user], kind=SERVICE_RESULT, title="您的申请已办结", at=world.at)
    delivery = Delivery.objects.get(channel=Channel.SMS)

    send_delivery(delivery.pk, at=world.at)

    delivery.refresh_from_db()
    (retry,) = queued_tasks.results
    assert retry.args == [[delivery.pk]]
    assert retry.task.run_after == delivery.next_attempt_at


def test_a_backend_that_cannot_defer_leaves_the_retry_to_the_sweep(world, immediate_tasks, broken_sms):
    notify([world.li_ming_user], kind=SERVICE_RESULT, title="您的申请已办结", at=world.at)
    delivery = Delivery.objects.get(channel=Channel.SMS)

    status = send_delivery(delivery.pk, at=world.at)  # the immediate backend would otherwise raise

    delivery.refresh_from_db()
    assert status == DeliveryStatus.PENDING
    assert delivery.attempts == 1


def test_enqueueing_never_raises_even_when_the_queue_is_down(world, broken_queue, caplog):
    enqueue_deliveries([1, 2, 3])

    assert "Could not enqueue 3 deliveries" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_and_its_worker_send_the_deliveries(world, settings, sms_outbox):
    """End to end on the production backend: notify() in a committed transaction, then `db_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with transaction.atomic():
        notify([world.li_ming_user], kind=SERVICE_RESULT, title="您的申请已办结", at=world.at)
    assert DBTaskResult.objects.get().task_path == "huicai.notifications.tasks.send_deliveries"

    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)

    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert [m.text for m in sms_outbox] == ["您的申请已办结"]
