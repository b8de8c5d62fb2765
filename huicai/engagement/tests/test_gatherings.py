"""W5-4: a window organises a 联谊交流活动, invites its talents, the talent answers, and attendance is taken
at the door from the talent card's QR code or number, or ticked from the list."""

import pytest

from huicai.core.transitions import ActionRefused, Conflict, InvalidTransition, NotAllowed
from huicai.directservices.cards import card_qr_payload
from huicai.engagement import actions
from huicai.engagement.choices import GATHERING_INVITATION, CheckInMethod, GatheringAction, Rsvp
from huicai.engagement.models import Invitation
from huicai.engagement.tests.conftest import later, make_gathering
from huicai.notifications.choices import Channel
from huicai.notifications.models import Delivery, Notification
from huicai.talents.actions import change_card_status
from huicai.talents.choices import CardStatus


@pytest.fixture
def gathering(world):
    return make_gathering(world)


def test_a_window_invites_its_talents_of_a_category_and_they_are_told(world, gathering):
    invitations = actions.invite_talents(
        gathering, categories=[world.category_b], by=world.chen_jing, at=world.at
    )

    assert [i.talent for i in invitations] == [world.li_ming]
    notice = Notification.objects.get(kind=GATHERING_INVITATION)
    assert notice.recipient == world.li_ming_user
    assert notice.link == f"/engagement/me/gatherings/{gathering.pk}/"
    assert list(gathering.categories.all()) == [world.category_b]
    assert gathering.events.last().action == GatheringAction.INVITE


def test_a_county_window_reaches_only_its_own_talents_whatever_it_asks_for(world):
    gathering = make_gathering(world, by=world.sun_lei, window=world.windows["罗庄区"])

    with pytest.raises(ActionRefused) as error:
        actions.invite_talents(gathering, talents=[world.li_ming], by=world.sun_lei, at=world.at)

    assert error.value.messages == ["没有符合条件且尚未受邀的人才。"]
    assert not Invitation.objects.exists()


def test_the_city_invites_everybody_and_a_talent_without_an_account_gets_an_sms(world):
    gathering = make_gathering(world, by=world.zhou_min, window=world.windows["临沂市"])

    invitations = actions.invite_talents(gathering, by=world.zhou_min, at=world.at)

    assert {i.talent for i in invitations} == {world.li_ming, world.liu_yang}
    sms = Notification.objects.get(kind=GATHERING_INVITATION, talent=world.liu_yang)
    assert Delivery.objects.filter(notification=sms, channel=Channel.SMS).count() == 1


def test_a_second_wave_invites_only_the_new_ones(world):
    gathering = make_gathering(world, by=world.zhou_min, window=world.windows["临沂市"])
    actions.invite_talents(gathering, windows=[world.windows["兰山区"]], by=world.zhou_min, at=world.at)

    second = actions.invite_talents(gathering, by=world.zhou_min, at=world.at)

    assert [i.talent for i in second] == [world.liu_yang]
    assert gathering.invitations.count() == 2


def test_a_talent_answers_and_may_change_the_answer_before_it_starts(world, gathering):
    [invitation] = actions.invite_talents(gathering, talents=[world.li_ming], by=world.chen_jing, at=world.at)

    actions.answer_invitation(invitation, accept=False, by=world.li_ming_user, at=later(world, hours=1))
    invitation = actions.answer_invitation(
        invitation, accept=True, by=world.li_ming_user, at=later(world, hours=2)
    )

    assert (invitation.rsvp, invitation.rsvp_at) == (Rsvp.ACCEPTED, later(world, hours=2))
    assert gathering.events.filter(action=GatheringAction.RSVP).count() == 2


def test_only_the_talent_answers_and_not_once_it_has_started(world, gathering):
    [invitation] = actions.invite_talents(gathering, talents=[world.li_ming], by=world.chen_jing, at=world.at)

    with pytest.raises(NotAllowed):
        actions.answer_invitation(invitation, accept=True, by=world.chen_jing, at=world.at)
    with pytest.raises(InvalidTransition) as error:
        actions.answer_invitation(invitation, accept=True, by=world.li_ming_user, at=later(world, days=7))

    assert error.value.messages == ["活动已开始、结束或取消，不能再回复。"]


def test_attendance_is_taken_at_the_door_from_the_cards_qr_code_once(world, gathering):
    actions.invite_talents(gathering, talents=[world.li_ming], by=world.chen_jing, at=world.at)
    door = later(world, days=7, minutes=5)

    invitation = actions.check_in_with_card(
        gathering, text=card_qr_payload(world.li_ming_card), by=world.chen_jing, at=door
    )

    assert (invitation.attended_at, invitation.attendance_method) == (door, CheckInMethod.QR)
    with pytest.raises(Conflict) as error:
        actions.check_in_with_card(gathering, text="YM2026000001", by=world.chen_jing, at=door)
    assert error.value.messages == ["李明 已于 17:05 签到。"]


def test_a_forged_qr_code_an_unknown_card_or_a_revoked_card_is_refused(world, gathering):
    actions.invite_talents(gathering, talents=[world.li_ming], by=world.chen_jing, at=world.at)
    forged = card_qr_payload(world.li_ming_card)[:-2] + "00"

    refusals = []
    for text in [forged, "YM2099999999", "not a card!"]:
        with pytest.raises(ActionRefused) as error:
            actions.check_in_with_card(gathering, text=text, by=world.chen_jing, at=world.at)
        refusals.append(error.value.messages[0])
    change_card_status(world.li_ming_card, status=CardStatus.REVOKED, by=world.chen_jing, at=world.at)
    with pytest.raises(ActionRefused) as error:
        actions.check_in_with_card(gathering, text="YM2026000001", by=world.chen_jing, at=world.at)

    assert refusals == [
        "二维码校验失败，可能是伪造或被篡改的二维码。",
        "未找到该惠才卡。",
        "卡号格式不正确。",
    ]
    assert error.value.messages == ["该人才卡已撤销。"]
    assert not Invitation.objects.filter(attended_at__isnull=False).exists()


def test_a_card_of_a_talent_who_was_not_invited_is_refused(world):
    gathering = make_gathering(world, by=world.zhou_min, window=world.windows["临沂市"])
    actions.invite_talents(gathering, talents=[world.liu_yang], by=world.zhou_min, at=world.at)

    with pytest.raises(ActionRefused) as error:
        actions.check_in_with_card(gathering, text="YM2026000001", by=world.zhou_min, at=world.at)

    assert error.value.messages == ["该人才未受邀参加本次活动。"]


def test_attendance_ticked_from_the_list_and_only_by_the_organising_window(world, gathering):
    actions.invite_talents(gathering, talents=[world.li_ming], by=world.chen_jing, at=world.at)

    with pytest.raises(NotAllowed):
        actions.check_in_from_list(gathering, talent=world.li_ming, by=world.sun_lei, at=world.at)
    invitation = actions.check_in_from_list(gathering, talent=world.li_ming, by=world.chen_jing, at=world.at)

    assert (invitation.attendance_method, invitation.attendance_by) == (CheckInMethod.LIST, world.chen_jing)


def test_a_gathering_must_end_after_it_starts_and_start_in_the_future(world):
    with pytest.raises(ActionRefused) as backwards:
        actions.create_gathering(
            window=world.windows["兰山区"],
            title="座谈",
            description="",
            place="人才之家",
            starts_at=later(world, days=2),
            ends_at=later(world, days=1),
            by=world.chen_jing,
            at=world.at,
        )
    with pytest.raises(ActionRefused) as past:
        actions.create_gathering(
            window=world.windows["兰山区"],
            title="座谈",
            description="",
            place="人才之家",
            starts_at=later(world, days=-1),
            ends_at=later(world, days=1),
            by=world.chen_jing,
            at=world.at,
        )
    with pytest.raises(NotAllowed):
        make_gathering(world, by=world.sun_lei)

    assert backwards.value.messages == ["结束时间必须晚于开始时间。"]
    assert past.value.messages == ["活动开始时间必须晚于现在。"]


def test_a_photo_must_be_an_image_by_its_content(world, gathering, settings, tmp_path):
    from huicai.engagement.tests.conftest import PDF, jpg

    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = actions.add_gathering_photo(
        gathering, file=jpg(), caption="合影", by=world.chen_jing, at=world.at
    )
    with pytest.raises(ActionRefused) as error:
        actions.add_gathering_photo(
            gathering,
            file=SimpleUploadedFile("photo.jpg", PDF, content_type="image/jpeg"),
            by=world.chen_jing,
            at=world.at,
        )

    assert (photo.content_type, photo.original_name) == ("image/jpeg", "合影.jpg")
    assert error.value.messages == ["照片只接受 JPG、PNG 图片。"]
    assert gathering.photos.count() == 1


def test_a_gathering_called_off_tells_those_who_had_not_declined(world):
    gathering = make_gathering(world, by=world.zhou_min, window=world.windows["临沂市"])
    invitations = {i.talent: i for i in actions.invite_talents(gathering, by=world.zhou_min, at=world.at)}
    actions.answer_invitation(invitations[world.li_ming], accept=False, by=world.li_ming_user, at=world.at)

    gathering = actions.cancel_gathering(
        gathering, reason="因天气原因取消", by=world.zhou_min, at=later(world, hours=1)
    )

    assert gathering.status == "cancelled"
    cancelled = Notification.objects.filter(title="活动取消：春季人才联谊会")
    assert [(n.recipient, n.talent) for n in cancelled] == [(None, world.liu_yang)]
    with pytest.raises(InvalidTransition) as error:
        actions.invite_talents(gathering, by=world.zhou_min, at=later(world, hours=2))
    assert error.value.messages == ["活动已开始、结束或取消，不能再邀请。"]


def test_calling_off_needs_a_reason_and_a_gathering_not_yet_started(world, gathering):
    with pytest.raises(ActionRefused) as no_reason:
        actions.cancel_gathering(gathering, reason=" ", by=world.chen_jing, at=world.at)
    with pytest.raises(InvalidTransition) as started:
        actions.cancel_gathering(gathering, reason="取消", by=world.chen_jing, at=later(world, days=7))

    assert no_reason.value.messages == ["请填写取消原因。"]
    assert started.value.messages == ["只有尚未开始的活动可以取消。"]
