"""W16-1: a window pushes a policy, an item or a notice to its talents; talents with an account read it in
the inbox, the others get an SMS; the sender sees how many received and read it; a talent may opt out of
proactive pushes (a notice still reaches them)."""

import pytest

from huicai.core.transitions import ActionRefused, NotAllowed
from huicai.engagement import actions
from huicai.engagement.choices import PUSH_NOTICE, PushKind, ReceiptChannel
from huicai.engagement.selectors import push_counts
from huicai.engagement.tests.conftest import later
from huicai.notifications.actions import send_delivery
from huicai.notifications.choices import Channel
from huicai.notifications.models import Delivery, Notification


def push(eng, *, by, window, kind=PushKind.POLICY, **audience):
    world = eng.world
    return actions.send_push(
        window=world.windows[window],
        kind=kind,
        title="安家补贴申报提醒",
        body="符合条件的人才请于3月底前申报。",
        policy=eng.policy if kind == PushKind.POLICY else None,
        service_item=eng.item if kind == PushKind.ITEM else None,
        by=by,
        at=world.at,
        **audience,
    )


def test_a_county_window_pushes_a_policy_to_its_talents_only(eng):
    world = eng.world

    sent = push(eng, by=world.chen_jing, window="兰山区")

    assert [r.talent for r in sent.receipts.all()] == [world.li_ming]
    notice = Notification.objects.get(kind=PUSH_NOTICE)
    assert (notice.recipient, notice.link) == (world.li_ming_user, f"/engagement/pushes/{sent.pk}/")


def test_by_category_employer_and_region(eng):
    world = eng.world

    by_category = push(eng, by=world.zhou_min, window="临沂市", categories=[world.category_c])
    by_employer = push(eng, by=world.zhou_min, window="临沂市", employers=[world.linyi_pharma])
    by_region = push(eng, by=world.zhou_min, window="临沂市", windows=[world.windows["罗庄区"]])

    assert [r.talent for r in by_category.receipts.all()] == [world.liu_yang]
    assert [r.talent for r in by_employer.receipts.all()] == [world.li_ming]
    assert [r.talent for r in by_region.receipts.all()] == [world.liu_yang]


def test_a_talent_without_an_account_gets_an_sms_and_counts_as_received_once_sent(eng, settings):
    world = eng.world
    settings.HUICAI_SMS_BACKEND = "huicai.notifications.sms.LocmemSmsBackend"

    sent = push(eng, by=world.zhou_min, window="临沂市")
    receipt = sent.receipts.get(talent=world.liu_yang)
    before = push_counts(sent)
    delivery = Delivery.objects.get(notification=receipt.notification, channel=Channel.SMS)
    send_delivery(delivery.pk, at=world.at)

    assert receipt.channel == ReceiptChannel.SMS
    assert (before["total"], before["received"], before["sms"]) == (2, 1, 1)
    assert push_counts(sent)["received"] == 2


def test_the_talent_reading_it_is_counted_for_the_sender_once(eng, login):
    world = eng.world
    sent = push(eng, by=world.zhou_min, window="临沂市")
    talent = login(world.li_ming_user)

    first = talent.get(f"/engagement/pushes/{sent.pk}/")
    talent.get(f"/engagement/pushes/{sent.pk}/")

    assert first.status_code == 200 and "符合条件的人才请于3月底前申报" in first.content.decode()
    receipt = sent.receipts.get(talent=world.li_ming)
    assert receipt.read_at is not None
    assert receipt.notification.read_at == receipt.read_at
    assert push_counts(sent)["read"] == 1
    page = login(world.zhou_min).get(f"/engagement/pushes/{sent.pk}/").content.decode()
    assert 'id="count-read">1<' in page and 'id="count-total">2<' in page


def test_a_talent_who_opted_out_gets_no_policy_push_but_still_a_notice(eng):
    world = eng.world
    actions.set_offer_opt_out(world.li_ming, opted_out=True, by=world.li_ming_user, at=world.at)

    with pytest.raises(ActionRefused) as error:
        push(eng, by=world.chen_jing, window="兰山区")
    notice = push(eng, by=world.chen_jing, window="兰山区", kind=PushKind.NOTICE)
    policy_push = push(eng, by=world.zhou_min, window="临沂市")

    assert error.value.messages == ["没有符合条件的人才（或均已退订主动推送）。"]
    assert [r.talent for r in notice.receipts.all()] == [world.li_ming]
    assert [r.talent for r in policy_push.receipts.all()] == [world.liu_yang]
    assert policy_push.skipped_opted_out == 1


def test_only_the_talent_sets_the_opt_out(eng):
    world = eng.world

    with pytest.raises(NotAllowed):
        actions.set_offer_opt_out(world.li_ming, opted_out=True, by=world.wang_fang, at=world.at)
    preference = actions.set_offer_opt_out(world.li_ming, opted_out=True, by=world.li_ming_user, at=world.at)
    preference = actions.set_offer_opt_out(
        world.li_ming, opted_out=False, by=world.li_ming_user, at=later(world, days=1)
    )

    assert (preference.offers_opted_out, preference.changed_at) == (False, later(world, days=1))


def test_only_a_policy_in_force_or_a_published_item_is_pushed_and_only_by_its_window(eng):
    world = eng.world
    from huicai.policies.actions import expire_policy

    with pytest.raises(NotAllowed):
        push(eng, by=world.sun_lei, window="兰山区")
    expire_policy(eng.policy, by=world.chen_jing, at=world.at)
    with pytest.raises(ActionRefused) as error:
        push(eng, by=world.chen_jing, window="兰山区")
    item = push(eng, by=world.chen_jing, window="兰山区", kind=PushKind.ITEM)

    assert error.value.messages == ["只能推送现行有效的政策。"]
    assert item.service_item == eng.item
