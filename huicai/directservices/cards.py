"""Reading a talent card at the counter (W12, S16): its number typed in or its QR code scanned, and why a
card shown today cannot be served on.

The QR code printed on (or shown in the app for) a card carries ``HUICAI-CARD:<number>:<signature>``. The
signature is an HMAC over the number keyed with the site's SECRET_KEY, so a code made up by hand, or a real
code whose number was altered, is refused before any database look-up. A typed number needs no signature:
the commissioner has the card in front of them.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from huicai.catalogue.choices import ServiceMode
from huicai.catalogue.models import ServiceItem
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.directservices import access
from huicai.talents.choices import CardStatus
from huicai.talents.models import Talent, TalentCard

QR_PREFIX = "HUICAI-CARD"
_QR_SALT = "huicai.directservices.card_qr"
# 16 hex digits (64 bits): short enough for a small QR code, far beyond guessing at the rate lookups allow.
_SIGNATURE_LENGTH = 16
_NUMBER = re.compile(r"^[A-Z0-9-]{4,30}$")


class InvalidCardCode(ValueError):
    """What was typed or scanned is not a card number or a genuine card QR code."""


class TooManyLookups(Exception):
    """The person has had too many look-ups that found nothing; they wait out the window."""


def _signature(number: str, secret: str) -> str:
    return salted_hmac(_QR_SALT, number, secret=secret, algorithm="sha256").hexdigest()[:_SIGNATURE_LENGTH]


def normalize_card_number(value: str) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def card_qr_payload(card) -> str:
    """The text of the card's QR code."""
    return f"{QR_PREFIX}:{card.number}:{_signature(card.number, settings.SECRET_KEY)}"


def parse_card_qr(text: str) -> str:
    """The card number in a genuine QR payload; ``InvalidCardCode`` for anything else.

    Codes signed with a key listed in SECRET_KEY_FALLBACKS are still accepted, so rotating the secret does
    not void the cards already printed until the old key is dropped.
    """
    parts = (text or "").strip().split(":")
    if len(parts) != 3 or parts[0].upper() != QR_PREFIX:
        raise InvalidCardCode(_("二维码不是惠才卡二维码。"))
    number, signature = normalize_card_number(parts[1]), parts[2].strip().lower()
    if not _NUMBER.match(number):
        raise InvalidCardCode(_("二维码不是惠才卡二维码。"))
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        if constant_time_compare(signature, _signature(number, secret)):
            return number
    raise InvalidCardCode(_("二维码校验失败，可能是伪造或被篡改的二维码。"))


def read_card_text(text: str) -> str:
    """A card number from what the commissioner typed or scanned: a raw number or a QR payload."""
    text = (text or "").strip()
    if text.upper().startswith(QR_PREFIX + ":"):
        return parse_card_qr(text)
    number = normalize_card_number(text)
    if not _NUMBER.match(number):
        raise InvalidCardCode(_("卡号格式不正确。"))
    return number


def card_refusal(card, day) -> str | None:
    """Why ``card`` cannot be served on on ``day``, or None when it is valid that day (W12: a valid card).

    Each state has its own reason, so the person at the counter can tell the talent what to do next.
    """
    if card.status == CardStatus.REVOKED:
        return _("该人才卡已撤销")
    if card.status == CardStatus.LOST:
        return _("该人才卡已挂失")
    if card.status == CardStatus.EXPIRED or day > card.valid_until_date:
        return _("该人才卡已过期（有效期至%(date)s）") % {"date": card.valid_until_date.isoformat()}
    if day < card.issued_date:
        return _("该人才卡尚未生效（发卡日期%(date)s）") % {"date": card.issued_date.isoformat()}
    return None


# --- Looking a talent up at the counter ----------------------------------------------------------------

# Anti-enumeration: after this many look-ups that found nothing within the window, a person's look-ups are
# refused until the window has passed. Every look-up, found or not, is in the audit log.
MAX_FAILED_LOOKUPS = 10
FAILED_LOOKUP_WINDOW = datetime.timedelta(minutes=15)
LOOKUP_AUDIT_DETAIL = "card_lookup"


@dataclass
class ItemRow:
    item: object
    version: object
    can_record: bool


@dataclass
class CardLookup:
    """What a commissioner sees after looking a talent up: masked data, the cards with their validity
    today, and the direct items open to the talent on a valid card."""

    talent: object
    card: object | None  # the card shown; None when found by ID number
    cards: list = field(default_factory=list)  # [(card, refusal or None)]
    refusal: str | None = None  # why the talent cannot be served on a card today, if so
    items: list = field(default_factory=list)  # [ItemRow]

    @property
    def valid_cards(self):
        return [card for card, refusal in self.cards if refusal is None]


def too_many_failed_lookups(user, *, at) -> bool:
    return (
        AuditEvent.objects.filter(
            actor=user,
            kind=AuditEvent.Kind.DENIED,
            detail=LOOKUP_AUDIT_DETAIL,
            at__gt=at - FAILED_LOOKUP_WINDOW,
        ).count()
        >= MAX_FAILED_LOOKUPS
    )


def find_talent(*, card_text="", id_number=""):
    """The (talent, card shown) for a typed or scanned card, or the talent with this exact ID number
    (through the keyed hash). ``(None, None)`` when nothing matches; ``InvalidCardCode`` for a malformed
    number or a forged QR code. Not scoped: the talent is at the counter showing the card (W12)."""
    related = ("talent__category", "talent__employer", "talent__home_window")
    if card_text:
        number = read_card_text(card_text)
        card = TalentCard.objects.filter(number=number).select_related(*related).first()
        return (card.talent, card) if card else (None, None)
    if id_number:
        talent = (
            Talent.objects.with_id_number(id_number)
            .select_related("category", "employer", "home_window")
            .first()
        )
        return talent, None
    return None, None


def describe(talent, card, *, user, at) -> CardLookup:
    """The look-up result for ``talent`` (and the ``card`` shown), from ``user``'s point of view today."""
    day = timezone.localdate(at)
    cards = [card] if card is not None else list(talent.cards.all())
    for each in cards:
        each.talent = talent
    rows = [(each, card_refusal(each, day)) for each in cards]
    valid = [each for each, refusal in rows if refusal is None]
    if valid:
        refusal = None
    elif rows:
        refusal = rows[0][1]
    else:
        refusal = _("该人才没有人才卡，不能凭卡直接服务。")
    result = CardLookup(talent=talent, card=card, cards=rows, refusal=refusal)
    if not valid:
        return result
    posts = access.serving_posts(user, at=at)
    items = (
        ServiceItem.objects.published()
        .filter(published_version__mode=ServiceMode.DIRECT)
        .select_related("published_version")
        .order_by("code")
    )
    for item in items:
        version = item.published_version
        if any(version.check_open_to(talent, card_kind=each.kind) for each in valid):
            can_record = any(access.can_serve(post, version) for post in posts)
            result.items.append(ItemRow(item=item, version=version, can_record=can_record))
    return result


def look_up(request, *, card_text="", id_number="", at):
    """Find and describe the talent for a card or ID number, auditing the look-up either way.

    Returns the ``CardLookup`` or None (unknown number, malformed number, forged QR code: all alike, so
    the answer tells nothing about which numbers exist). Raises ``TooManyLookups`` past the limit.
    """
    if too_many_failed_lookups(request.user, at=at):
        audit.record(
            AuditEvent.Kind.DENIED,
            request=request,
            at=at,
            result="throttled",
            detail=LOOKUP_AUDIT_DETAIL,
        )
        raise TooManyLookups(_("查询失败次数过多，请15分钟后再试。"))
    try:
        talent, card = find_talent(card_text=card_text, id_number=id_number)
    except InvalidCardCode:
        talent, card = None, None
    if talent is None:
        audit.record(
            AuditEvent.Kind.DENIED,
            request=request,
            at=at,
            result="not_found",
            detail=LOOKUP_AUDIT_DETAIL,
        )
        return None
    audit.record(
        AuditEvent.Kind.REVEAL,
        request=request,
        at=at,
        obj=talent,
        detail=f"{LOOKUP_AUDIT_DETAIL}:{'card' if card else 'id_number'}",
    )
    return describe(talent, card, user=request.user, at=at)
