"""Demo direct services and appointments (W12, S16), made with the real actions after the catalogue demo:
李明 (the `talent` login) served at the hospital, the airport, the 兰山区 window (a referral) and the tax
bureau; one appointment completed, one confirmed for the next working day (so the 09:00 reminder job has
something to send), one waiting for confirmation, one declined, one cancelled; and a 罗庄区 talent with a
service and a booking of their own.

The demo's commissioners hold their posts from the moment the demo was first loaded, so the actions run
at ``at`` (or at a slot after it) and the history is then dated back by plain updates: only this loader
does that, never the product. Idempotent: nothing is added when the demo talent already has a record.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from huicai.catalogue.models import ServiceItem
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.directservices import actions
from huicai.directservices.models import Appointment, AppointmentEvent, DirectService
from huicai.talents.choices import CardStatus
from huicai.talents.models import Talent
from huicai.workdays import calendar

CODES = [
    "LY-YL-001",
    "LY-YL-002",
    "LY-JT-001",
    "LY-JT-002",
    "LY-LY-001",
    "LY-LY-002",
    "LY-QT-001",
    "LY-QT-002",
]
DAY = datetime.timedelta(days=1)


def _post(kind, at, **org):
    return Post.objects.active_at(at).filter(kind=kind, **org).select_related("user").order_by("pk").first()


def _working_day(today, n):
    """The n-th working day after ``today`` (n ≥ 1) or before it (n ≤ -1), on the official calendar."""
    if n > 0:
        return calendar.add_working_days(today, n)
    day, left = today, -n
    while left:
        day -= DAY
        if calendar.is_working_day(day):
            left -= 1
    return day


def _back(service, delta):
    DirectService.objects.filter(pk=service.pk).update(
        served_at=F("served_at") - delta, created_at=F("created_at") - delta
    )


def _serve(card, item, post, *, at, days_ago, **fields):
    service = actions.record_direct_service(card=card, item=item, post=post, by=post.user, at=at, **fields)
    _back(service, datetime.timedelta(days=days_ago))
    return service


def _slot(day, hour, minute=0, length=30):
    start = datetime.time(hour, minute)
    end = (datetime.datetime.combine(day, start) + datetime.timedelta(minutes=length)).time()
    return actions.slot(day, start, end)


@transaction.atomic
def load_demo(*, at) -> None:
    talent = Talent.objects.filter(user__username="talent").select_related("home_window").first()
    if talent is None or DirectService.objects.filter(talent=talent).exists():
        return
    items = {
        item.code: item
        for item in ServiceItem.objects.filter(code__in=CODES).select_related("published_version")
    }
    if set(items) != set(CODES):
        return  # the catalogue demo is not loaded
    today = timezone.localdate(at)
    try:
        card = actions.pick_card(talent, items["LY-YL-002"].published_version, today)
    except ValidationError:
        return  # the demo talent's card is no longer valid: nothing sensible to show
    hospital = _post(PostKind.UNDERTAKING, at, undertaking_org__name="临沂市人民医院")
    airport = _post(PostKind.DEPARTMENT, at, department=items["LY-JT-001"].department)
    tax = _post(PostKind.DEPARTMENT, at, department=items["LY-QT-002"].department)
    window = _post(PostKind.WINDOW, at, window=talent.home_window)
    unit = talent.unit_assignments.open().select_related("post__user").get().post.user
    if None in (hospital, airport, tax, window):
        return

    # Services given on the card over the last weeks.
    _serve(
        card,
        items["LY-YL-001"],
        hospital,
        at=at,
        days_ago=45,
        place="临沂市人民医院门诊服务中心",
        outcome="served",
        note="专人导诊，心内科优先就诊。",
    )
    _serve(
        card,
        items["LY-JT-001"],
        airport,
        at=at,
        days_ago=20,
        place="临沂国际机场贵宾服务中心",
        outcome="served",
        note="贵宾通道安检，携一名随行人员。",
    )
    _serve(
        card,
        items["LY-QT-002"],
        window,
        at=at,
        days_ago=12,
        place="兰山区高层次人才服务窗口",
        outcome="referred",
        outcome_reason="涉及境外所得申报，转市税务局个税科一对一辅导。",
    )
    _serve(
        card,
        items["LY-QT-002"],
        tax,
        at=at,
        days_ago=9,
        place="市税务局第一办税服务厅",
        outcome="served",
        note="已辅导年度汇算和专项附加扣除。",
    )

    # A completed appointment: booked, confirmed and served on the next working day, then dated back so
    # that it happened a week ago.
    start, end = _slot(_working_day(today, 1), 8, 30, 60)
    done = actions.book_appointment(
        talent=talent,
        item=items["LY-YL-002"],
        post=hospital,
        starts_at=start,
        ends_at=end,
        note="年度体检",
        by=talent.user,
        at=at,
    )
    actions.confirm_appointment(done, by=hospital.user, at=at, note="请空腹到场。")
    done = actions.complete_appointment(
        done,
        place="临沂市人民医院健康管理中心",
        outcome="served",
        note="体检完成，报告三日后领取。",
        by=hospital.user,
        at=start,
    )
    shift = datetime.timedelta(days=(_working_day(today, 1) - _working_day(today, -5)).days)
    Appointment.objects.filter(pk=done.pk).update(
        starts_at=F("starts_at") - shift,
        ends_at=F("ends_at") - shift,
        booked_at=F("booked_at") - shift,
        confirmed_at=F("confirmed_at") - shift,
    )
    AppointmentEvent.objects.filter(appointment=done).update(at=F("at") - shift)
    _back(done.direct_service, shift)

    # Confirmed for the next working day: the reminder job reminds everyone of it at its next run.
    start, end = _slot(_working_day(today, 1), 10)
    upcoming = actions.book_appointment(
        talent=talent,
        item=items["LY-QT-001"],
        window=talent.home_window,
        starts_at=start,
        ends_at=end,
        note="咨询子女入学政策",
        by=unit,
        at=at,
    )
    actions.confirm_appointment(upcoming, by=window.user, at=at)

    # Waiting for the tax bureau's commissioner.
    start, end = _slot(_working_day(today, 2), 14, 30)
    actions.book_appointment(
        talent=talent,
        item=items["LY-QT-002"],
        post=tax,
        starts_at=start,
        ends_at=end,
        note="个人所得税汇算复核",
        by=talent.user,
        at=at,
    )

    # Declined with the reason, and one cancelled by the talent.
    start, end = _slot(_working_day(today, 3), 9)
    declined = actions.book_appointment(
        talent=talent,
        item=items["LY-JT-002"],
        post=airport,
        starts_at=start,
        ends_at=end,
        by=talent.user,
        at=at,
    )
    actions.decline_appointment(
        declined, reason="停车场改造期间暂停该服务，请改约下周。", by=airport.user, at=at
    )
    start, end = _slot(_working_day(today, 3), 15)
    cancelled = actions.book_appointment(
        talent=talent,
        item=items["LY-LY-001"],
        window=talent.home_window,
        starts_at=start,
        ends_at=end,
        by=unit,
        at=at,
    )
    actions.cancel_appointment(cancelled, reason="临时出差，改日再约。", by=talent.user, at=at)

    # Another talent, at home in 罗庄区: a service at the sports centre and a booking with their window.
    other = (
        Talent.objects.filter(
            home_window__name__contains="罗庄", cards__status=CardStatus.VALID, cards__kind="yimeng"
        )
        .exclude(pk=talent.pk)
        .select_related("home_window")
        .order_by("pk")
        .first()
    )
    sports = _post(PostKind.DEPARTMENT, at, department=items["LY-LY-002"].department)
    other_window = other and _post(PostKind.WINDOW, at, window=other.home_window)
    if other is None or sports is None or other_window is None:
        return
    try:
        other_card = actions.pick_card(other, items["LY-LY-002"].published_version, today)
    except ValidationError:
        return
    _serve(
        other_card,
        items["LY-LY-002"],
        sports,
        at=at,
        days_ago=5,
        place="临沂市奥林匹克体育中心",
        outcome="served",
    )
    other_unit = other.unit_assignments.open().select_related("post__user").get().post.user
    start, end = _slot(_working_day(today, 2), 10)
    actions.book_appointment(
        talent=other,
        item=items["LY-LY-002"],
        window=other.home_window,
        starts_at=start,
        ends_at=end,
        note="申请健身场馆年度使用",
        by=other_unit,
        at=at,
    )
