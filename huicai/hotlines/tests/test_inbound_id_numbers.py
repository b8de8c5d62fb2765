"""A hotline order's resident ID number: a wrong part is refused as malformed with the part named (and
the number repeated nowhere); a talent born before his region code existed is matched like anyone else."""

import datetime

import pytest

from huicai.casework.models import Application
from huicai.core.identifiers import make_resident_id
from huicai.hotlines.choices import InboundStatus
from huicai.hotlines.models import InboundOrder, WebhookMessage
from huicai.hotlines.tests.conftest import order, push
from huicai.talents.actions import register_talent

URL = "/hotlines/inbound/12345/orders/"

BAD_NUMBERS = [
    (make_resident_id("371399", datetime.date(1988, 6, 12), 123), "地区码（前6位）不是有效的行政区划代码"),
    ("371302198806121233", "校验位错误"),
    ("371302198802301236", "出生日期（第7至14位）不是有效日期"),  # 30 February, right check digit
    (make_resident_id("371302", datetime.date(2026, 3, 3), 1), "出生日期（第7至14位）晚于今天"),  # tomorrow
    ("3713021988061212", "应为18位，现为16位"),
]


@pytest.mark.parametrize("number, message", BAD_NUMBERS)
def test_an_order_with_a_wrong_id_number_is_refused_naming_the_wrong_part(
    case, client, frozen, number, message
):
    response = push(client, URL, order(case.world, id_number=number))

    assert response.status_code == 400
    assert response.json()["code"] == "malformed"
    assert message in response.json()["message"]
    assert number not in response.content.decode()
    assert not Application.objects.exists()
    assert not WebhookMessage.objects.exists()
    refused = InboundOrder.objects.get()
    assert (refused.status, refused.refusal) == (InboundStatus.REFUSED, "malformed")


def test_an_order_for_a_talent_born_before_his_region_code_existed_becomes_a_case(case, client, frozen):
    world = case.world
    talent = register_talent(
        by=world.chen_jing,
        at=world.at,
        name="刘建国",
        id_number="371302198806121232",  # 兰山区 (a code since 1994), born 1988
        category=world.category_c,
        employer=world.linyi_pharma,
        home_window=world.windows["兰山区"],
        mobile="13912345600",
    )

    response = push(client, URL, order(world, id_number="371302198806121232"))

    assert response.status_code in (200, 201), response.content
    assert Application.objects.get().talent == talent
