"""Registering talents and keeping their cards (W15 talent records, S11-4 cards)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huicai.commissioners.actions import assign_unit_commissioner
from huicai.talents.choices import CardStatus
from huicai.talents.models import Talent, TalentCard


@transaction.atomic
def register_talent(*, by, at, unit_commissioner=None, reason="", **fields) -> Talent:
    """Create a talent record, validated as a whole, and assign the unit commissioner when given (S6)."""
    talent = Talent(**fields)
    talent.full_clean()
    talent.save()
    if unit_commissioner is not None:
        assign_unit_commissioner(talent, post=unit_commissioner, by=by, at=at, reason=reason or _("登记人才"))
    return talent


@transaction.atomic
def issue_card(talent, *, kind, number, issued_date, valid_until_date, level="", by, at) -> TalentCard:
    """Record a talent card issued to ``talent``. A second valid card of the same kind is refused."""
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
    return card


ALLOWED_CARD_CHANGES = {
    CardStatus.VALID: {CardStatus.EXPIRED, CardStatus.REVOKED, CardStatus.LOST},
    CardStatus.EXPIRED: {CardStatus.REVOKED},
    CardStatus.LOST: {CardStatus.REVOKED},
    CardStatus.REVOKED: set(),
}


@transaction.atomic
def change_card_status(card, *, status, by, at) -> TalentCard:
    """Expire, revoke or report a card lost. A revoked card stays revoked."""
    card = TalentCard.objects.select_for_update().get(pk=card.pk)
    if CardStatus(status) not in ALLOWED_CARD_CHANGES[CardStatus(card.status)]:
        raise ValidationError(
            _("人才卡状态不能从“%(old)s”改为“%(new)s”。")
            % {"old": card.get_status_display(), "new": CardStatus(status).label}
        )
    card.status = status
    card.save(update_fields=["status"])
    return card
