"""send_delivery(): one worker's attempt at one email or SMS — claim, send, record, retry."""

import datetime
import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from huicai.notifications import sms
from huicai.notifications.actions import MAX_ATTEMPTS, SENDING_LEASE, notify, send_delivery
from huicai.notifications.choices import DEADLINE_WARNING, Channel, DeliveryStatus
from huicai.notifications.models import Delivery

MINUTE = datetime.timedelta(minutes=1)
WANG_FANG_EMAIL = "wang.fang@linyi-pharma.example"


class RefusingEmailBackend(BaseEmailBackend):
    """A mail server that refuses the recipient and, as real ones do, quotes the address in the error."""

    def send_messages(self, messages):
        address = messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused(
            {address: (550, f"5.1.1 <{address}>: mailbox unavailable".encode())}
        )


@pytest.fixture
def email_delivery(world):
    world.wang_fang.email = WANG_FANG_EMAIL
    world.wang_fang.save(update_fields=["email"])
    notify(
        [world.wang_fang],
        kind=DEADLINE_WARNING,
        title="办件即将到期",
        body="李明的出入境证件办理将于 3 月 5 日到期。",
        link="/talents/1/",
        at=world.at,
    )
    return Delivery.objects.get(channel=Channel.EMAIL)


@pytest.fixture
def sms_delivery(world):
    """An SMS to li_ming, whose only number is on his talent record."""
    notify(
        [world.li_ming_user], kind=DEADLINE_WARNING, title="您的申请即将到期", link="/talents/1/", at=world.at
    )
    return Delivery.objects.get(channel=Channel.SMS)


def test_an_email_carries_the_title_as_subject_and_the_full_link(email_delivery, world, settings):
    settings.HUICAI_BASE_URL = "https://huicai.linyi.example/"

    status = send_delivery(email_delivery.pk, at=world.at)

    assert status == DeliveryStatus.SENT
    (message,) = mail.outbox
    assert message.subject == "办件即将到期"
    assert message.to == [WANG_FANG_EMAIL]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert (
        message.body
        == "李明的出入境证件办理将于 3 月 5 日到期。\n\n详情请见：https://huicai.linyi.example/talents/1/"
    )
    email_delivery.refresh_from_db()
    assert (email_delivery.status, email_delivery.attempts, email_delivery.sent_at) == (
        DeliveryStatus.SENT,
        1,
        world.at,
    )
    assert email_delivery.next_attempt_at is None


def test_without_a_base_url_the_email_has_no_link(email_delivery, world, settings):
    settings.HUICAI_BASE_URL = ""

    send_delivery(email_delivery.pk, at=world.at)

    assert mail.outbox[0].body == "李明的出入境证件办理将于 3 月 5 日到期。"


def test_an_sms_goes_to_the_number_on_the_talent_record(sms_delivery, world, sms_outbox, settings):
    settings.HUICAI_BASE_URL = "https://huicai.linyi.example"

    send_delivery(sms_delivery.pk, at=world.at)

    (message,) = sms_outbox
    assert message.to == world.li_ming.mobile
    assert message.text == "您的申请即将到期 https://huicai.linyi.example/talents/1/"
    assert message.reference == f"huicai-delivery-{sms_delivery.pk}"


def test_the_users_own_mobile_comes_before_the_talent_records(sms_delivery, world, sms_outbox):
    world.li_ming_user.mobile = "13900002222"
    world.li_ming_user.save(update_fields=["mobile"])

    send_delivery(sms_delivery.pk, at=world.at)

    assert [m.to for m in sms_outbox] == ["13900002222"]


def test_a_second_worker_cannot_claim_a_delivery_being_sent(sms_delivery, world, sms_outbox, monkeypatch):
    second_worker = []

    class SlowGateway:
        def send(self, message):
            # While the first worker is still talking to the gateway, a second one picks the same delivery.
            second_worker.append(send_delivery(sms_delivery.pk, at=world.at + MINUTE))
            sms.outbox.append(message)

    monkeypatch.setattr("huicai.notifications.actions.get_sms_backend", SlowGateway)

    first_worker = send_delivery(sms_delivery.pk, at=world.at)

    assert (first_worker, second_worker) == (DeliveryStatus.SENT, [None])
    assert len(sms_outbox) == 1
    assert send_delivery(sms_delivery.pk, at=world.at + 2 * MINUTE) is None  # a sent delivery stays sent
    assert len(sms_outbox) == 1


def test_a_failed_sms_is_retried_after_1_5_15_60_and_240_minutes_then_given_up(
    sms_delivery, world, broken_sms, sms_outbox
):
    at = world.at
    waits = []

    while True:
        assert send_delivery(sms_delivery.pk, at=at - datetime.timedelta(seconds=1)) is None  # not yet due
        status = send_delivery(sms_delivery.pk, at=at)
        sms_delivery.refresh_from_db()
        if status != DeliveryStatus.PENDING:
            break
        waits.append((sms_delivery.next_attempt_at - at) / MINUTE)
        at = sms_delivery.next_attempt_at

    assert waits == [1, 5, 15, 60, 240]
    assert (sms_delivery.status, sms_delivery.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS)
    assert sms_delivery.last_error == "短信网关不可达：ConnectionRefusedError"
    assert sms_delivery.next_attempt_at is None
    assert send_delivery(sms_delivery.pk, at=at + datetime.timedelta(days=1)) is None


def test_a_retry_that_succeeds_is_sent_and_keeps_the_last_error(sms_delivery, world, settings, sms_outbox):
    settings.HUICAI_SMS_BACKEND = "huicai.notifications.tests.conftest.BrokenSms"
    send_delivery(sms_delivery.pk, at=world.at)
    settings.HUICAI_SMS_BACKEND = "huicai.notifications.sms.LocmemSmsBackend"

    status = send_delivery(sms_delivery.pk, at=world.at + MINUTE)

    sms_delivery.refresh_from_db()
    assert status == DeliveryStatus.SENT
    assert (sms_delivery.attempts, sms_delivery.sent_at) == (2, world.at + MINUTE)
    assert sms_delivery.last_error == "短信网关不可达：ConnectionRefusedError"
    assert len(sms_outbox) == 1


def test_a_message_the_gateway_refuses_is_not_retried(sms_delivery, world, monkeypatch):
    class RefusingGateway:
        def send(self, message):
            raise sms.SmsRejected("短信网关拒绝：HTTP 400")

    monkeypatch.setattr("huicai.notifications.actions.get_sms_backend", RefusingGateway)

    status = send_delivery(sms_delivery.pk, at=world.at)

    sms_delivery.refresh_from_db()
    assert status == DeliveryStatus.FAILED
    assert (sms_delivery.attempts, sms_delivery.last_error) == (1, "短信网关拒绝：HTTP 400")


def test_a_delivery_whose_address_was_removed_before_sending_is_skipped(email_delivery, world):
    world.wang_fang.email = ""
    world.wang_fang.save(update_fields=["email"])

    status = send_delivery(email_delivery.pk, at=world.at)

    email_delivery.refresh_from_db()
    assert status == DeliveryStatus.SKIPPED
    assert email_delivery.last_error == "接收人已没有可用的地址。"
    assert email_delivery.next_attempt_at is None
    assert mail.outbox == []


def test_a_delivery_to_an_account_closed_before_sending_is_skipped(sms_delivery, world, sms_outbox):
    world.li_ming_user.is_active = False
    world.li_ming_user.save(update_fields=["is_active"])

    assert send_delivery(sms_delivery.pk, at=world.at) == DeliveryStatus.SKIPPED
    assert sms_outbox == []


class DyingGateway:
    """The worker process is killed in the middle of the send."""

    def send(self, message):
        raise SystemExit(1)


def test_a_delivery_whose_worker_died_is_taken_over_once_the_lease_runs_out(
    sms_delivery, world, sms_outbox, monkeypatch
):
    monkeypatch.setattr("huicai.notifications.actions.get_sms_backend", DyingGateway)
    with pytest.raises(SystemExit):
        send_delivery(sms_delivery.pk, at=world.at)
    monkeypatch.undo()

    before_lease_ends = send_delivery(sms_delivery.pk, at=world.at + SENDING_LEASE - MINUTE)
    after_lease_ends = send_delivery(sms_delivery.pk, at=world.at + SENDING_LEASE)

    sms_delivery.refresh_from_db()
    assert (before_lease_ends, after_lease_ends) == (None, DeliveryStatus.SENT)
    assert sms_delivery.attempts == 2
    assert len(sms_outbox) == 1


def test_a_worker_that_outlived_its_lease_does_not_overwrite_the_result_of_the_one_that_took_over(
    sms_delivery, world, sms_outbox, monkeypatch
):
    class StalledGateway:
        def send(self, message):
            # Stalled past the lease; meanwhile another worker takes the delivery over and sends it.
            monkeypatch.setattr("huicai.notifications.actions.get_sms_backend", sms.LocmemSmsBackend)
            send_delivery(sms_delivery.pk, at=world.at + SENDING_LEASE + MINUTE)
            raise sms.SmsError("短信网关超时")

    monkeypatch.setattr("huicai.notifications.actions.get_sms_backend", StalledGateway)

    stale = send_delivery(sms_delivery.pk, at=world.at)

    sms_delivery.refresh_from_db()
    assert stale is None
    assert (sms_delivery.status, sms_delivery.attempts, sms_delivery.last_error) == (
        DeliveryStatus.SENT,
        2,
        "",
    )
    assert len(sms_outbox) == 1


def test_errors_and_logs_never_hold_the_address_in_clear(email_delivery, world, settings, caplog):
    settings.EMAIL_BACKEND = "huicai.notifications.tests.test_send_delivery.RefusingEmailBackend"
    caplog.set_level(logging.INFO)

    send_delivery(email_delivery.pk, at=world.at)

    email_delivery.refresh_from_db()
    assert WANG_FANG_EMAIL not in email_delivery.last_error
    assert "w***@linyi-pharma.example" in email_delivery.last_error
    assert email_delivery.last_error.startswith("SMTPRecipientsRefused")
    assert len(email_delivery.last_error) <= 200
    assert WANG_FANG_EMAIL not in caplog.text
    assert "w***@linyi-pharma.example" in caplog.text


def test_a_number_quoted_by_a_failing_gateway_is_masked(sms_delivery, world, monkeypatch, caplog):
    number = world.li_ming.mobile

    class ChattyGateway:
        def send(self, message):
            raise RuntimeError(f"gateway said: number +86{number} is busy, also tried {number}")

    monkeypatch.setattr("huicai.notifications.actions.get_sms_backend", ChattyGateway)

    send_delivery(sms_delivery.pk, at=world.at)

    sms_delivery.refresh_from_db()
    masked = f"{number[:3]}****{number[-4:]}"
    assert number not in sms_delivery.last_error
    assert (
        sms_delivery.last_error
        == f"RuntimeError: gateway said: number +86{masked} is busy, also tried {masked}"
    )
    assert number not in caplog.text
