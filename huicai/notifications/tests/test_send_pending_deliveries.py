"""The sweep command: sends what is due — first tries the queue never ran, retries, abandoned sends."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from huicai.notifications.actions import MAX_ATTEMPTS, SENDING_LEASE, notify, send_delivery
from huicai.notifications.choices import SERVICE_RESULT, Channel, DeliveryStatus
from huicai.notifications.models import Delivery
from huicai.notifications.sms import SmsError

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def sweep(*args):
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("send_pending_deliveries", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def deliveries(world, settings):
    """li_ming's SMS, due now, and wang_fang's email, which failed 30 seconds ago and waits a minute."""
    world.wang_fang.email = "wang.fang@linyi-pharma.example"
    world.wang_fang.save(update_fields=["email"])
    earlier = NOW - datetime.timedelta(seconds=30)
    notify([world.li_ming_user, world.wang_fang], kind=SERVICE_RESULT, title="您的申请已办结", at=earlier)
    email = Delivery.objects.get(channel=Channel.EMAIL)
    settings.EMAIL_BACKEND = "huicai.notifications.tests.test_send_delivery.RefusingEmailBackend"
    send_delivery(email.pk, at=earlier)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return {d.channel: d for d in Delivery.objects.all()}


def test_it_sends_the_due_deliveries_and_leaves_the_others(deliveries, sms_outbox):
    output = sweep()

    assert len(sms_outbox) == 1
    assert Delivery.objects.get(pk=deliveries[Channel.SMS].pk).status == DeliveryStatus.SENT
    assert Delivery.objects.get(pk=deliveries[Channel.EMAIL].pk).status == DeliveryStatus.PENDING
    assert output.strip() == "已发送 1，待重试 0，失败 0，跳过 0，已被其他进程处理 0。"


def test_running_it_twice_sends_nothing_twice(deliveries, sms_outbox):
    sweep()
    sweep()

    assert len(sms_outbox) == 1


def test_it_respects_the_limit(world, sms_outbox):
    notify([world.li_ming_user], kind=SERVICE_RESULT, title="一", at=NOW)
    notify([world.li_ming_user], kind=SERVICE_RESULT, title="二", at=NOW + datetime.timedelta(seconds=1))

    sweep("--limit", "1")

    assert [m.text for m in sms_outbox] == ["一"]  # the oldest first


def test_a_send_abandoned_on_its_last_attempt_is_given_up(world, monkeypatch):
    at = NOW - datetime.timedelta(days=1)
    notify([world.li_ming_user], kind=SERVICE_RESULT, title="您的申请已办结", at=at)
    sms = Delivery.objects.get()
    attempts = []

    class FailingThenDyingGateway:
        def send(self, message):
            attempts.append(message)
            if len(attempts) < MAX_ATTEMPTS:
                raise SmsError("短信网关错误：HTTP 503")
            raise SystemExit(1)  # the worker is killed during the last allowed attempt

    monkeypatch.setattr("huicai.notifications.actions.get_sms_backend", FailingThenDyingGateway)
    with pytest.raises(SystemExit):
        while True:
            send_delivery(sms.pk, at=at)
            at = Delivery.objects.get(pk=sms.pk).next_attempt_at
    monkeypatch.undo()
    assert at + SENDING_LEASE <= NOW  # the lease of the dead worker has run out by the sweep

    output = sweep()

    sms.refresh_from_db()
    assert (sms.status, sms.next_attempt_at, sms.last_error) == (
        DeliveryStatus.FAILED,
        None,
        "最后一次发送中断，已放弃。",
    )
    assert "失败 1" in output


def test_a_limit_below_one_is_refused(db):
    with pytest.raises(CommandError, match="--limit 必须大于 0"):
        sweep("--limit", "0")
