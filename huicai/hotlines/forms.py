"""The JSON a hotline pushes, checked field by field like any other input (explicit fields only).

An order:  ``{"order_id", "id_number" | "card_number", "content", "service_item_code"?, "due_date"?}``
A rating:  ``{"order_id", "level", "comment"?}`` where ``level`` is 非常满意 … 非常不满意, or 5 … 1.

Fields we do not know are ignored, so a hotline may send more than we read; only the fields read here
count when telling a repeated order from a different one.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huicai.casework.actions import MAX_NOTE
from huicai.core.validators import validate_resident_id

ORDER_ID = r"^[A-Za-z0-9_.:/-]{1,64}$"
MAX_COMMENT = 1000


class OrderForm(forms.Form):
    order_id = forms.RegexField(
        ORDER_ID,
        max_length=64,
        error_messages={"invalid": gettext_lazy("工单号只能由字母、数字和 _ . : / - 组成，最长64位。")},
    )
    id_number = forms.CharField(required=False, max_length=30)
    card_number = forms.CharField(required=False, max_length=30)
    content = forms.CharField(max_length=MAX_NOTE)
    service_item_code = forms.CharField(required=False, max_length=30)
    due_date = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_id_number(self):
        """A resident ID number (hotlines send no passports) with a wrong part is refused as malformed,
        naming the part: the operator can correct it, where "no such talent" would send them looking."""
        value = self.cleaned_data["id_number"]
        if not value:
            return value
        try:
            validate_resident_id(value, today=self.today)
        except ValidationError as error:
            raise forms.ValidationError(error.error_list) from error
        # As sent: the order's fingerprint (a repeat or a different order?) is taken over these values.
        return value

    def clean(self):
        data = super().clean()
        if not (data.get("id_number") or data.get("card_number")):
            raise forms.ValidationError(_("请提供人才的居民身份证号码或人才卡号。"))
        if data.get("card_number"):
            data["card_number"] = data["card_number"].strip().upper()
        if data.get("service_item_code"):
            data["service_item_code"] = data["service_item_code"].strip().upper()
        return data


class RatingForm(forms.Form):
    order_id = forms.RegexField(
        ORDER_ID,
        max_length=64,
        error_messages={"invalid": gettext_lazy("工单号只能由字母、数字和 _ . : / - 组成，最长64位。")},
    )
    level = forms.CharField(max_length=10)
    comment = forms.CharField(required=False, max_length=MAX_COMMENT)


def first_error(form) -> str:
    """The form's errors as one short line for the hotline: field name and message, no submitted value."""
    parts = []
    for field, errors in form.errors.items():
        label = "" if field == "__all__" else f"{field}: "
        parts.append(label + "；".join(errors))
    return _("数据格式错误：%(errors)s") % {"errors": " ".join(parts)}
