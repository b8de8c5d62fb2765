"""notify(): the inbox row, the email and SMS deliveries written with it, and what happens after the
caller's commit (or rollback)."""

import datetime

import pytest
from django.core import mail
from django.db import transaction

from huicai.accounts.models import User
from huicai.notifications.actions import notify
from huicai.notifications.choices import DEADLINE_WARNING, SERVICE_RESULT, SMS_KINDS, Channel, DeliveryStatus
from huicai.notifications.models import Delivery, Notification
from huicai.talents.actions import issue_card
from huicai.talents.choices import CardKind
from huicai.talents.models import TalentCard
from huicai.testing import make_user


def channels_of(user):
    return sorted(Delivery.objects.filter(notification__recipient=user).values_list("channel", flat=True))


def test_each_recipient_gets_one_inbox_row_however_often_they_are_listed(world):
    recipients = [world.wang_fang, None, world.chen_jing, world.wang_fang]

    created = notify(recipients, kind="policy_published", title="新政策", link="/policies/1/", at=world.at)

    assert [n.recipient for n in created] == [world.wang_fang, world.chen_jing]
    assert Notification.objects.filter(recipient=world.wang_fang).count() == 1


def test_every_kind_goes_by_email_to_recipients_with_an_email_address(world):
    world.wang_fang.email = "wang.fang@linyi-pharma.example"
    world.wang_fang.save(update_fields=["email"])

    notify([world.wang_fang, world.chen_jing], kind="catalogue.filed", title="事项报备", at=world.at)

    delivery = Delivery.objects.get()
    assert (delivery.notification.recipient, delivery.channel) == (world.wang_fang, Channel.EMAIL)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        DeliveryStatus.PENDING,
        0,
        world.at,
    )
    assert channels_of(world.chen_jing) == []


def test_only_the_sms_kinds_go_by_sms(world):
    world.zhao_qiang.mobile = "13900001111"
    world.zhao_qiang.save(update_fields=["mobile"])
    assert "policy_published" not in SMS_KINDS

    notify([world.zhao_qiang, world.li_ming_user], kind="policy_published", title="新政策", at=world.at)

    assert Delivery.objects.count() == 0


def test_sms_goes_to_the_users_own_mobile_or_else_to_their_talent_records(world):
    world.zhao_qiang.mobile = "13900001111"
    world.zhao_qiang.save(update_fields=["mobile"])
    recipients = [world.zhao_qiang, world.li_ming_user, world.chen_jing]

    notify(recipients, kind=DEADLINE_WARNING, title="办件即将到期", at=world.at)

    assert channels_of(world.zhao_qiang) == [Channel.SMS]
    assert channels_of(world.li_ming_user) == [Channel.SMS]  # his talent record has 138…
    assert channels_of(world.chen_jing) == []  # neither email nor mobile: the inbox only
    assert Notification.objects.filter(recipient=world.chen_jing).count() == 1


def test_an_inactive_account_gets_the_inbox_row_but_no_email_or_sms(world):
    world.wang_fang.email = "wang.fang@linyi-pharma.example"
    world.wang_fang.is_active = False
    world.wang_fang.save(update_fields=["email", "is_active"])

    notify([world.wang_fang], kind=SERVICE_RESULT, title="办理结果", at=world.at)

    assert Notification.objects.filter(recipient=world.wang_fang).count() == 1
    assert Delivery.objects.count() == 0


def test_notifying_thirty_people_costs_the_same_queries_as_notifying_one(world, django_assert_num_queries):
    crowd = [
        make_user(f"staff{i}", f"工作人员{i}", email=f"staff{i}@example.gov.cn", mobile=f"1390000{i:04d}")
        for i in range(30)
    ]
    crowd = list(User.objects.filter(pk__in=[u.pk for u in crowd]))  # as a caller would load them
    one = [world.li_ming_user]

    # savepoint, inbox insert, talents' numbers, deliveries insert, release
    with django_assert_num_queries(5):
        notify(one, kind=SERVICE_RESULT, title="办理结果", at=world.at)
    with django_assert_num_queries(5):
        notify(crowd + one, kind=SERVICE_RESULT, title="办理结果", at=world.at)

    assert Delivery.objects.filter(channel=Channel.EMAIL).count() == 30
    assert Delivery.objects.filter(channel=Channel.SMS).count() == 31 + 1


def test_a_kind_without_sms_for_people_without_email_adds_no_query(world, django_assert_num_queries):
    # Other apps' query budgets were counted before deliveries existed: savepoint, insert, release.
    with django_assert_num_queries(3):
        notify([world.chen_jing, world.zhou_min], kind="catalogue.filed", title="事项报备", at=world.at)


def test_the_deliveries_are_queued_only_when_the_caller_commits(
    world, queued_tasks, django_capture_on_commit_callbacks
):
    world.wang_fang.email = "wang.fang@linyi-pharma.example"
    world.wang_fang.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notify([world.wang_fang, world.li_ming_user], kind=SERVICE_RESULT, title="办理结果", at=world.at)
            assert queued_tasks.results == []

    (queued,) = queued_tasks.results
    assert queued.task.name == "send_deliveries"
    assert sorted(queued.args[0]) == sorted(Delivery.objects.values_list("pk", flat=True))
    assert Delivery.objects.count() == 2


# --- Real commits: the caller's transaction and the sending are really separate. ---


@pytest.fixture
def result_recipients(world):
    world.wang_fang.email = "wang.fang@linyi-pharma.example"
    world.wang_fang.save(update_fields=["email"])
    return [world.li_ming_user, world.wang_fang]


def issue_card_and_tell(world, recipients):
    """A caller's transition: a card is issued and the talent and his unit commissioner are told."""
    with transaction.atomic():
        card = issue_card(
            world.li_ming,
            kind=CardKind.SHANDONG,
            number="SD2026000042",
            issued_date=datetime.date(2026, 3, 1),
            valid_until_date=datetime.date(2029, 2, 28),
            by=world.chen_jing,
            at=world.at,
        )
        notify(recipients, kind=SERVICE_RESULT, title="山东惠才卡已办结", link="/talents/", at=world.at)
    return card


@pytest.mark.django_db(transaction=True)
def test_after_the_commit_the_email_and_the_sms_are_sent(
    world, result_recipients, immediate_tasks, sms_outbox
):
    issue_card_and_tell(world, result_recipients)

    assert [m.to for m in sms_outbox] == [world.li_ming.mobile]
    assert [m.to for m in mail.outbox] == [["wang.fang@linyi-pharma.example"]]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transition_sends_nothing(world, result_recipients, immediate_tasks, sms_outbox):
    with pytest.raises(RuntimeError), transaction.atomic():
        issue_card_and_tell(world, result_recipients)
        raise RuntimeError("the caller changes its mind")

    assert not TalentCard.objects.filter(number="SD2026000042").exists()
    assert Notification.objects.count() == 0
    assert Delivery.objects.count() == 0
    assert sms_outbox == []
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_failing_sms_gateway_neither_blocks_nor_undoes_the_transition(
    world, result_recipients, immediate_tasks, broken_sms
):
    issue_card_and_tell(world, result_recipients)

    assert TalentCard.objects.filter(number="SD2026000042").exists()
    assert Notification.objects.filter(recipient=world.li_ming_user, title="山东惠才卡已办结").exists()
    sms = Delivery.objects.get(channel=Channel.SMS)
    assert sms.status == DeliveryStatus.PENDING
    assert sms.is_retrying
    assert sms.attempts == 1
    assert sms.last_error == "短信网关不可达：ConnectionRefusedError"
    assert sms.next_attempt_at is not None
    assert Delivery.objects.get(channel=Channel.EMAIL).status == DeliveryStatus.SENT  # other channels go on
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_task_queue_that_refuses_the_job_does_not_break_the_caller(
    world, result_recipients, broken_queue, sms_outbox, caplog
):
    issue_card_and_tell(world, result_recipients)

    assert TalentCard.objects.filter(number="SD2026000042").exists()
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    assert "they wait for the sweep" in caplog.text
    assert sms_outbox == []
