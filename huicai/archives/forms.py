from django import forms
from django.utils.translation import gettext_lazy as _

from huicai.archives.choices import Purpose
from huicai.archives.models import ArchiveReason
from huicai.archives.timeline import KINDS


class ReasonForm(forms.Form):
    """Why staff open a talent's archive: a purpose from the list and their own words (both required)."""

    purpose = forms.ChoiceField(
        label=_("查阅事由"),
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择查阅事由。"), "invalid_choice": _("请选择查阅事由。")},
    )
    note = forms.CharField(
        label=_("具体说明"),
        max_length=ArchiveReason._meta.get_field("note").max_length,
        widget=forms.TextInput(attrs={"placeholder": _("例如：核实2026年第三季度服务记录，备案报送")}),
        error_messages={
            "required": _("请说明查阅该人才档案的具体事由。"),
            "max_length": _("事由说明不能超过 %(limit_value)d 个字。"),
        },
    )


class FilterForm(forms.Form):
    """The archive's filters: a period (both days included) and one kind, or all."""

    start = forms.DateField(label=_("自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("类别"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部类别")), *KINDS.items()]
        self.fields["kind"].error_messages["invalid_choice"] = _("请选择有效的类别。")
        self.fields["start"].error_messages["invalid"] = _("请输入有效的日期。")
        self.fields["end"].error_messages["invalid"] = _("请输入有效的日期。")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("开始日期不能晚于结束日期。"))
        return data
