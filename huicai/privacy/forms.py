from django import forms
from django.utils.translation import gettext_lazy as _

from huicai.privacy.choices import Outcome, RequestKind


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("请求类型"), choices=RequestKind.choices)
    details = forms.CharField(
        label=_("请求内容"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("请说明哪项信息需要更正、删除或限制处理，以及原因。"),
    )


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=Outcome.choices)
    answer = forms.CharField(label=_("答复"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))
