"""S16: booking a slot (working days on the official calendar, office hours, in the future), confirming,
declining with a reason, cancelling from either side, completing with the service given, and no double
booking of one commissioner post."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from huicai.directservices import actions
from huicai.directservices.choices import AppointmentAction, AppointmentStatus, Side
from huicai.directservices.models import Appointment, AppointmentEvent, DirectService
from huicai.directservices.tests.conftest import another_card, book, local, post_of
from huicai.notifications.models import Notification

WEDNESDAY = local(2026, 3, 4, 10, 0)


@pytest.fixture
def liu_yang_card(direct):
    world = direct.world
    return another_card(
        world,
        world.liu_yang,
        "YM2026000052",
        issued=datetime.date(2026, 2, 1),
        until=datetime.date(2029, 1, 31),
    )


def notices(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind).count()


def test_the_talent_books_a_commissioner_who_is_told(direct):
    world = direct.world

    appointment = book(direct, start=WEDNESDAY)

    assert appointment.status == AppointmentStatus.REQUESTED
    assert appointment.post == post_of(world.zhao_qiang)
    assert appointment.item_version == direct.police.published_version
    assert appointment.slot_label == "2026-03-04 10:00—10:30"
    event = appointment.events.get()
    assert (event.action, event.to_status, event.by) == (
        AppointmentAction.BOOK,
        "requested",
        world.li_ming_user,
    )
    assert notices(world.zhao_qiang, "appointment_booked") == 1


def test_the_unit_commissioner_books_for_the_talent(direct):
    appointment = book(direct, start=WEDNESDAY, by=direct.world.wang_fang)

    assert appointment.booked_by == direct.world.wang_fang


def test_a_make_up_working_saturday_can_be_booked(direct):
    appointment = book(direct, start=local(2026, 5, 9, 9, 0))

    assert appointment.status == AppointmentStatus.REQUESTED


@pytest.mark.parametrize(
    "start, end, reason",
    [
        (local(2026, 4, 6, 10), None, "2026-04-06不是工作日（周末或法定节假日），请选择工作日预约。"),
        (local(2026, 3, 7, 10), None, "2026-03-07不是工作日（周末或法定节假日），请选择工作日预约。"),
        (local(2026, 3, 4, 8, 0), None, "预约时间须在办公时间08:30—17:30之内。"),
        (local(2026, 3, 4, 17, 0), local(2026, 3, 4, 18, 0), "预约时间须在办公时间08:30—17:30之内。"),
        (local(2026, 3, 2, 16, 30), None, "预约时间须晚于当前时间。"),
        (local(2026, 3, 4, 11, 0), local(2026, 3, 4, 10, 0), "结束时间须晚于开始时间。"),
        (local(2026, 3, 4, 11, 0), local(2026, 3, 5, 10, 0), "预约须在同一天内。"),
    ],
    ids=[
        "qingming-holiday",
        "saturday",
        "before-opening",
        "after-closing",
        "in-the-past",
        "ends-first",
        "two-days",
    ],
)
def test_it_refuses_a_slot_off_the_calendar_outside_hours_or_in_the_past(direct, start, end, reason):
    with pytest.raises(ValidationError) as refused:
        book(direct, start=start, end=end)

    assert refused.value.messages == [reason]
    assert not Appointment.objects.exists()


def test_the_office_hours_include_their_edges(direct):
    appointment = book(direct, start=local(2026, 3, 4, 8, 30), end=local(2026, 3, 4, 17, 30))

    assert appointment.status == AppointmentStatus.REQUESTED


def test_it_refuses_a_commissioner_who_does_not_give_the_item(direct):
    with pytest.raises(ValidationError) as refused:
        book(direct, start=WEDNESDAY, item=direct.airport)

    assert refused.value.messages == [
        "所选专员不负责事项“机场贵宾通道”，请选择该事项主管部门或承办机构的专员，或服务窗口。"
    ]


def test_it_refuses_an_item_the_talents_card_does_not_open(direct):
    with pytest.raises(ValidationError) as refused:
        book(direct, start=WEDNESDAY, item=direct.shandong_only, post=post_of(direct.world.chen_jing))

    assert refused.value.messages == ["该事项不适用沂蒙惠才卡。"]


@pytest.mark.parametrize("persona", ["qian_hui", "zhao_qiang", "chen_jing"])
def test_only_the_talent_or_their_unit_commissioner_books(direct, persona):
    with pytest.raises(actions.NotAllowed) as refused:
        book(direct, start=WEDNESDAY, by=getattr(direct.world, persona))

    assert str(refused.value) == "只有人才本人或其单位专员可以预约。"


def test_the_commissioner_confirms_and_the_talent_side_is_told(direct):
    world = direct.world
    appointment = book(direct, start=WEDNESDAY)

    confirmed = actions.confirm_appointment(appointment, by=world.zhao_qiang, at=world.at, expected_version=1)

    assert confirmed.status == AppointmentStatus.CONFIRMED
    assert (confirmed.confirmed_by, confirmed.version) == (world.zhao_qiang, 2)
    assert notices(world.li_ming_user, "appointment_confirmed") == 1
    assert notices(world.wang_fang, "appointment_confirmed") == 1
    assert list(confirmed.events.values_list("from_status", "to_status")) == [
        ("", "requested"),
        ("requested", "confirmed"),
    ]


@pytest.mark.parametrize("persona", ["li_ming_user", "wang_fang", "chen_jing", "he_ping"])
def test_only_the_commissioner_booked_confirms(direct, persona):
    appointment = book(direct, start=WEDNESDAY)

    with pytest.raises(actions.NotAllowed):
        actions.confirm_appointment(appointment, by=getattr(direct.world, persona), at=direct.world.at)

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.REQUESTED


def test_a_stale_version_is_refused(direct):
    appointment = book(direct, start=WEDNESDAY)

    with pytest.raises(actions.StaleVersion):
        actions.confirm_appointment(
            appointment, by=direct.world.zhao_qiang, at=direct.world.at, expected_version=7
        )


def test_a_window_booking_is_confirmed_by_any_commissioner_of_that_window(direct):
    world = direct.world
    appointment = book(direct, start=WEDNESDAY, window=world.windows["兰山区"], item=direct.airport)
    assert notices(world.chen_jing, "appointment_booked") == 1

    with pytest.raises(actions.NotAllowed):
        actions.confirm_appointment(appointment, by=world.sun_lei, at=world.at)
    confirmed = actions.confirm_appointment(appointment, by=world.chen_jing, at=world.at)

    assert confirmed.post == post_of(world.chen_jing)
    assert confirmed.window == world.windows["兰山区"]


def test_declining_needs_a_reason(direct):
    world = direct.world
    appointment = book(direct, start=WEDNESDAY)

    with pytest.raises(ValidationError) as refused:
        actions.decline_appointment(appointment, reason=" ", by=world.zhao_qiang, at=world.at)
    assert refused.value.messages == ["婉拒预约须填写原因。"]

    declined = actions.decline_appointment(
        appointment, reason="当天外出培训", by=world.zhao_qiang, at=world.at
    )
    assert (declined.status, declined.decline_reason) == (AppointmentStatus.DECLINED, "当天外出培训")
    assert notices(world.li_ming_user, "appointment_declined") == 1


def test_a_declined_appointment_cannot_be_confirmed(direct):
    world = direct.world
    appointment = book(direct, start=WEDNESDAY)
    actions.decline_appointment(appointment, reason="当天外出培训", by=world.zhao_qiang, at=world.at)

    with pytest.raises(actions.InvalidTransition) as refused:
        actions.confirm_appointment(appointment, by=world.zhao_qiang, at=world.at)

    assert refused.value.messages == ["预约当前状态为“已婉拒”，不能确认（可能已被对方处理，请刷新）。"]


@pytest.mark.parametrize(
    "persona, side, told",
    [
        ("li_ming_user", Side.TALENT, "zhao_qiang"),
        ("wang_fang", Side.TALENT, "zhao_qiang"),
        ("zhao_qiang", Side.COMMISSIONER, "li_ming_user"),
    ],
)
def test_either_side_cancels_a_confirmed_appointment_with_a_reason(direct, persona, side, told):
    world = direct.world
    appointment = book(direct, start=WEDNESDAY)
    actions.confirm_appointment(appointment, by=world.zhao_qiang, at=world.at)
    by = getattr(world, persona)

    with pytest.raises(ValidationError) as refused:
        actions.cancel_appointment(appointment, reason="", by=by, at=world.at)
    assert refused.value.messages == ["取消预约须填写原因。"]

    cancelled = actions.cancel_appointment(appointment, reason="行程有变", by=by, at=world.at)
    assert (cancelled.status, cancelled.cancelled_side, cancelled.cancel_reason) == (
        "cancelled",
        side,
        "行程有变",
    )
    assert notices(getattr(world, told), "appointment_cancelled") == 1


def test_an_outsider_cannot_cancel(direct):
    appointment = book(direct, start=WEDNESDAY)

    with pytest.raises(actions.NotAllowed):
        actions.cancel_appointment(appointment, reason="试试", by=direct.world.qian_hui, at=direct.world.at)


def test_a_cancelled_appointment_cannot_be_cancelled_again(direct):
    world = direct.world
    appointment = book(direct, start=WEDNESDAY)
    actions.cancel_appointment(appointment, reason="行程有变", by=world.li_ming_user, at=world.at)

    with pytest.raises(actions.InvalidTransition):
        actions.cancel_appointment(appointment, reason="再取消", by=world.zhao_qiang, at=world.at)


def test_a_post_cannot_hold_two_overlapping_confirmed_appointments(direct, liu_yang_card):
    world = direct.world
    first = book(direct, start=WEDNESDAY, end=WEDNESDAY + datetime.timedelta(hours=1))
    overlapping = book(
        direct,
        start=WEDNESDAY + datetime.timedelta(minutes=30),
        by=world.qian_hui,
        talent=world.liu_yang,
    )
    adjacent = book(
        direct, start=WEDNESDAY + datetime.timedelta(hours=1), by=world.qian_hui, talent=world.liu_yang
    )
    actions.confirm_appointment(first, by=world.zhao_qiang, at=world.at)

    with pytest.raises(ValidationError) as refused:
        actions.confirm_appointment(overlapping, by=world.zhao_qiang, at=world.at)

    assert refused.value.messages == [
        "该时段与已确认的预约（2026-03-04 10:00—11:00）冲突，同一专员不能重复预约。"
    ]
    overlapping.refresh_from_db()
    assert overlapping.status == AppointmentStatus.REQUESTED
    assert actions.confirm_appointment(adjacent, by=world.zhao_qiang, at=world.at).status == "confirmed"


def test_a_cancelled_appointment_frees_its_slot(direct, liu_yang_card):
    world = direct.world
    first = book(direct, start=WEDNESDAY)
    second = book(direct, start=WEDNESDAY, by=world.qian_hui, talent=world.liu_yang)
    actions.confirm_appointment(first, by=world.zhao_qiang, at=world.at)
    actions.cancel_appointment(first, reason="行程有变", by=world.li_ming_user, at=world.at)

    assert actions.confirm_appointment(second, by=world.zhao_qiang, at=world.at).status == "confirmed"


def test_the_database_refuses_an_overlap_that_bypasses_the_action(direct, liu_yang_card):
    world = direct.world
    first = book(direct, start=WEDNESDAY)
    second = book(direct, start=WEDNESDAY, by=world.qian_hui, talent=world.liu_yang)
    actions.confirm_appointment(first, by=world.zhao_qiang, at=world.at)

    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.filter(pk=second.pk).update(status="confirmed", confirmed_at=world.at)

    second.refresh_from_db()
    assert second.status == AppointmentStatus.REQUESTED


def test_completing_records_the_direct_service_and_links_it(direct):
    world = direct.world
    appointment = book(direct, start=WEDNESDAY)
    actions.confirm_appointment(appointment, by=world.zhao_qiang, at=world.at)
    on_the_day = WEDNESDAY + datetime.timedelta(minutes=10)

    completed = actions.complete_appointment(
        appointment,
        place="市政务服务中心公安窗口",
        outcome="served",
        note="已办理",
        by=world.zhao_qiang,
        at=on_the_day,
    )

    service = DirectService.objects.get()
    assert completed.status == AppointmentStatus.COMPLETED
    assert completed.direct_service == service
    assert (service.card, service.served_at, service.post) == (world.li_ming_card, on_the_day, completed.post)
    assert completed.events.last().action == AppointmentAction.COMPLETE


def test_completing_before_the_day_or_on_an_unconfirmed_appointment_is_refused(direct):
    world = direct.world
    appointment = book(direct, start=WEDNESDAY)

    with pytest.raises(actions.InvalidTransition):
        actions.complete_appointment(
            appointment, place="窗口", outcome="served", by=world.zhao_qiang, at=WEDNESDAY
        )
    actions.confirm_appointment(appointment, by=world.zhao_qiang, at=world.at)
    with pytest.raises(ValidationError) as refused:
        actions.complete_appointment(
            appointment, place="窗口", outcome="served", by=world.zhao_qiang, at=world.at
        )

    assert refused.value.messages == ["预约日期未到，不能登记服务。"]
    assert not DirectService.objects.exists()
    assert not AppointmentEvent.objects.filter(action=AppointmentAction.COMPLETE).exists()


def test_completing_checks_the_card_on_the_day(direct):
    from huicai.talents.actions import change_card_status

    world = direct.world
    appointment = book(direct, start=WEDNESDAY)
    actions.confirm_appointment(appointment, by=world.zhao_qiang, at=world.at)
    change_card_status(world.li_ming_card, status="lost", by=world.chen_jing, at=world.at)

    with pytest.raises(ValidationError) as refused:
        actions.complete_appointment(
            appointment, place="窗口", outcome="served", by=world.zhao_qiang, at=WEDNESDAY
        )

    assert refused.value.messages == ["该人才卡已挂失"]
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED
