"""Looking a talent up by resident ID number, on the counter page and in the API: a number with a wrong
part is answered with what is wrong (400), never a 500 and never a look-up; a talent born before his
region code existed is found like anyone else."""

import datetime

import pytest
import time_machine

from huicai.core.identifiers import make_resident_id
from huicai.core.models import AuditEvent
from huicai.directservices.tests.conftest import local
from huicai.talents.actions import register_talent

NOW = local(2026, 3, 3, 10, 0)
RECORD = "/direct/record/"
LOOKUP = "/api/v1/direct-services/lookup/"

BAD_NUMBERS = [
    (make_resident_id("371399", datetime.date(1988, 6, 12), 123), "地区码（前6位）不是有效的行政区划代码"),
    ("371302198806121233", "校验位错误"),
    ("371302198802301236", "出生日期（第7至14位）不是有效日期"),  # 30 February, right check digit
    (make_resident_id("371302", datetime.date(2026, 3, 4), 1), "出生日期（第7至14位）晚于今天"),
    ("37130219880612123", "应为18位，现为17位"),
]


def look_up_on_the_page(client, id_number):
    return client.post(RECORD, {"step": "lookup", "lookup-card": "", "lookup-id_number": id_number})


def look_up_in_the_api(client, id_number):
    return client.post(LOOKUP, {"id_number": id_number}, content_type="application/json")


@pytest.fixture
def older_talent(direct):
    """刘建国, born 1975, card issued by 兰山区 (371302, a code since 1994)."""
    world = direct.world
    return register_talent(
        by=world.chen_jing,
        at=world.at,
        name="刘建国",
        id_number=make_resident_id("371302", datetime.date(1975, 4, 9), 57),
        category=world.category_c,
        employer=world.linyi_pharma,
        home_window=world.windows["兰山区"],
        mobile="13912345600",
    )


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("number, message", BAD_NUMBERS)
def test_the_counter_page_names_the_wrong_part_and_looks_nothing_up(direct, login, number, message):
    client = login(direct.world.zhao_qiang)

    response = look_up_on_the_page(client, number)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(detail__startswith="card_lookup").exists()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("number, message", BAD_NUMBERS)
def test_the_api_answers_400_naming_the_wrong_part_and_looks_nothing_up(direct, login, number, message):
    client = login(direct.world.zhao_qiang)

    response = look_up_in_the_api(client, number)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert message in response.json()["errors"]["id_number"][0]
    assert not AuditEvent.objects.filter(detail__startswith="card_lookup").exists()


@time_machine.travel(NOW, tick=False)
def test_a_talent_born_before_his_region_code_existed_is_found_however_the_number_is_typed(
    direct, login, older_talent
):
    client = login(direct.world.zhao_qiang)
    number = older_talent.id_number
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number[:6]) + " " + number[6:]

    page = look_up_on_the_page(client, full_width)
    api = look_up_in_the_api(client, number)

    assert page.status_code == api.status_code == 200
    assert "刘建国" in page.content.decode()
    assert api.json()["talent"]["name"] == "刘建国"


@time_machine.travel(NOW, tick=False)
def test_a_passport_number_is_looked_up_as_typed(direct, login):
    client = login(direct.world.zhao_qiang)

    page = look_up_on_the_page(client, "E12345678")
    api = look_up_in_the_api(client, "E12345678")

    assert page.status_code == api.status_code == 404
