"""Bad identifiers get a clear Chinese error; the checksums come from python-stdnum and phonenumbers."""

import pytest
from django.core.exceptions import ValidationError

from huicai.core.validators import validate_mobile, validate_passport, validate_resident_id, validate_uscc


@pytest.mark.parametrize(
    "value, message",
    [
        ("372822198205170310", "校验位错误"),
        ("37282219820517031", "格式不正确"),
        ("372822198213170315", "格式不正确"),  # month 13
        ("ABCDEFGHIJKLMNOPQR", "格式不正确"),
    ],
)
def test_bad_resident_id_numbers_are_refused(value, message):
    with pytest.raises(ValidationError) as caught:
        validate_resident_id(value)

    assert message in caught.value.messages[0]


def test_a_valid_resident_id_number_passes():
    import datetime

    from huicai.core.identifiers import make_resident_id

    validate_resident_id(make_resident_id("372822", datetime.date(1982, 5, 17), 31))


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
