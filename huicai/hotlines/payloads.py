"""The JSON a hotline pushes, read and checked field by field in plain code (explicit fields only).

An order:  ``{"order_id", "id_number" | "card_number", "content", "service_item_code"?, "due_date"?}``
A rating:  ``{"order_id", "level", "comment"?}`` where ``level`` is 非常满意 … 非常不满意, or 5 … 1.

Fields we do not know are ignored, so a hotline may send more than we read; only the fields read here
count when telling a repeated order from a different one. A value must be a string, a number or null; a
string is checked as a form field would check it (Django's validators and wording), and anything wrong
is refused as ``malformed`` with every field's problem in one short line, never the submitted value.
"""

import datetime
import json
from dataclasses import dataclass

from django.core import validators
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huicai.casework.actions import MAX_NOTE
from huicai.core.validators import validate_resident_id
from huicai.hotlines.choices import Refusal
from huicai.hotlines.webhooks import Refused

ORDER_ID = r"^[A-Za-z0-9_.:/-]{1,64}$"
MAX_COMMENT = 1000


@dataclass(frozen=True)
class Text:
    """A string of at most ``max_length`` characters, stripped of surrounding spaces unless ``strip`` is
    off; when ``pattern`` is given it must match, else ``invalid`` is the message."""

    max_length: int
    required: bool = True
    strip: bool = True
    pattern: str = ""
    invalid: str = ""

    def clean(self, value: str) -> str:
        if self.strip:
            value = value.strip()
        if not value:
            if self.required:
                raise ValidationError(_("This field is required."))  # Django's wording and translation
            return ""
        checks = [
            validators.MaxLengthValidator(self.max_length),
            validators.ProhibitNullCharactersValidator(),
        ]
        if self.pattern:
            checks.append(validators.RegexValidator(self.pattern, message=self.invalid))
        problems = []
        for check in checks:
            try:
                check(value)
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            raise ValidationError(problems)
        return value


@dataclass(frozen=True)
class Date:
    """An optional date written YYYY-MM-DD."""

    def clean(self, value: str) -> datetime.date | None:
        value = value.strip()
        if not value:
            return None
        try:
            return datetime.datetime.strptime(value, "%Y-%m-%d").date()
        except ValueError:
            raise ValidationError(_("Enter a valid date.")) from None  # Django's wording and translation


ORDER_ID_FIELD = Text(
    64,
    strip=False,
    pattern=ORDER_ID,
    invalid=gettext_lazy("工单号只能由字母、数字和 _ . : / - 组成，最长64位。"),
)

ORDER_FIELDS = {
    "order_id": ORDER_ID_FIELD,
    "id_number": Text(30, required=False),
    "card_number": Text(30, required=False),
    "content": Text(MAX_NOTE),
    "service_item_code": Text(30, required=False),
    "due_date": Date(),
}

RATING_FIELDS = {
    "order_id": ORDER_ID_FIELD,
    "level": Text(10),
    "comment": Text(MAX_COMMENT, required=False),
}


def read_order(body: bytes, *, today) -> dict:
    """The order's fields, checked; ``Refused`` when the body is not the JSON object of an order.

    A resident ID number (hotlines send no passports) with a wrong part is refused as malformed, naming
    the part: the operator can correct it, where "no such talent" would send them looking. It is kept as
    sent: the order's fingerprint (a repeat or a different order?) is taken over these values.
    """
    data, problems = _check(
        ORDER_FIELDS,
        _load_json(body),
        then={"id_number": lambda value: validate_resident_id(value, today=today)},
    )
    if not (data.get("id_number") or data.get("card_number")):
        problems["__all__"] = [_("请提供人才的居民身份证号码或人才卡号。")]
    else:
        if data.get("card_number"):
            data["card_number"] = data["card_number"].strip().upper()
        if data.get("service_item_code"):
            data["service_item_code"] = data["service_item_code"].strip().upper()
    return _checked(data, problems)


def read_rating(body: bytes) -> dict:
    """The rating's fields, checked; ``Refused`` when the body is not the JSON object of a rating."""
    data, problems = _check(RATING_FIELDS, _load_json(body))
    return _checked(data, problems)


def _load_json(body: bytes) -> dict:
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Refused(Refusal.MALFORMED, _("请求体不是有效的 UTF-8 JSON。")) from None
    if not isinstance(payload, dict):
        raise Refused(Refusal.MALFORMED, _("请求体应为 JSON 对象。"))
    return payload


def _check(fields: dict, payload: dict, *, then=None) -> tuple[dict, dict]:
    """The fields that passed, and the problems of those that did not: ``{field: [message, …]}``.

    Only strings, numbers and null are accepted as values; null reads as an empty string. ``then`` maps a
    field to a further check of its non-empty value, run once the field itself passed.
    """
    then = then or {}
    for name in fields:
        value = payload.get(name)
        if isinstance(value, bool) or not isinstance(value, str | int | type(None)):
            raise Refused(Refusal.MALFORMED, _("字段 %(field)s 的类型不正确。") % {"field": name})
    data, problems = {}, {}
    for name, field in fields.items():
        value = payload.get(name)
        try:
            data[name] = field.clean("" if value is None else str(value))
            if data[name] and name in then:
                then[name](data[name])
        except ValidationError as error:
            data.pop(name, None)
            problems[name] = error.messages
    return data, problems


def _checked(data: dict, problems: dict) -> dict:
    if problems:
        parts = []
        for field, messages in problems.items():
            label = "" if field == "__all__" else f"{field}: "
            parts.append(label + "；".join(messages))
        message = _("数据格式错误：%(errors)s") % {"errors": " ".join(parts)}
        raise Refused(Refusal.MALFORMED, message, order_id=data.get("order_id", ""))
    return data
