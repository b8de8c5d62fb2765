"""W12: is this item open to this talent and the card they show? Judged on the published version, for
the direct-service flow to call."""

import pytest

from huicai.catalogue import actions
from huicai.catalogue.tests.conftest import LATER, direct_fields
from huicai.talents.choices import CardKind


@pytest.fixture
def airport_item(world):
    item = actions.create_item(
        window=world.windows["临沂市"], by=world.zhou_min, at=world.at, **direct_fields(world)
    )
    return actions.publish_item(item, by=world.zhou_min, at=world.at)


def test_a_direct_item_is_open_to_a_talent_showing_an_accepted_card(world, airport_item):
    assert airport_item.is_open_to(world.li_ming, CardKind.YIMENG) is True


def test_a_direct_item_refuses_a_card_it_does_not_accept(world, airport_item):
    answer = airport_item.check_open_to(world.li_ming, card_kind=CardKind.SHANDONG)

    assert not answer
    assert answer.reason == "该事项不适用山东惠才卡。"


def test_a_direct_item_asks_for_a_card(world, airport_item):
    answer = airport_item.check_open_to(world.li_ming)

    assert not answer
    assert answer.reason == "请出示沂蒙惠才卡。"


def test_an_unpublished_item_is_open_to_nobody(world, city_item):
    answer = city_item.check_open_to(world.li_ming)

    assert not answer
    assert answer.reason == "该事项尚未公布。"


def test_a_by_application_item_naming_no_card_needs_none(world, city_item):
    item = actions.publish_item(city_item, by=world.zhou_min, at=world.at)

    assert item.is_open_to(world.li_ming) is True


def test_an_item_for_some_categories_refuses_the_others(world):
    item = actions.create_item(
        window=world.windows["临沂市"],
        by=world.zhou_min,
        at=world.at,
        talent_categories=[world.category_c],
        **direct_fields(world),
    )
    item = actions.publish_item(item, by=world.zhou_min, at=world.at)

    refused = item.check_open_to(world.li_ming, card_kind=CardKind.YIMENG)  # category B

    assert refused.reason == "该事项不面向此人才类别。"
    assert item.is_open_to(world.liu_yang, CardKind.YIMENG) is True  # category C


def test_a_county_item_serves_the_talents_of_its_county(world, filed_item):
    item = actions.acknowledge_item(filed_item, by=world.zhou_min, at=world.at + 2 * LATER)

    outsider = item.check_open_to(world.liu_yang)  # 罗庄区

    assert item.is_open_to(world.li_ming) is True  # 兰山区
    assert outsider.reason == "该事项为兰山区事项，仅面向该县区的人才。"


def test_a_revision_in_progress_does_not_change_who_is_served(world, airport_item):
    actions.revise_item(
        airport_item,
        by=world.zhou_min,
        at=world.at + LATER,
        reason="改为仅山东惠才卡",
        undertaking_orgs=[],
        talent_categories=[],
        accepts_yimeng_card=False,
        accepts_shandong_card=True,
    )
    airport_item.refresh_from_db()

    assert airport_item.is_open_to(world.li_ming, CardKind.YIMENG) is True
