"""Validators for Chinese identifiers, delegating the checksums to python-stdnum and phonenumbers."""

import datetime
import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum import numdb
from stdnum.cn import ric, uscc
from stdnum.util import isdigits

# A county entry in stdnum's GB/T 2260 table: "[1994-]兰山区", or several names over time separated by
# commas: "[1994-2013]苍山县,[2014-]兰陵县". The bracket holds the years the name was in use.
_YEARS_PREFIX = re.compile(r"^\[[0-9]*-[0-9]*\]")
# What a resident ID number typed into a field that also takes passports looks like: digits only, but
# for a final X, and about 18 of them (a 15- to 19-character slip is still meant as one).
_LOOKS_LIKE_RESIDENT_ID = re.compile(r"^[0-9]{14,18}[0-9X]$")


def normalize_resident_id(value: str) -> str:
    """The number as stored: full-width digits (a Chinese input method's) made ASCII, spaces and hyphens
    gone, a final x upper case."""
    return re.sub(r"[\s-]", "", ric.compact(unicodedata.normalize("NFKC", value or "")))


def looks_like_resident_id(value: str) -> bool:
    """Whether an entry in a field for "ID number, or passport" is meant as a resident ID number."""
    return bool(_LOOKS_LIKE_RESIDENT_ID.match(normalize_resident_id(value)))


def region_names(code: str) -> list[str]:
    """Every name GB/T 2260 has given the 6-digit division ``code``, past and present, e.g. ["山东省兰山区"]
    for 371302; [] for a code that never existed.

    The table is python-stdnum's (``stdnum/cn/loc.dat``, from 1980 on), with the years each code was in
    use; those years are deliberately not compared with the birth year (see ``check_resident_id``).
    """
    if len(code) != 6 or not isdigits(code):
        return []
    parts = numdb.get("cn/loc").info(code)
    if len(parts) != 2:
        return []
    (_province_code, province), (_county_code, county) = parts
    if "province" not in province or "county" not in county:
        return []
    return [province["province"] + _YEARS_PREFIX.sub("", name) for name in county["county"].split(",")]


def check_resident_id(value: str) -> datetime.date:
    """Refuse a resident ID number that is wrong whatever the day; return the birth date it carries.

    Accepted: 18 characters, 17 digits and a check digit (0-9 or X) that matches them, a birth date that
    exists, and a region code that exists or ever existed in GB/T 2260, in any combination with the birth
    year. The card is issued where the person is registered when it is issued, so someone born in 1988
    whose card came from 兰山区 after 1994 carries 371302 (created 1994) and 1988; python-stdnum's own
    ``ric.validate`` refuses that (it wants the code in use in the birth year), so only its format, birth
    date and check digit parts are used here. Each wrong part gets its own message, naming the part and the
    digits to check but never repeating them: the message may be stored or shown to others.
    """
    number = normalize_resident_id(value)
    if len(number) != 18:
        raise ValidationError(
            _("居民身份证号码格式不正确：应为18位，现为%(length)d位。") % {"length": len(number)},
            code="id_length",
        )
    if not isdigits(number[:17]) or not (isdigits(number[17]) or number[17] == "X"):
        raise ValidationError(
            _("居民身份证号码格式不正确：前17位应为数字，第18位为数字或X。"), code="id_format"
        )
    errors = []
    if not region_names(number[:6]):
        errors.append(
            ValidationError(
                _("居民身份证号码的地区码（前6位）不是有效的行政区划代码，请核对。"), code="id_region"
            )
        )
    try:
        birth_date = ric.get_birth_date(number)
    except stdnum_exceptions.ValidationError:
        birth_date = None
        errors.append(
            ValidationError(
                _("居民身份证号码的出生日期（第7至14位）不是有效日期，请核对。"), code="id_birth_date"
            )
        )
    if number[17] != ric.calc_check_digit(number):
        errors.append(
            ValidationError(_("居民身份证号码校验位错误（第18位与前17位不符），请核对。"), code="id_checksum")
        )
    if errors:
        raise ValidationError(errors)
    return birth_date


def validate_resident_id(value: str, *, today: datetime.date) -> datetime.date:
    """``check_resident_id``, and a birth date no later than ``today`` (the caller's day, taken at the
    edge: the request, the command, the job). Returns the birth date."""
    birth_date = check_resident_id(value)
    if birth_date > today:
        raise ValidationError(
            _("居民身份证号码的出生日期（第7至14位）晚于今天，请核对。"), code="id_birth_date_future"
        )
    return birth_date


def validate_passport(value: str) -> None:
    cleaned = (value or "").strip()
    if not (5 <= len(cleaned) <= 20 and cleaned.isalnum() and cleaned.isascii()):
        raise ValidationError(_("护照号码应为5至20位字母或数字。"), code="passport_format")


def normalize_uscc(value: str) -> str:
    return uscc.compact(value or "")


def validate_uscc(value: str) -> None:
    """统一社会信用代码 (GB 32100-2015): 18 characters with a check character."""
    try:
        uscc.validate(value)
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(_("统一社会信用代码校验位错误，请核对。"), code="uscc_checksum") from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(_("统一社会信用代码格式不正确，应为18位。"), code="uscc_format") from exc


def normalize_phone(value: str) -> str:
    """E.164 form for a valid number, the input unchanged otherwise (validation reports it)."""
    try:
        parsed = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        return value
    if parsed.country_code == 86:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL).replace(" ", "")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def validate_mobile(value: str) -> None:
    try:
        parsed = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("手机号码格式不正确。"), code="phone_format") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(_("手机号码无效，请核对。"), code="phone_invalid")
    kind = phonenumbers.number_type(parsed)
    if kind not in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise ValidationError(_("请填写手机号码。"), code="phone_not_mobile")
