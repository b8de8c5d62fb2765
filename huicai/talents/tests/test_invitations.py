"""Issue 11 §2: a talent opens their own account from a one-time link sent by SMS, valid 72 hours."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import authenticate

from huicai.notifications import sms
from huicai.talents.actions import (
    InvitationError,
    activate_account,
    get_invitation,
    invite_talent,
    token_digest,
)
from huicai.talents.choices import InvitationStatus, TalentEventKind
from huicai.talents.models import TalentInvitation, invitation_status

PASSWORD = "Liu-Yang-Secret-2026"


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.HUICAI_SMS_BACKEND = "huicai.notifications.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def invite(django_capture_on_commit_callbacks):
    """invite_talent with its after-commit SMS sent, as in the running system."""

    def _invite(talent, *, by, at):
        with django_capture_on_commit_callbacks(execute=True):
            return invite_talent(talent, by=by, at=at)

    return _invite


def sent_token(outbox):
    """The token in the latest invitation SMS, as the talent would tap it."""
    return re.search(r"/talents/activate/([\w-]+)/", outbox[-1].text).group(1)


@pytest.mark.django_db(transaction=True)
def test_an_invitation_goes_by_sms_after_the_commit_with_a_link_that_carries_no_personal_data(
    world, sms_outbox
):
    invitation = invite_talent(world.liu_yang, by=world.sun_lei, at=world.at)

    token = sent_token(sms_outbox)
    assert sms_outbox[0].to == world.liu_yang.mobile
    assert world.liu_yang.name not in sms_outbox[0].text
    assert world.liu_yang.mobile not in sms_outbox[0].text
    assert invitation.token_hash == token_digest(token) != token
    assert invitation.expires_at == world.at + datetime.timedelta(hours=72)
    assert invitation_status(world.liu_yang, world.at) == InvitationStatus.INVITED


def test_the_status_reads_not_invited_invited_expired_and_activated(world):
    assert invitation_status(world.liu_yang, world.at) == InvitationStatus.NOT_INVITED
    invite_talent(world.liu_yang, by=world.sun_lei, at=world.at)

    assert invitation_status(world.liu_yang, world.at + datetime.timedelta(hours=71)) == "invited"
    assert invitation_status(world.liu_yang, world.at + datetime.timedelta(hours=72)) == "expired"
    assert invitation_status(world.li_ming, world.at) == InvitationStatus.ACTIVATED


def test_the_talent_sets_a_password_on_the_first_visit_and_can_then_sign_in(world, sms_outbox, invite):
    invite(world.liu_yang, by=world.sun_lei, at=world.at)

    user = activate_account(
        sent_token(sms_outbox),
        username="liuyang",
        password=PASSWORD,
        at=world.at + datetime.timedelta(hours=1),
    )

    world.liu_yang.refresh_from_db()
    assert world.liu_yang.user == user
    assert user.full_name == "刘洋"
    assert authenticate(username="liuyang", password=PASSWORD) == user
    assert TalentInvitation.objects.get().used_at == world.at + datetime.timedelta(hours=1)
    assert list(world.liu_yang.events.values_list("kind", flat=True)) == [
        TalentEventKind.INVITED,
        TalentEventKind.ACTIVATED,
    ]


def test_a_link_is_used_once(world, sms_outbox, invite):
    invite(world.liu_yang, by=world.sun_lei, at=world.at)
    token = sent_token(sms_outbox)
    activate_account(token, username="liuyang", password=PASSWORD, at=world.at)

    with pytest.raises(InvitationError) as caught:
        activate_account(token, username="liuyang2", password=PASSWORD, at=world.at)

    assert caught.value.messages == ["该激活链接已经使用过，请直接登录。"]


def test_a_link_expires_after_72_hours(world, sms_outbox, invite):
    invite(world.liu_yang, by=world.sun_lei, at=world.at)
    token = sent_token(sms_outbox)

    with time_machine.travel(world.at + datetime.timedelta(hours=72), tick=False):
        from django.utils import timezone

        with pytest.raises(InvitationError) as caught:
            get_invitation(token, at=timezone.now())

    assert caught.value.messages == ["该激活链接已过期，请联系服务窗口或单位专员重新发送。"]
    assert world.liu_yang.user_id is None


def test_re_sending_makes_the_earlier_link_void(world, sms_outbox, invite):
    invite(world.liu_yang, by=world.sun_lei, at=world.at)
    first = sent_token(sms_outbox)
    invite(world.liu_yang, by=world.sun_lei, at=world.at + datetime.timedelta(hours=1))
    second = sent_token(sms_outbox)

    with pytest.raises(InvitationError) as caught:
        get_invitation(first, at=world.at + datetime.timedelta(hours=2))

    assert caught.value.messages == ["该激活链接已作废，请使用最新收到的链接。"]
    assert get_invitation(second, at=world.at + datetime.timedelta(hours=2)).talent == world.liu_yang


def test_a_password_that_breaks_the_rules_opens_nothing(world, sms_outbox, invite):
    invite(world.liu_yang, by=world.sun_lei, at=world.at)

    with pytest.raises(InvitationError) as caught:
        activate_account(sent_token(sms_outbox), username="liuyang", password="short", at=world.at)

    assert "password" in caught.value.message_dict
    world.liu_yang.refresh_from_db()
    assert world.liu_yang.user_id is None
    assert TalentInvitation.objects.get().used_at is None


def test_a_talent_with_an_account_is_not_invited(world):
    with pytest.raises(InvitationError) as caught:
        invite_talent(world.li_ming, by=world.chen_jing, at=world.at)

    assert caught.value.messages == ["该人才已开通账号，无需邀请。"]


def test_an_unknown_token_is_refused_without_saying_whose_it_might_be(world):
    with pytest.raises(InvitationError) as caught:
        get_invitation("not-a-token", at=world.at)

    assert caught.value.messages == ["激活链接无效。"]
