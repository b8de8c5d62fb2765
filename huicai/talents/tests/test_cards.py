"""Talent cards: dates in order, one valid card per kind, status changes one way."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from huicai.talents.actions import change_card_status, issue_card
from huicai.talents.choices import CardKind, CardStatus


def test_a_card_whose_valid_until_precedes_its_issue_date_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        issue_card(
            world.liu_yang,
            kind=CardKind.YIMENG,
            number="YM-BAD-1",
            issued_date=datetime.date(2026, 5, 1),
            valid_until_date=datetime.date(2026, 4, 30),
            by=world.sun_lei,
            at=world.at,
        )

    assert "有效期截止日期不能早于发卡日期" in str(caught.value)
    assert not world.liu_yang.cards.exists()


def test_the_admin_refuses_the_same_bad_dates_in_chinese(world, login):
    client = login(world.admin)

    response = client.post(
        "/admin/talents/talentcard/add/",
        {
            "talent": world.liu_yang.pk,
            "kind": "yimeng",
            "number": "YM-BAD-2",
            "level": "",
            "issued_date": "2026-05-01",
            "valid_until_date": "2026-04-30",
            "status": "valid",
        },
    )

    assert response.status_code == 200
    assert "有效期截止日期不能早于发卡日期" in response.content.decode()
    assert not world.liu_yang.cards.exists()


def test_a_second_valid_card_of_the_same_kind_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        issue_card(
            world.li_ming,
            kind=CardKind.YIMENG,
            number="YM2026000002",
            issued_date=datetime.date(2026, 2, 1),
            valid_until_date=datetime.date(2028, 2, 1),
            by=world.chen_jing,
            at=world.at,
        )

    assert "已有一张同类的有效人才卡" in str(caught.value)


def test_a_card_is_valid_only_within_its_dates_and_status(world):
    card = world.li_ming_card

    assert card.is_valid_on(datetime.date(2026, 1, 10))
    assert card.is_valid_on(datetime.date(2028, 1, 9))
    assert not card.is_valid_on(datetime.date(2028, 1, 10))
    assert card.state_on(datetime.date(2028, 1, 10)) == CardStatus.EXPIRED


def test_a_lost_card_can_be_revoked_but_a_revoked_card_stays_revoked(world):
    card = change_card_status(world.li_ming_card, status=CardStatus.LOST, by=world.chen_jing, at=world.at)
    card = change_card_status(card, status=CardStatus.REVOKED, by=world.chen_jing, at=world.at)

    with pytest.raises(ValidationError) as caught:
        change_card_status(card, status=CardStatus.VALID, by=world.chen_jing, at=world.at)

    assert "不能从“已撤销”改为“有效”" in caught.value.messages[0]
    assert not card.is_valid_on(datetime.date(2026, 6, 1))
