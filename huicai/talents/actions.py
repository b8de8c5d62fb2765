"""Registering talents and keeping their cards (W15 talent records, S11-4 cards)."""

import datetime
import hashlib
import logging
import secrets
from functools import partial

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.commissioners.actions import assign_unit_commissioner
from huicai.core.validators import validate_resident_id
from huicai.talents.choices import CardStatus, IdType, TalentEventKind
from huicai.talents.models import Talent, TalentCard, TalentCardEvent, TalentEvent, TalentInvitation

logger = logging.getLogger(__name__)

# Issue 11 §2: an activation link is good for 72 hours.
INVITATION_VALIDITY = datetime.timedelta(hours=72)


class TalentError(ValidationError):
    """A change to a talent's record that the rules refuse; the message is for the person."""


@transaction.atomic
def register_talent(*, by, at, unit_commissioner=None, reason="", **fields) -> Talent:
    """Create a talent record, validated as a whole, and assign the unit commissioner when given (S6).

    A resident ID number is also checked against the day of ``at``: a birth date after it is refused (the
    model's own validation checks everything else about the number, but has no day to compare with).
    """
    talent = Talent(**fields)
    talent.full_clean()
    if talent.id_type == IdType.RESIDENT:
        try:
            validate_resident_id(talent.id_number, today=timezone.localdate(at))
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from exc
    talent.save()
    if unit_commissioner is not None:
        assign_unit_commissioner(talent, post=unit_commissioner, by=by, at=at, reason=reason or _("登记人才"))
    return talent


@transaction.atomic
def issue_card(talent, *, kind, number, issued_date, valid_until_date, level="", by, at) -> TalentCard:
    """Record a talent card issued to ``talent``, with its first event. A second valid card of the same kind
    is refused."""
    card = TalentCard(
        talent=talent,
        kind=kind,
        number=number.strip(),
        level=level,
        issued_date=issued_date,
        valid_until_date=valid_until_date,
        status=CardStatus.VALID,
    )
    card.full_clean()
    card.save()
    TalentCardEvent.objects.create(card=card, to_status=card.status, by=by, at=at, note=_("发卡"))
    return card


ALLOWED_CARD_CHANGES = {
    CardStatus.VALID: {CardStatus.EXPIRED, CardStatus.REVOKED, CardStatus.LOST},
    CardStatus.EXPIRED: {CardStatus.REVOKED},
    CardStatus.LOST: {CardStatus.REVOKED},
    CardStatus.REVOKED: set(),
}


@transaction.atomic
def change_card_status(card, *, status, by, at, note="") -> TalentCard:
    """Expire, revoke or report a card lost, and record it. A revoked card stays revoked: a card once
    withdrawn is never valid again (a new card is issued instead), so direct services cannot be had on it."""
    card = TalentCard.objects.select_for_update().get(pk=card.pk)
    if CardStatus(status) not in ALLOWED_CARD_CHANGES[CardStatus(card.status)]:
        raise ValidationError(
            _("人才卡状态不能从“%(old)s”改为“%(new)s”。")
            % {"old": card.get_status_display(), "new": CardStatus(status).label}
        )
    from_status = card.status
    card.status = status
    card.save(update_fields=["status"])
    TalentCardEvent.objects.create(
        card=card, from_status=from_status, to_status=status, by=by, at=at, note=note
    )
    return card


@transaction.atomic
def change_employer(talent, *, employer, unit_post=None, by, at, note="") -> Talent:
    """Move a talent to another employer (by form, import or API), in one transaction (S6).

    The unit commissioner of the old employer stops being the talent's contact at ``at``. The talent goes
    to ``unit_post`` when given (it must be an active unit post of the new employer), else to the new
    employer's only active unit commissioner, else into the coverage gap until a window assigns one. The
    employer change is an event on the talent's record; the closed period keeps the old commissioner.
    """
    from huicai.commissioners.actions import assign_unit_commissioner, release_unit_commissioner
    from huicai.commissioners.choices import PostKind
    from huicai.commissioners.models import Post

    talent = Talent.objects.select_for_update().select_related("employer").get(pk=talent.pk)
    if talent.employer_id == employer.pk:
        raise TalentError(_("该人才已在此用人单位。"))
    if unit_post is None:
        candidates = list(Post.objects.filter(kind=PostKind.UNIT, employer=employer).active_at(at)[:2])
        # Several commissioners at the new employer: which one is a person's choice, not ours.
        unit_post = candidates[0] if len(candidates) == 1 else None
    reason = _("用人单位变更")
    old_employer = talent.employer
    release_unit_commissioner(talent, by=by, at=at, reason=reason)
    talent.employer = employer
    talent.save(update_fields=["employer", "updated_at"])
    TalentEvent.objects.create(
        talent=talent,
        kind=TalentEventKind.EMPLOYER_CHANGED,
        by=by,
        at=at,
        note=note or f"{old_employer.name} → {employer.name}",
        data={"from_employer_id": old_employer.pk, "to_employer_id": employer.pk},
    )
    if unit_post is not None:
        assign_unit_commissioner(talent, post=unit_post, by=by, at=at, reason=reason)
    else:
        TalentEvent.objects.create(
            talent=talent,
            kind=TalentEventKind.COVERAGE_GAP,
            by=by,
            at=at,
            note=_("新用人单位没有唯一在岗的单位专员，待窗口指定。"),
        )
    return talent


class InvitationError(ValidationError):
    """An invitation or activation the rules refuse; the message is for the person."""


def token_digest(token: str) -> str:
    """What is stored of an activation token: its SHA-256. The token has 256 random bits, so a plain
    digest suffices (no salt or stretching needed to stop guessing)."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def invite_talent(talent, *, by, at) -> TalentInvitation:
    """Invite a talent to open their own account (issue 11 §2): a one-time activation link, valid 72 hours,
    sent by SMS to the phone on the talent's record once the transaction commits.

    Re-sending supersedes the earlier invitation, whose link then stops working. Only the token's digest is
    kept; the raw token exists only in the SMS. A gateway failure is logged and leaves the invitation as
    sent: the window sees it and re-sends.
    """
    talent = Talent.objects.select_for_update().get(pk=talent.pk)
    if talent.user_id:
        raise InvitationError(_("该人才已开通账号，无需邀请。"))
    if not talent.mobile:
        raise InvitationError(_("该人才没有登记手机号码，无法发送邀请短信。"))
    talent.invitations.filter(used_at__isnull=True, superseded_at__isnull=True).update(superseded_at=at)
    token = secrets.token_urlsafe(32)
    invitation = TalentInvitation.objects.create(
        talent=talent,
        token_hash=token_digest(token),
        sent_by=by,
        sent_at=at,
        expires_at=at + INVITATION_VALIDITY,
    )
    TalentEvent.objects.create(talent=talent, kind=TalentEventKind.INVITED, by=by, at=at)
    transaction.on_commit(partial(_send_invitation, talent.mobile, token, invitation.pk), robust=True)
    return invitation


def invite_talents(talents, *, by, at) -> dict:
    """Invite several talents (after an import): each in its own transaction, so one refused talent does
    not stop the rest. Returns the counts and the refusals by talent name."""
    sent, refused = 0, {}
    for talent in talents:
        try:
            invite_talent(talent, by=by, at=at)
        except InvitationError as exc:
            refused[talent.name] = exc.messages[0]
        else:
            sent += 1
    return {"sent": sent, "refused": refused}


def activation_link(token: str) -> str:
    from huicai.notifications.actions import absolute_link

    path = reverse("talents:activate", args=[token])
    return absolute_link(path) or path


def _send_invitation(mobile, token, invitation_pk):
    from huicai.notifications.sms import SmsMessage, get_sms_backend

    text = _("【惠才】您已被邀请开通惠才平台账号，请在72小时内打开链接设置密码：%(link)s") % {
        "link": activation_link(token)
    }
    try:
        get_sms_backend().send(
            SmsMessage(to=mobile, text=text, reference=f"huicai-invitation-{invitation_pk}")
        )
    except Exception:  # the invitation stands; the window sees it and re-sends
        logger.exception("Invitation %s could not be sent by SMS", invitation_pk)


def get_invitation(token, *, at) -> TalentInvitation:
    """The usable invitation behind ``token``, or an InvitationError saying why it is not usable."""
    invitation = (
        TalentInvitation.objects.select_related("talent").filter(token_hash=token_digest(token or "")).first()
    )
    if invitation is None:
        raise InvitationError(_("激活链接无效。"), code="unknown")
    if invitation.used_at is not None or invitation.talent.user_id:
        raise InvitationError(_("该激活链接已经使用过，请直接登录。"))
    if invitation.superseded_at is not None:
        raise InvitationError(_("该激活链接已作废，请使用最新收到的链接。"))
    if at >= invitation.expires_at:
        raise InvitationError(_("该激活链接已过期，请联系服务窗口或单位专员重新发送。"))
    return invitation


@transaction.atomic
def activate_account(token, *, username, password, at):
    """The talent's first visit (issue 11 §2): the link's invitation is used once, an account is opened
    with the chosen user name and a password that meets the password rules, and tied to the talent."""
    from huicai.accounts.models import User

    invitation = get_invitation(token, at=at)
    invitation = TalentInvitation.objects.select_for_update().get(pk=invitation.pk)
    talent = Talent.objects.select_for_update().get(pk=invitation.talent_id)
    invitation = get_invitation(token, at=at)  # again, under the locks: a link is used once
    username = (username or "").strip()
    if not username:
        raise InvitationError({"username": [_("请填写用户名。")]})
    if User.objects.filter(username__iexact=username).exists():
        raise InvitationError({"username": [_("该用户名已被使用，请换一个。")]})
    user = User(username=username, full_name=talent.name, password_changed_at=at)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise InvitationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    talent.user = user
    talent.save(update_fields=["user", "updated_at"])
    TalentInvitation.objects.filter(pk=invitation.pk).update(used_at=at)
    TalentEvent.objects.create(talent=talent, kind=TalentEventKind.ACTIVATED, by=user, at=at)
    return user
