"""Forms of the filing pages. They only shape input; the rules are in actions.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huicai.filings import periods
from huicai.filings.choices import FilingKind, FilingStatus


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, min_value=1, **kwargs)


class RemarksForm(forms.Form):
    remarks = forms.CharField(
        label=_("报送说明"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("补充说明本期服务情况、困难和建议；报送后随快照锁定。"),
    )
    version = VersionField()


class FileForm(RemarksForm):
    pass


class AcceptForm(forms.Form):
    version = VersionField()


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回原因"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写退回原因。")},
    )
    version = VersionField()


class FilterForm(forms.Form):
    BOXES = [("", _("全部")), ("mine", _("我报送的")), ("incoming", _("报送给我的"))]

    box = forms.ChoiceField(label=_("范围"), choices=BOXES, required=False)
    kind = forms.ChoiceField(label=_("类别"), choices=[("", _("全部")), *FilingKind.choices], required=False)
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *FilingStatus.choices], required=False
    )
    period = forms.CharField(
        label=_("期间"), required=False, max_length=10, help_text=_("如 2026-Q1、2026-03")
    )

    # The window the filings were filed with (the tree's links); only within what the user may see.
    window = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean_period(self):
        token = self.cleaned_data["period"].strip()
        return periods.parse(token) if token else None
