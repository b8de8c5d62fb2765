"""Every change of state of the engagement app: one function each (W5-4, W5-5, W16-1).

Each action takes keyword-only arguments with an explicit actor (``by``, None only for what the scheduler
does by itself) and time (``at``), runs in one transaction, re-reads the row it changes under
``select_for_update()`` (two people acting on one record at once are serialised; the second finds the state
changed and is refused), checks who may act and from which state, writes the change with its event row, and
notifies the talents through the inbox (or by SMS to a talent without an account) after commit.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.accounts.roles import get_scope
from huicai.casework.uploads import inspect_upload
from huicai.catalogue.models import ServiceItem
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.core.transitions import (
    ActionRefused,
    Conflict,
    InvalidTransition,
    NotAllowed,
    check_version,
    lock_for_update,
)
from huicai.directservices.cards import QR_PREFIX, InvalidCardCode, card_refusal, read_card_text
from huicai.engagement import access
from huicai.engagement.choices import (
    ACHIEVEMENT_CONSENT,
    GATHERING_INVITATION,
    OFFER_NOTICE,
    PUSH_NOTICE,
    AchievementAction,
    AchievementStatus,
    CheckInMethod,
    EmployerKind,
    GatheringAction,
    GatheringStatus,
    PushKind,
    ReceiptChannel,
    Rsvp,
    RuleAction,
)
from huicai.engagement.matching import (
    opted_out_ids,
    reasons_for,
    resolve_audience,
    talents_for_matching,
    used_pairs,
)
from huicai.engagement.models import (
    Achievement,
    AchievementEvent,
    ArrivalDate,
    EligibilityRule,
    Gathering,
    GatheringEvent,
    Grant,
    Invitation,
    Offer,
    Photo,
    Preference,
    PublicationConsent,
    Push,
    PushReceipt,
    RuleEvent,
)
from huicai.notifications.actions import notify
from huicai.notifications.models import Notification
from huicai.policies.models import Policy
from huicai.talents.models import Talent, TalentCard

CONSENT_STATEMENT = _(
    "本人同意临沂市高层次人才服务窗口在公开网站发布本人成果“%(title)s”（含姓名、所在单位、成果介绍和照片）。"
    "本人可随时撤回同意，撤回后该成果即停止公开。"
)


# --- gatherings (W5-4) ------------------------------------------------------------------------------


@transaction.atomic
def create_gathering(*, window, title, description, place, starts_at, ends_at, by, at) -> Gathering:
    """W5-4: a window organises a 联谊交流活动 for its talents."""
    if not access.acts_for_window(by, window):
        raise NotAllowed(_("只有主办窗口的窗口专员可以组织活动。"))
    if ends_at <= starts_at:
        raise ActionRefused(_("结束时间必须晚于开始时间。"), code="ends_before_start")
    if starts_at <= at:
        raise ActionRefused(_("活动开始时间必须晚于现在。"), code="in_the_past")
    gathering = Gathering.objects.create(
        window=window,
        title=title,
        description=description,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        created_by=by,
        created_at=at,
    )
    GatheringEvent.objects.create(
        gathering=gathering, action=GatheringAction.CREATE, to_status=gathering.status, by=by, at=at
    )
    return gathering


def _lock_gathering(gathering, expected_version=None) -> Gathering:
    return lock_for_update(
        Gathering.objects.select_related("window"), gathering.pk, expected_version=expected_version
    )


@transaction.atomic
def invite_talents(
    gathering,
    *,
    categories=(),
    card_level="",
    windows=(),
    employers=(),
    talents=(),
    by,
    at,
    expected_version=None,
) -> list[Invitation]:
    """W5-4: invite talents by category, card level, region, employer or a list. The audience is taken from
    the talents the organiser may see (a county window invites only its own); talents already invited are
    skipped, so sending a second wave to a wider audience invites only the new ones."""
    gathering = _lock_gathering(gathering, expected_version)
    if not access.acts_for_window(by, gathering.window):
        raise NotAllowed(_("只有主办窗口的窗口专员可以邀请人才。"))
    if gathering.status != GatheringStatus.OPEN or gathering.starts_at <= at:
        raise InvalidTransition(_("活动已开始、结束或取消，不能再邀请。"), code="invalid_transition")
    audience = resolve_audience(
        by=by,
        categories=categories,
        card_level=card_level,
        windows=windows,
        employers=employers,
        talents=talents,
        day=timezone.localdate(at),
    ).exclude(gathering_invitations__gathering=gathering)
    invitees = list(audience.select_related("user"))
    if not invitees:
        raise ActionRefused(_("没有符合条件且尚未受邀的人才。"), code="empty_audience")
    invitations = Invitation.objects.bulk_create(
        [Invitation(gathering=gathering, talent=t, invited_by=by, invited_at=at) for t in invitees]
    )
    gathering.categories.add(*categories)
    gathering.windows.add(*windows)
    gathering.employers.add(*employers)
    gathering.talents.add(*talents)
    if card_level:
        gathering.card_level = card_level
    gathering.version += 1
    gathering.save(update_fields=["card_level", "version"])
    GatheringEvent.objects.create(
        gathering=gathering,
        action=GatheringAction.INVITE,
        by=by,
        at=at,
        note=_("邀请 %(count)d 位人才") % {"count": len(invitations)},
    )
    notify(
        invitees,
        kind=GATHERING_INVITATION,
        title=_("活动邀请：%(title)s") % {"title": gathering.title},
        body=_("%(when)s 在%(place)s举办，请回复是否参加。")
        % {
            "when": timezone.localtime(gathering.starts_at).strftime("%Y-%m-%d %H:%M"),
            "place": gathering.place,
        },
        link=reverse("engagement:my_gathering", args=[gathering.pk]),
        at=at,
    )
    return invitations


@transaction.atomic
def answer_invitation(invitation, *, accept: bool, by, at) -> Invitation:
    """W5-4: the talent answers on the phone, and may change the answer until the gathering starts."""
    # Locks in the order every gathering action takes them, gathering then invitation: the door's check-in
    # at the same moment waits for this answer (or this for it) instead of deadlocking with it.
    gathering = _lock_gathering(Gathering(pk=invitation.gathering_id))
    invitation = lock_for_update(Invitation, invitation.pk)
    if not access.is_the_talent(by, invitation.talent_id):
        raise NotAllowed(_("只有受邀人才本人可以回复邀请。"))
    if gathering.status != GatheringStatus.OPEN or gathering.starts_at <= at:
        raise InvalidTransition(_("活动已开始、结束或取消，不能再回复。"), code="invalid_transition")
    old = invitation.rsvp
    invitation.rsvp = Rsvp.ACCEPTED if accept else Rsvp.DECLINED
    invitation.rsvp_at = at
    invitation.save(update_fields=["rsvp", "rsvp_at"])
    GatheringEvent.objects.create(
        gathering=gathering,
        action=GatheringAction.RSVP,
        talent_id=invitation.talent_id,
        from_status=old,
        to_status=invitation.rsvp,
        by=by,
        at=at,
    )
    return invitation


def _check_in(gathering, talent_id, *, method, by, at) -> Invitation:
    if not access.acts_for_window(by, gathering.window):
        raise NotAllowed(_("只有主办窗口的窗口专员可以登记签到。"))
    if gathering.status == GatheringStatus.CANCELLED:
        raise InvalidTransition(_("活动已取消，不能签到。"), code="invalid_transition")
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .filter(gathering=gathering, talent_id=talent_id)
        .select_related("talent")
        .first()
    )
    if invitation is None:
        raise ActionRefused(_("该人才未受邀参加本次活动。"), code="not_invited")
    if invitation.attended_at is not None:
        raise Conflict(
            _("%(name)s 已于 %(time)s 签到。")
            % {
                "name": invitation.talent.name,
                "time": timezone.localtime(invitation.attended_at).strftime("%H:%M"),
            },
            code="already_attended",
        )
    invitation.attended_at = at
    invitation.attendance_method = method
    invitation.attendance_by = by
    invitation.save(update_fields=["attended_at", "attendance_method", "attendance_by"])
    GatheringEvent.objects.create(
        gathering=gathering,
        action=GatheringAction.ATTEND,
        talent_id=talent_id,
        by=by,
        at=at,
        note=CheckInMethod(method).label,
    )
    return invitation


@transaction.atomic
def check_in_from_list(gathering, *, talent, by, at) -> Invitation:
    """W5-4: attendance ticked from the list of invitees."""
    gathering = _lock_gathering(gathering)
    return _check_in(gathering, talent.pk, method=CheckInMethod.LIST, by=by, at=at)


@transaction.atomic
def check_in_with_card(gathering, *, text, by, at) -> Invitation:
    """W5-4: attendance at the door from the talent card: its QR code scanned (a signed payload, checked
    before any look-up) or its number typed. A revoked, lost or expired card is refused."""
    gathering = _lock_gathering(gathering)
    if not access.acts_for_window(by, gathering.window):
        raise NotAllowed(_("只有主办窗口的窗口专员可以登记签到。"))
    try:
        number = read_card_text(text)
    except InvalidCardCode as error:
        raise ActionRefused(str(error), code="bad_card") from error
    card = TalentCard.objects.filter(number=number).first()
    if card is None:
        raise ActionRefused(_("未找到该惠才卡。"), code="unknown_card")
    refusal = card_refusal(card, timezone.localdate(at))
    if refusal:
        raise ActionRefused(refusal + "。", code="card_refused")
    method = CheckInMethod.QR if text.strip().upper().startswith(QR_PREFIX + ":") else CheckInMethod.CARD
    return _check_in(gathering, card.talent_id, method=method, by=by, at=at)


@transaction.atomic
def close_gathering(gathering, *, by, at, expected_version=None) -> Gathering:
    """The gathering is over: no more answers or invitations; check-ins already taken stand."""
    gathering = _lock_gathering(gathering, expected_version)
    if not access.acts_for_window(by, gathering.window):
        raise NotAllowed(_("只有主办窗口的窗口专员可以结束活动。"))
    if gathering.status != GatheringStatus.OPEN:
        raise InvalidTransition(_("活动已结束或取消。"), code="invalid_transition")
    if gathering.starts_at > at:
        raise InvalidTransition(_("活动尚未开始，不能结束。"), code="not_started")
    old = gathering.status
    gathering.status = GatheringStatus.CLOSED
    gathering.version += 1
    gathering.save(update_fields=["status", "version"])
    GatheringEvent.objects.create(
        gathering=gathering,
        action=GatheringAction.CLOSE,
        from_status=old,
        to_status=gathering.status,
        by=by,
        at=at,
    )
    return gathering


@transaction.atomic
def cancel_gathering(gathering, *, reason, by, at, expected_version=None) -> Gathering:
    """A gathering called off before it starts: every invitee who has not declined is told why."""
    gathering = _lock_gathering(gathering, expected_version)
    if not access.acts_for_window(by, gathering.window):
        raise NotAllowed(_("只有主办窗口的窗口专员可以取消活动。"))
    if gathering.status != GatheringStatus.OPEN or gathering.starts_at <= at:
        raise InvalidTransition(_("只有尚未开始的活动可以取消。"), code="invalid_transition")
    if not reason.strip():
        raise ActionRefused(_("请填写取消原因。"), code="no_reason")
    old = gathering.status
    gathering.status = GatheringStatus.CANCELLED
    gathering.version += 1
    gathering.save(update_fields=["status", "version"])
    GatheringEvent.objects.create(
        gathering=gathering,
        action=GatheringAction.CANCEL,
        from_status=old,
        to_status=gathering.status,
        by=by,
        at=at,
        note=reason,
    )
    told = Talent.objects.filter(
        gathering_invitations__gathering=gathering,
    ).exclude(gathering_invitations__rsvp=Rsvp.DECLINED, gathering_invitations__gathering=gathering)
    notify(
        list(told.select_related("user")),
        kind=GATHERING_INVITATION,
        title=_("活动取消：%(title)s") % {"title": gathering.title},
        body=reason,
        link=reverse("engagement:my_gathering", args=[gathering.pk]),
        at=at,
    )
    return gathering


def _photo(file, *, by, at, caption, **owner) -> Photo:
    try:
        facts = inspect_upload(file)
    except ValidationError as error:
        raise ActionRefused(error.messages[0], code="bad_file") from error
    if facts["content_type"] not in ("image/jpeg", "image/png"):
        raise ActionRefused(_("照片只接受 JPG、PNG 图片。"), code="bad_type")
    photo = Photo(caption=caption, uploaded_by=by, uploaded_at=at, **owner, **facts)
    photo.file.save(facts["original_name"], file, save=False)
    photo.save()
    return photo


@transaction.atomic
def add_gathering_photo(gathering, *, file, caption="", by, at) -> Photo:
    """W5-4 宣传: a photo of the gathering, checked by content and kept outside the web root."""
    gathering = _lock_gathering(gathering)
    if not access.acts_for_window(by, gathering.window):
        raise NotAllowed(_("只有主办窗口的窗口专员可以上传活动照片。"))
    photo = _photo(file, by=by, at=at, caption=caption, gathering=gathering)
    GatheringEvent.objects.create(
        gathering=gathering, action=GatheringAction.PHOTO, by=by, at=at, note=photo.original_name
    )
    return photo


# --- achievements and consent (W5-5) ---------------------------------------------------------------


def _may_record_for(user, talent) -> bool:
    return access.serves_talent(user, talent) or access.is_unit_commissioner_of(user, talent)


@transaction.atomic
def record_achievement(talent, *, title, summary, achieved_date, by, at) -> Achievement:
    """W5-5: the window or the unit commissioner records a talent's achievement; it waits for the talent's
    consent before anything is published, and the talent is asked."""
    talent = Talent.objects.select_related("home_window", "user").get(pk=talent.pk)
    if not _may_record_for(by, talent):
        raise NotAllowed(_("只有人才的属地窗口或单位专员可以登记成果。"))
    if achieved_date > timezone.localdate(at):
        raise ActionRefused(_("取得日期不能晚于今天。"), code="future_date")
    achievement = Achievement.objects.create(
        talent=talent,
        title=title,
        summary=summary,
        achieved_date=achieved_date,
        recorded_by=by,
        recorded_at=at,
    )
    AchievementEvent.objects.create(
        achievement=achievement, action=AchievementAction.RECORD, to_status=achievement.status, by=by, at=at
    )
    notify(
        [talent],
        kind=ACHIEVEMENT_CONSENT,
        title=_("成果公开征求您的同意：%(title)s") % {"title": title},
        body=_("窗口拟在公开网站宣传您的成果，须经您本人同意；您可随时撤回。"),
        link=achievement.get_absolute_url(),
        at=at,
    )
    return achievement


def _lock_achievement(achievement, expected_version=None) -> Achievement:
    return lock_for_update(
        Achievement.objects.select_related("talent__home_window"),
        achievement.pk,
        expected_version=expected_version,
    )


def _event(achievement, action, old, *, by, at, note=""):
    AchievementEvent.objects.create(
        achievement=achievement,
        action=action,
        from_status=old,
        to_status=achievement.status,
        by=by,
        at=at,
        note=note,
    )


@transaction.atomic
def consent_to_publication(achievement, *, by, at) -> PublicationConsent:
    """W5-5: the talent, and only the talent, consents to publishing the achievement; the consent records
    the statement they agreed to and when."""
    achievement = _lock_achievement(achievement)
    if not access.is_the_talent(by, achievement.talent_id):
        raise NotAllowed(_("只有人才本人可以同意公开。"))
    if achievement.status not in (AchievementStatus.AWAITING_CONSENT, AchievementStatus.WITHDRAWN):
        raise InvalidTransition(_("您已同意公开该成果。"), code="invalid_transition")
    consent = PublicationConsent.objects.create(
        achievement=achievement,
        statement=CONSENT_STATEMENT % {"title": achievement.title},
        given_by=by,
        given_at=at,
    )
    old = achievement.status
    achievement.status = AchievementStatus.CONSENTED
    achievement.version += 1
    achievement.save(update_fields=["status", "version"])
    _event(achievement, AchievementAction.CONSENT, old, by=by, at=at)
    return consent


@transaction.atomic
def publish_achievement(achievement, *, by, at, expected_version=None) -> Achievement:
    """W5-5: the window publishes an achievement on the public site, only while the talent's consent stands."""
    achievement = _lock_achievement(achievement, expected_version)
    if not access.serves_talent(by, achievement.talent):
        raise NotAllowed(_("只有人才的属地窗口可以公开成果。"))
    if achievement.status != AchievementStatus.CONSENTED:
        raise InvalidTransition(
            _("须经人才本人同意后才能公开（当前状态：%(status)s）。")
            % {"status": achievement.get_status_display()},
            code="invalid_transition",
        )
    if not achievement.consents.filter(withdrawn_at__isnull=True).exists():
        raise InvalidTransition(_("人才的同意已撤回，不能公开。"), code="no_consent")
    old = achievement.status
    achievement.status = AchievementStatus.PUBLISHED
    achievement.published_at = at
    achievement.version += 1
    achievement.save(update_fields=["status", "published_at", "version"])
    _event(achievement, AchievementAction.PUBLISH, old, by=by, at=at)
    return achievement


@transaction.atomic
def withdraw_consent(achievement, *, by, at) -> Achievement:
    """W5-5, PIPL art. 15: the talent withdraws the consent; a published achievement is unpublished at once
    (it leaves the public site in the same transaction). The withdrawal is in the audit log."""
    achievement = _lock_achievement(achievement)
    if not access.is_the_talent(by, achievement.talent_id):
        raise NotAllowed(_("只有人才本人可以撤回同意。"))
    consent = achievement.consents.select_for_update().filter(withdrawn_at__isnull=True).first()
    if consent is None:
        raise InvalidTransition(_("该成果没有有效的同意可撤回。"), code="invalid_transition")
    consent.withdrawn_at = at
    consent.save(update_fields=["withdrawn_at"])
    old = achievement.status
    achievement.status = AchievementStatus.WITHDRAWN
    achievement.published_at = None
    achievement.version += 1
    achievement.save(update_fields=["status", "published_at", "version"])
    _event(achievement, AchievementAction.WITHDRAW, old, by=by, at=at)
    audit.record(
        AuditEvent.Kind.CONSENT_WITHDRAWN, actor=by, at=at, obj=achievement, detail="achievement publication"
    )
    return achievement


@transaction.atomic
def add_achievement_photo(achievement, *, file, caption="", by, at) -> Photo:
    achievement = _lock_achievement(achievement)
    if not _may_record_for(by, achievement.talent):
        raise NotAllowed(_("只有人才的属地窗口或单位专员可以上传成果照片。"))
    photo = _photo(file, by=by, at=at, caption=caption, achievement=achievement)
    _event(achievement, AchievementAction.PHOTO, achievement.status, by=by, at=at, note=photo.original_name)
    return photo


# --- information push (W16-1) ------------------------------------------------------------------------


@transaction.atomic
def send_push(
    *,
    window,
    kind,
    title,
    body,
    policy=None,
    service_item=None,
    categories=(),
    card_level="",
    windows=(),
    employers=(),
    talents=(),
    by,
    at,
) -> Push:
    """W16-1: push a policy, a catalogue item or a notice to the sender's talents by category, card level,
    region, employer or list. Talents with an account get it in their inbox, the others by SMS; each gets
    a receipt the sender counts. Talents who opted out get no policy or item push (a notice still goes)."""
    if not access.acts_for_window(by, window):
        raise NotAllowed(_("只有窗口专员可以以本窗口名义推送信息。"))
    day = timezone.localdate(at)
    if kind == PushKind.POLICY:
        # Read again: the caller's copy may predate an expiry.
        policy = Policy.objects.in_force_on(day).filter(pk=getattr(policy, "pk", None)).first()
        if policy is None:
            raise ActionRefused(_("只能推送现行有效的政策。"), code="bad_target")
        service_item = None
    elif kind == PushKind.ITEM:
        service_item = ServiceItem.objects.published().filter(pk=getattr(service_item, "pk", None)).first()
        if service_item is None:
            raise ActionRefused(_("只能推送已公布的服务事项。"), code="bad_target")
        policy = None
    else:
        policy = service_item = None
    audience = list(
        resolve_audience(
            by=by,
            categories=categories,
            card_level=card_level,
            windows=windows,
            employers=employers,
            talents=talents,
            day=day,
        ).select_related("user")
    )
    skipped = 0
    if kind != PushKind.NOTICE:
        opted_out = opted_out_ids([t.pk for t in audience])
        skipped = sum(1 for t in audience if t.pk in opted_out)
        audience = [t for t in audience if t.pk not in opted_out]
    if not audience:
        raise ActionRefused(_("没有符合条件的人才（或均已退订主动推送）。"), code="empty_audience")
    push = Push.objects.create(
        kind=kind,
        title=title,
        body=body,
        policy=policy,
        service_item=service_item,
        window=window,
        card_level=card_level,
        sent_by=by,
        sent_at=at,
        skipped_opted_out=skipped,
    )
    push.categories.set(categories)
    push.windows.set(windows)
    push.employers.set(employers)
    push.talents.set(talents)
    # One notification per talent, in the audience's order (distinct talents: notify keeps the order).
    notifications = notify(
        audience, kind=PUSH_NOTICE, title=title, body=body[:200], link=push.get_absolute_url(), at=at
    )
    PushReceipt.objects.bulk_create(
        [
            PushReceipt(
                push=push,
                talent=talent,
                channel=ReceiptChannel.INBOX if talent.user_id else ReceiptChannel.SMS,
                notification=notification,
            )
            for talent, notification in zip(audience, notifications, strict=True)
        ]
    )
    return push


@transaction.atomic
def read_push(push, *, by, at) -> PushReceipt | None:
    """The talent opened the push: their read receipt is set once (the first reading counts) and the inbox
    copy is marked read. None when ``by`` received no copy (the sender looking at it, say)."""
    talent_id = get_scope(by).talent_id
    if not talent_id:
        return None
    receipt = PushReceipt.objects.select_for_update().filter(push=push, talent_id=talent_id).first()
    if receipt is None:
        return None
    if receipt.read_at is None:
        receipt.read_at = at
        receipt.save(update_fields=["read_at"])
    if receipt.notification_id:
        Notification.objects.filter(pk=receipt.notification_id, read_at__isnull=True).update(read_at=at)
    return receipt


@transaction.atomic
def set_offer_opt_out(talent, *, opted_out: bool, by, at) -> Preference:
    """W16-1: the talent, and only the talent, opts out of (or back in to) proactive pushes."""
    if not access.is_the_talent(by, talent.pk):
        raise NotAllowed(_("只有人才本人可以设置是否接收主动推送。"))
    preference, _created = Preference.objects.select_for_update().get_or_create(
        talent=talent, defaults={"offers_opted_out": opted_out, "changed_at": at}
    )
    preference.offers_opted_out = opted_out
    preference.changed_at = at
    preference.save(update_fields=["offers_opted_out", "changed_at"])
    return preference


# --- 政策找人 (W16-1) ----------------------------------------------------------------------------------


@transaction.atomic
def record_arrival_date(talent, *, arrival_date, by, at) -> ArrivalDate:
    """The date the talent came to work in Linyi, kept by the window over the talent."""
    talent = Talent.objects.select_related("home_window").get(pk=talent.pk)
    if not access.serves_talent(by, talent):
        raise NotAllowed(_("只有人才的属地窗口可以登记来临工作日期。"))
    if arrival_date > timezone.localdate(at):
        raise ActionRefused(_("来临工作日期不能晚于今天。"), code="future_date")
    arrival, _created = ArrivalDate.objects.select_for_update().get_or_create(
        talent=talent, defaults={"arrival_date": arrival_date, "recorded_by": by, "recorded_at": at}
    )
    arrival.arrival_date = arrival_date
    arrival.recorded_by = by
    arrival.recorded_at = at
    arrival.save()
    return arrival


def _target_window(policy, service_item):
    return policy.window if policy is not None else service_item.window


@transaction.atomic
def save_rule(
    *,
    policy=None,
    service_item=None,
    categories=(),
    card_level="",
    windows=(),
    employer_kinds=(),
    arrived_from_date=None,
    arrived_before_date=None,
    min_age=None,
    max_age=None,
    grant_without_application=False,
    is_active=True,
    note="",
    by,
    at,
    expected_version=None,
) -> EligibilityRule:
    """W16-1 政策找人: state who is eligible for a policy or a catalogue item. Kept on a rule of our own
    beside the policy or item, set by the window that owns it (or one above)."""
    if (policy is None) == (service_item is None):
        raise ActionRefused(_("适用条件须属于一项政策或一个服务事项。"), code="bad_target")
    window = _target_window(policy, service_item)
    if not access.acts_for_window(by, window):
        raise NotAllowed(_("只有发布该政策或事项的窗口可以设定适用条件。"))
    if min_age is not None and max_age is not None and max_age < min_age:
        raise ActionRefused(_("最高年龄不能小于最低年龄。"), code="age_range")
    if arrived_from_date and arrived_before_date and arrived_before_date <= arrived_from_date:
        raise ActionRefused(_("来临日期的截止日须晚于起始日。"), code="arrival_range")
    unknown = set(employer_kinds) - set(EmployerKind.values)
    if unknown:
        raise ActionRefused(_("未知的单位性质。"), code="employer_kind")
    target = {"policy": policy} if policy is not None else {"service_item": service_item}
    rule = EligibilityRule.objects.select_for_update().filter(**target).first()
    fields = {
        "card_level": card_level,
        "employer_kinds": sorted(set(employer_kinds)),
        "arrived_from_date": arrived_from_date,
        "arrived_before_date": arrived_before_date,
        "min_age": min_age,
        "max_age": max_age,
        "grant_without_application": grant_without_application,
        "is_active": is_active,
        "note": note,
        "updated_by": by,
        "updated_at": at,
    }
    if rule is None:
        rule = EligibilityRule.objects.create(window=window, **target, **fields)
    else:
        check_version(rule, expected_version)
        for name, value in fields.items():
            setattr(rule, name, value)
        rule.version += 1
        rule.save()
    rule.categories.set(categories)
    rule.windows.set(windows)
    RuleEvent.objects.create(rule=rule, action=RuleAction.SAVE, by=by, at=at, note=note)
    return rule


def _matching_talents(rule, *, by, day):
    talents = Talent.objects.all() if by is None else Talent.objects.visible_to(by)
    return list(talents_for_matching(talents.select_related("user"), day))


@transaction.atomic
def offer_rule(rule, *, by=None, at) -> int:
    """W16-1 政策找人: offer the rule's policy or item to each eligible talent who has not used it, has not
    opted out and was not offered it before (each match is offered once). ``by`` None is the daily run,
    which looks at every talent; a window offering by hand reaches only its own. Returns how many."""
    rule = lock_for_update(EligibilityRule.objects.with_targets(), rule.pk)
    if by is not None and not access.acts_for_window(by, rule.window):
        raise NotAllowed(_("只有设定该适用条件的窗口可以推送。"))
    day = timezone.localdate(at)
    if not rule.is_active or not rule.is_offerable_on(day):
        raise InvalidTransition(_("该政策或事项未公开或适用条件已停用，不能推送。"), code="not_offerable")
    talents = _matching_talents(rule, by=by, day=day)
    ids = [t.pk for t in talents]
    skip = used_pairs([rule], ids)
    opted_out = opted_out_ids(ids)
    offered = set(Offer.objects.filter(rule=rule, talent_id__in=ids).values_list("talent_id", flat=True))
    made = 0
    for talent in talents:
        if (rule.pk, talent.pk) in skip or talent.pk in opted_out or talent.pk in offered:
            continue
        reasons = reasons_for(rule, talent, day)
        if reasons is None:
            continue
        [notification] = notify(
            [talent],
            kind=OFFER_NOTICE,
            title=_("您可能可以享受：%(title)s") % {"title": rule.target_title},
            body=_("符合的条件：%(reasons)s。") % {"reasons": "；".join(reasons)},
            link=reverse("engagement:mine"),
            at=at,
        )
        Offer.objects.create(
            rule=rule, talent=talent, reason="；".join(reasons), offered_at=at, notification=notification
        )
        made += 1
    if made:
        RuleEvent.objects.create(
            rule=rule,
            action=RuleAction.OFFER,
            by=by,
            at=at,
            note=_("推送 %(count)d 位人才") % {"count": made},
        )
    return made


@transaction.atomic
def grant_benefit(rule, *, talent, note="", by, at) -> Grant:
    """W16-1 免申即享: the window over the talent grants an eligible talent the policy or item with no
    application. The grant is a record the talent's archive shows; it is made once per talent."""
    rule = lock_for_update(EligibilityRule.objects.with_targets(), rule.pk)
    talent = access.get_talent_for_user(by, talent.pk)  # 404 outside the granting window's sight
    if not access.serves_talent(by, talent):
        raise NotAllowed(_("只有人才的属地窗口可以办理免申即享。"))
    if not rule.grant_without_application:
        raise InvalidTransition(_("该项不属于免申即享，须由人才申办。"), code="not_grantable")
    day = timezone.localdate(at)
    if not rule.is_active or not rule.is_offerable_on(day):
        raise InvalidTransition(_("该政策或事项未公开或适用条件已停用，不能办理。"), code="not_offerable")
    if Grant.objects.filter(rule=rule, talent=talent).exists():
        raise Conflict(_("该人才已享受此项。"), code="already_granted")
    [matched] = talents_for_matching(Talent.objects.filter(pk=talent.pk), day)
    reasons = reasons_for(rule, matched, day)
    if reasons is None:
        raise ActionRefused(_("该人才不符合适用条件。"), code="not_eligible")
    try:
        with transaction.atomic():
            grant = Grant.objects.create(
                rule=rule,
                talent=talent,
                policy=rule.policy,
                service_item=rule.service_item,
                title=rule.target_title,
                reason="；".join(reasons),
                note=note,
                window=talent.home_window,
                granted_by=by,
                granted_at=at,
            )
    except IntegrityError as error:  # another window commissioner granted it a moment ago
        raise Conflict(_("该人才已享受此项。"), code="already_granted") from error
    RuleEvent.objects.create(rule=rule, action=RuleAction.GRANT, talent=talent, by=by, at=at, note=note)
    notify(
        [Talent.objects.select_related("user").get(pk=talent.pk)],
        kind=OFFER_NOTICE,
        title=_("已为您免申办理：%(title)s") % {"title": rule.target_title},
        body=note,
        link=reverse("engagement:mine"),
        at=at,
    )
    return grant
