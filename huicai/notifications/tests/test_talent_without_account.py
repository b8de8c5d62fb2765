"""A talent who has no account yet still hears about their own cases: by SMS, on their record's phone."""

from huicai.notifications.actions import notify, send_delivery
from huicai.notifications.choices import SERVICE_RESULT, Channel, DeliveryStatus
from huicai.notifications.models import Delivery, Notification


def test_an_sms_kind_for_a_talent_without_an_account_goes_to_the_phone_on_the_record(world, sms_outbox):
    assert world.liu_yang.user_id is None

    notify([world.liu_yang], kind=SERVICE_RESULT, title="人才公寓申请已办结", at=world.at)
    status = send_delivery(Delivery.objects.get().pk, at=world.at)

    notice = Notification.objects.get()
    assert (notice.recipient, notice.talent) == (None, world.liu_yang)
    assert status == DeliveryStatus.SENT
    assert [(m.to, m.text) for m in sms_outbox] == [(world.liu_yang.mobile, "人才公寓申请已办结")]


def test_a_talent_with_an_account_is_told_through_the_account(world):
    notify([world.li_ming, world.li_ming_user], kind=SERVICE_RESULT, title="已办结", at=world.at)

    notice = Notification.objects.get()
    assert (notice.recipient, notice.talent) == (world.li_ming_user, None)
    assert notice.deliveries.get().channel == Channel.SMS


def test_a_talent_without_an_account_gets_every_notice_of_their_own_case_by_sms(world):
    notify([world.liu_yang, world.liu_yang], kind="task_accepted", title="已受理", at=world.at)

    notice = Notification.objects.get()
    assert notice.talent == world.liu_yang
    assert notice.deliveries.get().channel == Channel.SMS
