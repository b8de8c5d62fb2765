"""Forms for the counter and the appointment pages. Each validates input only; the rules live in
actions.py (and the refusals of the actions are shown on the same forms)."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huicai.core.validators import looks_like_resident_id, normalize_resident_id, validate_resident_id
from huicai.directservices.choices import Outcome


class VersionedForm(forms.Form):
    """Carries the version of the appointment the person saw, so a stale submission is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LookupForm(forms.Form):
    """A card number typed in, a card QR code scanned into the field, or an exact ID number.

    A resident ID number with a wrong part is answered with what is wrong (a typo at the counter), not
    with "not found": that tells nothing about which numbers are registered. Passport numbers pass as typed.
    """

    card = forms.CharField(
        label=_("人才卡号或二维码"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "inputmode": "text"}),
        help_text=_("输入卡号，或用扫码枪扫描人才卡二维码。"),
    )
    id_number = forms.CharField(
        label=_("或：证件号码"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("人才未带卡但持身份证件时，可按证件号码精确查找。"),
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        card, id_number = (data.get("card") or "").strip(), (data.get("id_number") or "").strip()
        if bool(card) == bool(id_number):
            raise forms.ValidationError(_("请填写人才卡号（或二维码），或填写证件号码，二者选一。"))
        if id_number and looks_like_resident_id(id_number):
            try:
                validate_resident_id(id_number, today=self.today)
            except ValidationError as error:
                self.add_error("id_number", error)
            id_number = normalize_resident_id(id_number)
        data["card"], data["id_number"] = card, id_number
        return data


class RecordForm(forms.Form):
    """The service given: on which valid card, which direct item, where, and the outcome."""

    card = forms.ChoiceField(label=_("所持人才卡"))
    item = forms.ChoiceField(label=_("服务事项"), widget=forms.RadioSelect)
    place = forms.CharField(label=_("服务地点"), max_length=200)
    outcome = forms.ChoiceField(label=_("服务结果"), choices=Outcome.choices, widget=forms.RadioSelect)
    outcome_reason = forms.CharField(
        label=_("未能服务原因或转介去向"),
        required=False,
        max_length=300,
        help_text=_("结果为“转介”或“未能服务”时必填。"),
    )
    note = forms.CharField(
        label=_("备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, cards=(), items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["card"].choices = [
            (card.number, f"{card.get_kind_display()} {card.number}") for card in cards
        ]
        self.fields["item"].choices = [
            (row.item.code, f"{row.item.code} {row.version.name}") for row in items
        ]

    def clean(self):
        data = super().clean()
        outcome, reason = data.get("outcome"), (data.get("outcome_reason") or "").strip()
        if outcome == Outcome.NOT_SERVED and not reason:
            self.add_error("outcome_reason", _("未能服务时须填写原因。"))
        if outcome == Outcome.REFERRED and not reason:
            self.add_error("outcome_reason", _("转介时须填写转介去向。"))
        return data


class AppointmentForm(forms.Form):
    talent = forms.ModelChoiceField(label=_("人才"), queryset=None)
    item = forms.ModelChoiceField(label=_("服务事项"), queryset=None, to_field_name="code")
    post = forms.ModelChoiceField(
        label=_("预约专员"),
        queryset=None,
        required=False,
        help_text=_("只列出提供所选服务事项的部门专员、承办专员和窗口专员；也可以不选专员而预约服务窗口。"),
    )
    window = forms.ModelChoiceField(label=_("或：预约服务窗口"), queryset=None, required=False)
    service_date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("结束时间"), widget=forms.TimeInput(attrs={"type": "time"}))
    note = forms.CharField(
        label=_("预约说明"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, talents, items, posts, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talent"].queryset = talents
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda item: f"{item.code} {item.published_version.name}"
        self.fields["post"].queryset = posts
        # Choosing the item reloads the list of commissioners who provide it (the page's #post-field).
        self.fields["item"].widget.attrs.update(
            {
                "hx-get": reverse("directservices:appointment_create"),
                "hx-trigger": "change",
                "hx-target": "#post-field",
                "hx-select": "#post-field",
                "hx-swap": "outerHTML",
            }
        )
        if not posts.exists():
            self.fields["post"].help_text = _(
                "请先选择服务事项，再选择提供该事项的专员；也可以预约服务窗口。"
            )
        self.fields["post"].label_from_instance = lambda post: (
            f"{post.user.get_full_name()} · {post.get_kind_display()} · {post.organisation}"
        )
        self.fields["window"].queryset = windows
        if len(talents) == 1:
            self.fields["talent"].initial = talents[0].pk

    def clean(self):
        data = super().clean()
        if bool(data.get("post")) == bool(data.get("window")):
            self.add_error("post", _("请选择预约的服务专员或服务窗口（二选一）。"))
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("结束时间须晚于开始时间。"))
        return data


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(VersionedForm):
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CompleteForm(VersionedForm):
    place = forms.CharField(label=_("服务地点"), max_length=200)
    outcome = forms.ChoiceField(label=_("服务结果"), choices=Outcome.choices, widget=forms.RadioSelect)
    outcome_reason = forms.CharField(label=_("未能服务原因或转介去向"), required=False, max_length=300)
    note = forms.CharField(
        label=_("备注"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        outcome, reason = data.get("outcome"), (data.get("outcome_reason") or "").strip()
        if outcome == Outcome.NOT_SERVED and not reason:
            self.add_error("outcome_reason", _("未能服务时须填写原因。"))
        if outcome == Outcome.REFERRED and not reason:
            self.add_error("outcome_reason", _("转介时须填写转介去向。"))
        return data
