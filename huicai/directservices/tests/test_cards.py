"""The card's QR payload: a round trip, and a forged or altered code refused before any look-up."""

import datetime

import pytest

from huicai.directservices.cards import (
    InvalidCardCode,
    card_qr_payload,
    card_refusal,
    parse_card_qr,
    read_card_text,
)
from huicai.talents.choices import CardStatus
from huicai.talents.models import TalentCard

CARD = TalentCard(
    number="YM2026000001",
    status=CardStatus.VALID,
    issued_date=datetime.date(2026, 1, 10),
    valid_until_date=datetime.date(2028, 1, 9),
)


def test_a_payload_reads_back_as_its_card_number(settings):
    payload = card_qr_payload(CARD)

    assert payload.startswith("HUICAI-CARD:YM2026000001:")
    assert parse_card_qr(payload) == "YM2026000001"
    assert read_card_text(payload) == "YM2026000001"
    assert read_card_text(f"  {payload.lower()}  ") == "YM2026000001"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda p: p.replace("YM2026000001", "YM2026000002"),  # another talent's number, old signature
        lambda p: p[:-1] + ("0" if p[-1] != "0" else "1"),  # a signature made up by hand
        lambda p: p.rsplit(":", 1)[0] + ":",  # no signature
    ],
    ids=["altered-number", "forged-signature", "no-signature"],
)
def test_a_forged_or_altered_payload_is_refused(tamper):
    with pytest.raises(InvalidCardCode) as refused:
        read_card_text(tamper(card_qr_payload(CARD)))

    assert str(refused.value) in {"二维码校验失败，可能是伪造或被篡改的二维码。", "二维码不是惠才卡二维码。"}


def test_a_payload_signed_with_another_key_is_refused_unless_that_key_is_a_fallback(settings):
    settings.SECRET_KEY = "old-key-" + "x" * 50
    old_payload = card_qr_payload(CARD)
    settings.SECRET_KEY = "new-key-" + "y" * 50

    with pytest.raises(InvalidCardCode):
        parse_card_qr(old_payload)

    settings.SECRET_KEY_FALLBACKS = ["old-key-" + "x" * 50]
    assert parse_card_qr(old_payload) == "YM2026000001"


@pytest.mark.parametrize("text", ["", "HUICAI-CARD:", "HUICAI-CARD:YM1:abc:def", "YM 2026/0001", "卡号"])
def test_malformed_input_is_refused(text):
    with pytest.raises(InvalidCardCode):
        read_card_text(text)


def test_a_typed_number_is_normalised():
    assert read_card_text(" ym 2026 000001 ") == "YM2026000001"


@pytest.mark.parametrize(
    "status, day, reason",
    [
        (CardStatus.VALID, datetime.date(2026, 3, 2), None),
        (CardStatus.VALID, datetime.date(2028, 1, 9), None),  # the last day is still valid
        (CardStatus.VALID, datetime.date(2028, 1, 10), "该人才卡已过期（有效期至2028-01-09）"),
        (CardStatus.VALID, datetime.date(2026, 1, 9), "该人才卡尚未生效（发卡日期2026-01-10）"),
        (CardStatus.REVOKED, datetime.date(2026, 3, 2), "该人才卡已撤销"),
        (CardStatus.LOST, datetime.date(2026, 3, 2), "该人才卡已挂失"),
    ],
)
def test_each_state_of_a_card_has_its_own_reason(status, day, reason):
    card = TalentCard(
        number="YM1", status=status, issued_date=CARD.issued_date, valid_until_date=CARD.valid_until_date
    )

    assert card_refusal(card, day) == reason
