"""Bad identifiers get a clear Chinese error; the checksums come from python-stdnum and phonenumbers."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from huicai.core.identifiers import make_resident_id
from huicai.core.validators import (
    check_resident_id,
    looks_like_resident_id,
    normalize_resident_id,
    region_names,
    validate_mobile,
    validate_passport,
    validate_resident_id,
    validate_uscc,
)

TODAY = datetime.date(2026, 12, 5)


def test_the_issues_number_a_lanshan_code_from_1994_with_a_1988_birth_date_is_accepted():
    # 371302 (兰山区) exists only since 1994; the card was issued in Linyi after the person's birth.
    assert validate_resident_id("371302198806121232", today=TODAY) == datetime.date(1988, 6, 12)


@pytest.mark.parametrize(
    "code, birth",
    [
        ("371311", datetime.date(1970, 1, 31)),  # 罗庄区 (1994-) with a birth year before it existed
        ("372822", datetime.date(2001, 3, 8)),  # 郯城县 under the old 临沂地区 code (-1994), born after
        ("371324", datetime.date(2015, 7, 1)),  # 苍山县 renamed 兰陵县 in 2014: the code stays valid
        ("110108", datetime.date(1960, 2, 29)),  # a leap day
    ],
)
def test_any_region_code_ever_in_gb_t_2260_goes_with_any_birth_year(code, birth):
    number = make_resident_id(code, birth, 123)

    assert validate_resident_id(number, today=TODAY) == birth


def test_region_names_include_codes_no_longer_in_use():
    assert region_names("372822") == ["山东省郯城县"]
    assert region_names("371324") == ["山东省苍山县", "山东省兰陵县"]
    assert region_names("371399") == region_names("990000") == []


@pytest.mark.parametrize(
    "number, code, message",
    [
        # A code that never existed, with a correct check digit: this was a 500 (a KeyError in stdnum).
        (make_resident_id("371399", datetime.date(1988, 6, 12), 123), "id_region", "地区码（前6位）"),
        (make_resident_id("990000", datetime.date(1988, 6, 12), 123), "id_region", "地区码（前6位）"),
        ("371302198806121233", "id_checksum", "校验位错误"),
        ("371302198802301236", "id_birth_date", "出生日期（第7至14位）不是有效日期"),  # 30 February
        ("371302198813121230", "id_birth_date", "出生日期（第7至14位）不是有效日期"),  # month 13
        ("3713021988061212", "id_length", "应为18位，现为16位"),
        ("37130219880612123Y", "id_format", "前17位应为数字"),
        ("ABCDEFGHIJKLMNOPQR", "id_format", "前17位应为数字"),
    ],
)
def test_each_wrong_part_of_a_resident_id_number_is_named_in_chinese(number, code, message):
    with pytest.raises(ValidationError) as caught:
        validate_resident_id(number, today=TODAY)

    assert [error.code for error in caught.value.error_list] == [code]
    assert message in caught.value.messages[0]
    assert caught.value.messages[0].startswith("居民身份证号码")


def test_every_wrong_part_is_named_at_once_and_no_digit_of_the_number_is_repeated():
    number = "371399198802301234"

    with pytest.raises(ValidationError) as caught:
        validate_resident_id(number, today=TODAY)

    assert [error.code for error in caught.value.error_list] == ["id_region", "id_birth_date", "id_checksum"]
    assert not any(part in " ".join(caught.value.messages) for part in ("371399", "19880230", "1988"))


def test_a_birth_date_after_the_given_day_is_refused_and_the_day_itself_is_accepted():
    tomorrow = make_resident_id("371302", TODAY + datetime.timedelta(days=1), 1)

    with pytest.raises(ValidationError) as caught:
        validate_resident_id(tomorrow, today=TODAY)
    validate_resident_id(make_resident_id("371302", TODAY, 1), today=TODAY)
    check_resident_id(tomorrow)  # the day-free check has no day to compare with

    assert caught.value.messages == ["居民身份证号码的出生日期（第7至14位）晚于今天，请核对。"]


def test_full_width_digits_spaces_and_a_small_x_are_read_as_the_number():
    number = make_resident_id("371302", datetime.date(1979, 3, 8), 1)  # ends in X
    typed = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number[:6]) + " " + number[6:]

    assert number.endswith("X")
    assert normalize_resident_id(typed.lower()) == number
    validate_resident_id(typed.lower(), today=TODAY)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("371302198806121232", True),
        ("37130219880612123x", True),
        ("3713021988061212", True),
        ("E12345678", False),
    ],
)
def test_an_entry_that_may_be_a_passport_is_told_from_a_resident_id_number(value, expected):
    assert looks_like_resident_id(value) is expected


@pytest.mark.parametrize(
    "value, message",
    [("91371302MA3C0000X1", "校验位错误"), ("9137130", "格式不正确")],
)
def test_bad_credit_codes_are_refused(value, message):
    with pytest.raises(ValidationError) as caught:
        validate_uscc(value)

    assert message in caught.value.messages[0]


@pytest.mark.parametrize(
    "value, message",
    [("12345", "无效"), ("abc", "格式不正确"), ("01082345678", "请填写手机号码"), ("1381234567", "无效")],
)
def test_bad_mobile_numbers_are_refused(value, message):
    with pytest.raises(ValidationError) as caught:
        validate_mobile(value)

    assert message in caught.value.messages[0]


def test_a_mainland_mobile_passes():
    validate_mobile("13812345678")


def test_a_passport_number_must_be_letters_and_digits():
    with pytest.raises(ValidationError):
        validate_passport("E1234-567")
    validate_passport("E12345678")
