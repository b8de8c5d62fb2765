"""A wrong choice is answered with the choices that are right (issue 12).

DRF says only "“x”不是合法选项。"; a client developer then has to find the enum in the schema. Every
``ChoiceField`` (and ``MultipleChoiceField``) of every app's serializers, declared or made by a
``ModelSerializer`` from a model's choices, lists the valid values with their labels instead. One change
in one place, at start-up (``ApiConfig.ready``), rather than a subclass every serializer must remember; a
field with its own ``invalid_choice`` message keeps it.
"""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

MAX_LISTED = 40
_DRF_MESSAGE = serializers.ChoiceField.default_error_messages["invalid_choice"]


def describe_choices(choices) -> str:
    listed = [
        f"{value}（{label}）" if str(label) != str(value) else str(value)
        for value, label in list(choices.items())[:MAX_LISTED]
    ]
    more = _("等 %(count)s 项") % {"count": len(choices)} if len(choices) > MAX_LISTED else ""
    return "、".join(listed) + more


def _fail(self, key, **kwargs):
    if key == "invalid_choice" and str(self.error_messages.get(key)) == str(_DRF_MESSAGE):
        message = _("“%(input)s”不是合法选项。可选值：%(choices)s。") % {
            "input": kwargs.get("input"),
            "choices": describe_choices(self.choices),
        }
        raise ValidationError(message, code=key)
    return serializers.Field.fail(self, key, **kwargs)


def list_valid_choices_in_errors():
    serializers.ChoiceField.fail = _fail
