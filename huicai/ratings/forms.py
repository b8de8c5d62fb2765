"""Forms of the rating and rectification pages. They only shape input; the rules are in actions.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huicai.ratings.choices import INDICATORS, CallbackResult, Indicator, Level, Mode, ResponseKind, Ruling

# Best first, as the levels are read out on the phone.
LEVEL_CHOICES = [(level.value, level.label) for level in sorted(Level, key=lambda level: -level.value)]


class RatingForm(forms.Form):
    """One five-level choice per indicator of the service's mode, and a comment."""

    comment = forms.CharField(
        label=_("评价意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("选择“不满意”或“非常不满意”时必填，请写明原因。"),
    )

    def __init__(self, *args, mode=Mode.OFFLINE, **kwargs):
        super().__init__(*args, **kwargs)
        self.mode = mode
        indicators = {}
        for name in INDICATORS[mode]:
            indicators[name] = forms.TypedChoiceField(
                label=Indicator(name).label,
                choices=LEVEL_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
            )
        # Indicators first, the comment last.
        self.fields = {**indicators, "comment": self.fields["comment"]}

    def indicator_fields(self):
        return [self[name] for name in INDICATORS[self.mode]]

    def scores(self) -> dict:
        return {name: self.cleaned_data[name] for name in INDICATORS[self.mode]}


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RespondForm(VersionForm):
    kind = forms.ChoiceField(label=_("整改方式"), choices=ResponseKind.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("核实情况与整改措施"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    promised_date = forms.DateField(
        label=_("承诺完成日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("限期整改时必填。"),
    )


class AppealForm(VersionForm):
    reason = forms.CharField(label=_("申诉理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(
        label=_("证据说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("如办理记录、叫号记录、录音录像的说明。"),
    )


class CallbackForm(VersionForm):
    result = forms.ChoiceField(
        label=_("人才的答复"), choices=CallbackResult.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("回访记录"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("人才不满意时必填。"),
    )


class RuleForm(VersionForm):
    ruling = forms.ChoiceField(label=_("裁定"), choices=Ruling.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("裁定意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
