from django import forms
from django.utils.translation import gettext_lazy as _

from huicai.cards.choices import Purpose
from huicai.talents.choices import CardKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MaterialsField(forms.FileField):
    """Several files in one input; each is checked by content in the action."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MaterialsField, self).clean(f, initial) for f in files]


class ApplyForm(forms.Form):
    kind = forms.ChoiceField(label=_("卡类"), choices=CardKind.choices)
    purpose = forms.ChoiceField(label=_("申请类型"), choices=Purpose.choices)
    note = forms.CharField(
        label=_("申请说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    materials = MaterialsField(label=_("申请材料（PDF、JPG、PNG，可多选）"), required=True)


class ReturnForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("退回原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ResubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("补正说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    materials = MaterialsField(label=_("补正材料（可多选）"), required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=500)


class LostForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("卡号或二维码内容"), max_length=120)
