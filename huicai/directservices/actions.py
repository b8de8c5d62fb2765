"""Every change of state of direct services and appointments: one function each (W12, S16).

Each action takes keyword-only arguments with an explicit actor (``by``) and time (``at``), runs in one
transaction, re-reads the row it changes with ``select_for_update()``, checks the permission and the
allowed source state, writes the change and its ``AppointmentEvent`` together, and notifies the other side.
``expected_version``, when given, is the version the caller's form or API client last saw; a mismatch is
refused with ``StaleVersion`` instead of being applied to a stale view.

Refusals: ``DirectServiceError`` (a ValidationError, 400) for a rule — an invalid card, an item not open to
the talent, a slot outside office hours; ``InvalidTransition`` (409) when the appointment's state does not
allow the step; ``NotAllowed`` (PermissionDenied, 403) when the person may see but not do it.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.catalogue.choices import ServiceMode
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.core import transitions
from huicai.core.transitions import ActionRefused, NotAllowed, lock_for_update
from huicai.directservices import access
from huicai.directservices.cards import card_refusal
from huicai.directservices.choices import AppointmentAction, AppointmentStatus, Outcome, Side
from huicai.directservices.models import Appointment, AppointmentEvent, DirectService
from huicai.notifications.actions import notify
from huicai.talents.models import TalentCard
from huicai.workdays import calendar

# Office hours of the windows and departments for booked services (S16).
OFFICE_OPENS = datetime.time(8, 30)
OFFICE_CLOSES = datetime.time(17, 30)
MAX_NOTE = 2000
MAX_REASON = 300


class DirectServiceError(ActionRefused):
    """A refused action; the message is for the person who tried it."""


class InvalidTransition(DirectServiceError, transitions.InvalidTransition):
    """The record is not in a state that allows this step; still a ``DirectServiceError`` for its callers."""


class StaleVersion(DirectServiceError, transitions.StaleVersion):
    """The caller acted on an outdated copy of the record; still a ``DirectServiceError`` for its callers."""


# --- checks shared by the actions ---------------------------------------------------------------------


def direct_version(item):
    """The published version of ``item`` if it is a direct item (W11/W12), else the refusal."""
    version = item.published_version
    if version is None:
        raise DirectServiceError(_("事项“%(name)s”尚未公布，不能提供服务。") % {"name": item.name})
    if version.mode != ServiceMode.DIRECT:
        raise DirectServiceError(
            _("事项“%(name)s”为依申请事项，须由单位专员申办，不能凭卡直接服务。") % {"name": version.name}
        )
    return version


def card_check(card, version, day) -> str | None:
    """Why ``card`` cannot be served ``version`` on ``day``: the card's own state first, then whether the
    item is open to the card's kind and the talent's category and county (W12)."""
    refusal = card_refusal(card, day)
    if refusal:
        return refusal
    openness = version.check_open_to(card.talent, card_kind=card.kind)
    return None if openness else openness.reason


def pick_card(talent, version, day):
    """The talent's card to serve ``version`` on, when the talent (not a card) was looked up: a card valid
    on ``day`` of a kind the item accepts; otherwise the refusal that the most relevant card meets."""
    cards = sorted(talent.cards.all(), key=lambda card: (card.issued_date, card.pk), reverse=True)
    if not cards:
        raise DirectServiceError(_("该人才没有人才卡，不能凭卡直接服务。"))
    refusals = []
    for card in cards:
        card.talent = talent
        refusal = card_check(card, version, day)
        if refusal is None:
            return card
        refusals.append((card.kind in version.data.get("card_kinds", []), refusal))
    # A card of a kind the item accepts explains the refusal best (expired, revoked …).
    refusals.sort(key=lambda pair: not pair[0])
    raise DirectServiceError(refusals[0][1])


def _required(value, message, *, limit=MAX_REASON):
    value = (value or "").strip()
    if not value:
        raise DirectServiceError(message)
    return value[:limit]


def _serving_post(by, version, *, at, post=None):
    """The post in which ``by`` gives ``version``: the one asked for, or the first of theirs that may."""
    posts = access.serving_posts(by, at=at)
    if not posts:
        raise NotAllowed(_("只有部门专员、承办专员或窗口专员可以登记直接服务。"))
    if post is not None:
        posts = [p for p in posts if p.pk == post.pk]
        if not posts:
            raise NotAllowed(_("所选专员岗位不是您当前的岗位。"))
    for candidate in posts:
        if access.can_serve(candidate, version):
            return candidate
    raise NotAllowed(
        _("事项“%(name)s”不属于您所在的部门或承办机构，您不能登记该事项的直接服务。") % {"name": version.name}
    )


# --- direct services (W12) ---------------------------------------------------------------------------


@transaction.atomic
def record_direct_service(
    *, card, item, place, outcome, outcome_reason="", note="", post=None, by, at
) -> DirectService:
    """W12 随时受理、直接服务: a department, undertaking or window commissioner records a service given on
    a talent card. Refused, with the reason, when the card is not valid today (expired, revoked, lost), the
    item is not a published direct item open to the card and the talent, or the item is not the
    commissioner's to give (another department's, another institution's).
    """
    version = direct_version(item)
    post = _serving_post(by, version, at=at, post=post)
    # Locked, so a card revoked or reported lost at this very moment is not served on.
    card = (
        TalentCard.objects.select_for_update(of=("self",))
        .select_related("talent__home_window", "talent__category")
        .get(pk=card.pk)
    )
    refusal = card_check(card, version, timezone.localdate(at))
    if refusal:
        raise DirectServiceError(refusal)
    place = _required(place, _("请填写服务地点。"), limit=200)
    if outcome not in Outcome.values:
        raise DirectServiceError(_("请选择服务结果。"))
    outcome_reason = (outcome_reason or "").strip()
    if outcome == Outcome.NOT_SERVED and not outcome_reason:
        raise DirectServiceError(_("未能服务时须填写原因。"))
    if outcome == Outcome.REFERRED and not outcome_reason:
        raise DirectServiceError(_("转介时须填写转介去向。"))
    return DirectService.objects.create(
        talent=card.talent,
        card=card,
        service_item=item,
        item_version=version,
        department_id=version.department_id,
        post=post,
        served_by=by,
        window_id=post.window_id if post.kind == PostKind.WINDOW else None,
        served_at=at,
        place=place,
        outcome=outcome,
        outcome_reason=outcome_reason[:MAX_REASON],
        note=(note or "").strip()[:MAX_NOTE],
        created_at=at,
    )


# --- appointments (S16) ------------------------------------------------------------------------------


def check_slot(starts_at, ends_at, *, at):
    """A bookable slot: in the future, within one working day on the official calendar, and within
    office hours 08:30–17:30 (local time)."""
    if ends_at <= starts_at:
        raise DirectServiceError(_("结束时间须晚于开始时间。"))
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() != end.date():
        raise DirectServiceError(_("预约须在同一天内。"))
    if starts_at <= at:
        raise DirectServiceError(_("预约时间须晚于当前时间。"))
    if not calendar.is_working_day(start.date()):
        raise DirectServiceError(
            _("%(date)s不是工作日（周末或法定节假日），请选择工作日预约。")
            % {"date": start.date().isoformat()}
        )
    if start.time() < OFFICE_OPENS or end.time() > OFFICE_CLOSES:
        raise DirectServiceError(_("预约时间须在办公时间08:30—17:30之内。"))


def slot(day, start, end):
    """Aware datetimes for ``start``–``end`` on ``day`` in the site's time zone."""
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.datetime.combine(day, start), zone),
        timezone.make_aware(datetime.datetime.combine(day, end), zone),
    )


def _talent_side_users(appointment):
    users = []
    if appointment.talent.user_id:
        users.append(appointment.talent.user)
    assignment = appointment.talent.unit_assignments.open().select_related("post__user").first()
    if assignment is not None:
        users.append(assignment.post.user)
    return users


def _commissioner_side_users(appointment, *, at):
    if appointment.post_id is not None:
        return [appointment.post.user]
    posts = Post.objects.filter(kind=PostKind.WINDOW, window_id=appointment.window_id).active_at(at)
    return [post.user for post in posts.select_related("user")]


def _lock(appointment, expected_version=None) -> Appointment:
    return lock_for_update(
        Appointment.objects.select_related(
            "talent__user", "talent__home_window", "item_version", "service_item", "post__user", "window"
        ),
        appointment.pk,
        expected_version=expected_version,
        error=StaleVersion,
        stale_message=_("该预约已被他人修改，请刷新页面后重试。"),
    )


def _refuse_unless(appointment, step):
    """The state guard of an appointment's step, from the table the detail page reads too."""
    access.APPOINTMENT_STEPS.check(step, appointment, error=InvalidTransition)


def _move(appointment, to_status, *, action, by, at, note="", fields=()):
    """Set the status and the given fields, bump the version, and record the event."""
    from_status = appointment.status
    appointment.status = to_status
    appointment.version = F("version") + 1
    appointment.save(update_fields=["status", "version", *fields])
    appointment.refresh_from_db(fields=["version"])
    return AppointmentEvent.objects.create(
        appointment=appointment,
        action=action,
        from_status=from_status,
        to_status=to_status,
        by=by,
        at=at,
        note=(note or "")[:MAX_NOTE],
    )


def _tell(users, appointment, *, kind, title, body="", at):
    notify(users, kind=kind, title=title, body=body, link=appointment.get_absolute_url(), at=at)


@transaction.atomic
def book_appointment(
    *, talent, item, starts_at, ends_at, post=None, window=None, note="", by, at
) -> Appointment:
    """S16: the talent or their unit commissioner books a slot for a direct item with one commissioner
    post (department, undertaking or window) or with a window. The slot must be in the future, on a
    working day and within office hours; the talent must hold a card the item can be served on today."""
    if not (access.is_talent(by, talent) or access.is_unit_commissioner_of(by, talent)):
        raise NotAllowed(_("只有人才本人或其单位专员可以预约。"))
    if (post is None) == (window is None):
        raise DirectServiceError(_("请选择预约的服务专员或服务窗口（二选一）。"))
    version = direct_version(item)
    pick_card(talent, version, timezone.localdate(at))
    check_slot(starts_at, ends_at, at=at)
    if post is not None:
        if (
            post.kind not in access.SERVING_KINDS
            or not post.is_active_at(at)
            or not access.can_serve(post, version)
        ):
            raise DirectServiceError(
                _("所选专员不负责事项“%(name)s”，请选择该事项主管部门或承办机构的专员，或服务窗口。")
                % {"name": version.name}
            )
    elif not window.is_active:
        raise DirectServiceError(_("所选服务窗口已停止运行。"))
    appointment = Appointment.objects.create(
        talent=talent,
        service_item=item,
        item_version=version,
        post=post,
        window=window,
        starts_at=starts_at,
        ends_at=ends_at,
        note=(note or "").strip()[:500],
        booked_by=by,
        booked_at=at,
    )
    AppointmentEvent.objects.create(
        appointment=appointment,
        action=AppointmentAction.BOOK,
        to_status=AppointmentStatus.REQUESTED,
        by=by,
        at=at,
        note=appointment.note,
    )
    _tell(
        _commissioner_side_users(appointment, at=at),
        appointment,
        kind="appointment_booked",
        title=_("新的服务预约：%(talent)s %(slot)s")
        % {"talent": talent.name, "slot": appointment.slot_label},
        body=_("预约事项：%(item)s。请确认或婉拒。") % {"item": version.name},
        at=at,
    )
    return appointment


@transaction.atomic
def confirm_appointment(appointment, *, by, at, note="", expected_version=None) -> Appointment:
    """The commissioner booked (for a window booking, any window commissioner there) confirms the slot.

    Double booking: one post never holds two confirmed appointments that overlap. The post's row is locked
    first, so two confirmations for the same post are serialised and the second sees the first; the
    database refuses an overlap as well, should any other path try.
    """
    appointment = _lock(appointment, expected_version)
    posts = access.commissioner_posts_for(by, appointment, at=at)
    if not posts:
        raise NotAllowed(_("只有被预约的专员（或预约窗口的窗口专员）可以确认预约。"))
    _refuse_unless(appointment, "confirm")
    if appointment.starts_at <= at:
        raise DirectServiceError(_("预约时间已过，不能确认。"))
    post = Post.objects.select_for_update().get(pk=appointment.post_id or posts[0].pk)
    clash = (
        Appointment.objects.select_for_update()
        .filter(post=post, status=AppointmentStatus.CONFIRMED)
        .overlapping(appointment.starts_at, appointment.ends_at)
        .exclude(pk=appointment.pk)
        .first()
    )
    if clash is not None:
        raise DirectServiceError(
            _("该时段与已确认的预约（%(slot)s）冲突，同一专员不能重复预约。") % {"slot": clash.slot_label}
        )
    appointment.post = post
    appointment.confirmed_by = by
    appointment.confirmed_at = at
    try:
        with transaction.atomic():
            _move(
                appointment,
                AppointmentStatus.CONFIRMED,
                action=AppointmentAction.CONFIRM,
                by=by,
                at=at,
                note=note,
                fields=["post", "confirmed_by", "confirmed_at"],
            )
    except IntegrityError as error:  # the database's overlap guard
        raise DirectServiceError(_("该时段与已确认的预约冲突，同一专员不能重复预约。")) from error
    _tell(
        _talent_side_users(appointment),
        appointment,
        kind="appointment_confirmed",
        title=_("服务预约已确认：%(slot)s") % {"slot": appointment.slot_label},
        body=_("%(item)s，服务专员：%(who)s。请携带人才卡和身份证件按时到场。")
        % {"item": appointment.item_version.name, "who": post.user.get_full_name()},
        at=at,
    )
    return appointment


@transaction.atomic
def decline_appointment(appointment, *, reason, by, at, expected_version=None) -> Appointment:
    """The commissioner declines a requested slot, always with the reason the talent is told."""
    appointment = _lock(appointment, expected_version)
    if not access.is_commissioner_side(by, appointment, at=at):
        raise NotAllowed(_("只有被预约的专员（或预约窗口的窗口专员）可以婉拒预约。"))
    _refuse_unless(appointment, "decline")
    appointment.decline_reason = _required(reason, _("婉拒预约须填写原因。"))
    _move(
        appointment,
        AppointmentStatus.DECLINED,
        action=AppointmentAction.DECLINE,
        by=by,
        at=at,
        note=appointment.decline_reason,
        fields=["decline_reason"],
    )
    _tell(
        _talent_side_users(appointment),
        appointment,
        kind="appointment_declined",
        title=_("服务预约未能安排：%(slot)s") % {"slot": appointment.slot_label},
        body=appointment.decline_reason,
        at=at,
    )
    return appointment


@transaction.atomic
def cancel_appointment(appointment, *, reason, by, at, expected_version=None) -> Appointment:
    """Either side cancels a requested or confirmed appointment, with the reason the other side is told."""
    appointment = _lock(appointment, expected_version)
    if access.is_talent_side(by, appointment):
        side = Side.TALENT
    elif access.is_commissioner_side(by, appointment, at=at):
        side = Side.COMMISSIONER
    else:
        raise NotAllowed(_("只有预约双方可以取消预约。"))
    _refuse_unless(appointment, "cancel")
    appointment.cancel_reason = _required(reason, _("取消预约须填写原因。"))
    appointment.cancelled_side = side
    _move(
        appointment,
        AppointmentStatus.CANCELLED,
        action=AppointmentAction.CANCEL,
        by=by,
        at=at,
        note=appointment.cancel_reason,
        fields=["cancel_reason", "cancelled_side"],
    )
    others = (
        _commissioner_side_users(appointment, at=at)
        if side == Side.TALENT
        else _talent_side_users(appointment)
    )
    _tell(
        [user for user in others if user.pk != by.pk],
        appointment,
        kind="appointment_cancelled",
        title=_("服务预约已取消：%(slot)s") % {"slot": appointment.slot_label},
        body=appointment.cancel_reason,
        at=at,
    )
    return appointment


@transaction.atomic
def complete_appointment(
    appointment,
    *,
    place,
    outcome,
    outcome_reason="",
    note="",
    card=None,
    by,
    at,
    expected_version=None,
) -> Appointment:
    """The commissioner records the service given for a confirmed appointment (W12): the same checks as
    any direct service (a valid card today, the item open to it), and the appointment links to it."""
    appointment = _lock(appointment, expected_version)
    posts = access.commissioner_posts_for(by, appointment, at=at)
    if not posts:
        raise NotAllowed(_("只有被预约的专员（或预约窗口的窗口专员）可以登记服务。"))
    _refuse_unless(appointment, "complete")
    if timezone.localdate(at) < appointment.local_date:
        raise DirectServiceError(_("预约日期未到，不能登记服务。"))
    if card is None:
        version = direct_version(appointment.service_item)
        card = pick_card(appointment.talent, version, timezone.localdate(at))
    elif card.talent_id != appointment.talent_id:
        raise DirectServiceError(_("该人才卡不属于预约的人才。"))
    service = record_direct_service(
        card=card,
        item=appointment.service_item,
        place=place,
        outcome=outcome,
        outcome_reason=outcome_reason,
        note=note,
        post=posts[0],
        by=by,
        at=at,
    )
    appointment.direct_service = service
    _move(
        appointment,
        AppointmentStatus.COMPLETED,
        action=AppointmentAction.COMPLETE,
        by=by,
        at=at,
        note=service.get_outcome_display(),
        fields=["direct_service"],
    )
    return appointment
