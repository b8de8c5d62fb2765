"""Registering talents and keeping their cards (W15 talent records, S11-4 cards)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.commissioners.actions import assign_unit_commissioner
from huicai.core.validators import validate_resident_id
from huicai.talents.choices import CardStatus, IdType
from huicai.talents.models import Talent, TalentCard, TalentCardEvent


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
