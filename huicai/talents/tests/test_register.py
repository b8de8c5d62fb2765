"""Registering a talent: bad input gets a clear Chinese error in the form and the admin, and nothing is saved."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from huicai.core.identifiers import make_resident_id
from huicai.talents.actions import register_talent
from huicai.talents.models import Talent

GOOD_ID = make_resident_id("372822", datetime.date(1979, 3, 8), 77)
TODAY = datetime.date(2026, 12, 5)
# One number per wrong part, each with a check digit that matches, so only that part is wrong.
UNKNOWN_REGION_ID = make_resident_id("371399", datetime.date(1988, 6, 12), 123)
FEBRUARY_30_ID = "371302198802301236"
TOMORROW_ID = make_resident_id("371302", TODAY + datetime.timedelta(days=1), 123)


def form_data(world, **overrides):
    data = {
        "name": "张新",
        "id_type": "resident",
        "id_number": GOOD_ID,
        "category": world.category_c.pk,
        "employer": world.linyi_pharma.pk,
        "home_window": world.windows["兰山区"].pk,
        "mobile": "13912345678",
        "unit_commissioner": world.wang_fang_post.pk,
    }
    data.update(overrides)
    return data


def test_a_window_commissioner_registers_a_talent_with_a_unit_commissioner(world, login):
    client = login(world.chen_jing)

    response = client.post("/talents/new/", form_data(world))

    talent = Talent.objects.with_id_number(GOOD_ID).get()
    assert response.status_code == 302
    assert response["Location"] == f"/talents/{talent.pk}/"
    assert talent.unit_assignments.open().get().post == world.wang_fang_post
    assert talent.mobile == "13912345678"


@pytest.mark.parametrize(
    "overrides, field_error",
    [
        ({"id_number": GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")}, "居民身份证号码校验位错误"),
        ({"id_number": "12345"}, "居民身份证号码格式不正确"),
        ({"id_number": UNKNOWN_REGION_ID}, "居民身份证号码的地区码（前6位）不是有效的行政区划代码"),
        ({"id_number": FEBRUARY_30_ID}, "居民身份证号码的出生日期（第7至14位）不是有效日期"),
        ({"id_number": TOMORROW_ID}, "居民身份证号码的出生日期（第7至14位）晚于今天"),
        ({"mobile": "12345"}, "手机号码无效"),
        ({"id_type": "passport", "id_number": "E12-345"}, "护照号码应为5至20位字母或数字"),
    ],
)
@time_machine.travel(datetime.datetime(2026, 12, 5, 10, 0, tzinfo=datetime.UTC), tick=False)
def test_bad_input_is_refused_with_a_chinese_error_and_nothing_saved(world, login, overrides, field_error):
    client = login(world.chen_jing)
    before = Talent.objects.count()

    response = client.post("/talents/new/", form_data(world, **overrides))

    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert Talent.objects.count() == before


@pytest.mark.parametrize(
    "id_number",
    [
        "371302198806121232",  # 兰山区 (a code since 1994) and born in 1988: the number
        make_resident_id("371311", datetime.date(1975, 10, 1), 88),  # 罗庄区 (1994-), born 1975
        make_resident_id("372822", datetime.date(2001, 5, 4), 66),  # 郯城县's code until 1994, born 2001
    ],
)
def test_a_number_whose_region_code_is_younger_or_older_than_its_holder_registers(world, login, id_number):
    client = login(world.chen_jing)

    response = client.post("/talents/new/", form_data(world, id_number=id_number))

    assert response.status_code == 302
    assert Talent.objects.with_id_number(id_number).get().name == "张新"


def test_registering_refuses_a_birth_date_after_the_day_it_is_done(world):
    fields = {
        "name": "张新",
        "id_number": make_resident_id("371302", datetime.date(2026, 12, 6), 1),
        "category": world.category_c,
        "employer": world.linyi_pharma,
        "home_window": world.windows["兰山区"],
        "mobile": "13912345678",
    }
    before = Talent.objects.count()
    on_the_5th = datetime.datetime(2026, 12, 5, 23, 0, tzinfo=timezone.get_current_timezone())

    with pytest.raises(ValidationError) as caught:
        register_talent(by=world.chen_jing, at=on_the_5th, **fields)
    registered = register_talent(by=world.chen_jing, at=on_the_5th + datetime.timedelta(days=1), **fields)

    assert caught.value.message_dict == {
        "id_number": ["居民身份证号码的出生日期（第7至14位）晚于今天，请核对。"]
    }
    assert Talent.objects.count() == before + 1
    assert registered.id_number == fields["id_number"]


def test_the_same_id_number_cannot_be_registered_twice(world, login):
    client = login(world.chen_jing)

    response = client.post("/talents/new/", form_data(world, id_number=world.li_ming.id_number))

    assert response.status_code == 200
    assert "该证件号码已登记为高层次人才" in response.content.decode()
    assert Talent.objects.count() == 2


def test_a_unit_commissioner_of_another_employer_is_refused(world, login):
    client = login(world.admin)

    response = client.post("/talents/new/", form_data(world, unit_commissioner=world.qian_hui_post.pk))

    assert "单位专员必须来自人才所在的用人单位" in response.content.decode()
    assert not Talent.objects.with_id_number(GOOD_ID).exists()


def test_a_window_cannot_register_a_talent_into_another_county(world, login):
    client = login(world.chen_jing)

    response = client.post("/talents/new/", form_data(world, home_window=world.windows["罗庄区"].pk))

    assert response.status_code == 200
    assert not Talent.objects.with_id_number(GOOD_ID).exists()


@pytest.mark.parametrize("persona", ["wang_fang", "zhao_qiang", "li_ming_user"])
def test_only_window_staff_may_register_talents(world, login, persona):
    client = login(getattr(world, persona))

    assert client.get("/talents/new/").status_code == 403


def test_the_admin_refuses_a_bad_id_number_in_chinese(world, login):
    client = login(world.admin)
    before = Talent.objects.count()

    response = client.post(
        "/admin/talents/talent/add/",
        {
            **form_data(world, id_number="372822198205170310"),
            "employment_status": "employed",
            "lives_in_linyi": "unknown",
            "cards-TOTAL_FORMS": "0",
            "cards-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "居民身份证号码校验位错误" in response.content.decode()
    assert Talent.objects.count() == before


def test_the_admin_names_a_wrong_region_code_instead_of_failing(world, login):
    client = login(world.admin)
    before = Talent.objects.count()

    response = client.post(
        "/admin/talents/talent/add/",
        {
            **form_data(world, id_number=UNKNOWN_REGION_ID),
            "employment_status": "employed",
            "lives_in_linyi": "unknown",
            "cards-TOTAL_FORMS": "0",
            "cards-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "居民身份证号码的地区码（前6位）不是有效的行政区划代码" in response.content.decode()
    assert Talent.objects.count() == before


def test_the_admin_list_shows_masked_id_numbers_and_finds_by_exact_id(world, login):
    client = login(world.admin)

    listing = client.get("/admin/talents/talent/").content.decode()
    search = client.get("/admin/talents/talent/", {"q": world.li_ming.id_number}).content.decode()

    assert world.li_ming.id_number not in listing
    assert world.li_ming.id_number_masked in listing
    assert "李明" in search and "刘洋" not in search
