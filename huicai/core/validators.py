"""Validators for Chinese identifiers, delegating the checksums to python-stdnum and phonenumbers."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric, uscc


def normalize_resident_id(value: str) -> str:
    return ric.compact(value or "")


def validate_resident_id(value: str) -> None:
    """A mainland resident identity card number: 18 characters, valid birth date and check digit."""
    try:
        ric.validate(value)
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(_("居民身份证号码校验位错误，请核对。"), code="id_checksum") from exc
    except stdnum_exceptions.ValidationError as exc:
        raise ValidationError(
            _("居民身份证号码格式不正确，应为18位且出生日期有效。"), code="id_format"
        ) from exc


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
