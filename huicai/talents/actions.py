"""Registering talents and keeping their cards (W15 talent records, S11-4 cards)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.core.validators import validate_resident_id
from huicai.talents.choices import CardStatus, IdType, TalentEventKind
from huicai.talents.models import Talent, TalentCard, TalentCardEvent, TalentEvent


class TalentError(ValidationError):
    """A change to a talent's record that the rules refuse; the message is for the person."""


@transaction.atomic
def register_talent(*, by, at, unit_commissioner=None, reason="", **fields) -> Talent:
    """Create a talent record, validated as a whole, and assign the unit commissioner when given (S6).

    A resident ID number is also checked against the day of ``at``: a birth date after it is refused (the
    model's own validation checks everything else about the number, but has no day to compare with).
    """
    from huicai.commissioners.actions import assign_unit_commissioner

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
