"""Forms of window grading: each checks input and hands clean values to one action."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huicai.grading.choices import IndicatorCode, PeriodKind
from huicai.grading.models import REPORT_SECTIONS

SCORE_FIELD = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}


class VersionedForm(forms.Form):
    """The version of the record the person saw: a stale copy is refused (409), not applied."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RubricForm(forms.Form):
    note = forms.CharField(label=_("修订说明"), max_length=300, required=False)
    excellent_min = forms.DecimalField(label=_("优秀分数线"), initial=90, **SCORE_FIELD)
    good_min = forms.DecimalField(label=_("良好分数线"), initial=80, **SCORE_FIELD)
    pass_min = forms.DecimalField(label=_("达标分数线"), initial=60, **SCORE_FIELD)

    def __init__(self, *args, weights=None, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in IndicatorCode.choices:
            self.fields[f"weight_{code}"] = forms.IntegerField(
                label=label, min_value=0, max_value=100, initial=(weights or {}).get(code, 0)
            )

    def weight_fields(self):
        return [self[f"weight_{code}"] for code in IndicatorCode.values]

    def weights(self) -> dict:
        return {code: self.cleaned_data[f"weight_{code}"] for code in IndicatorCode.values}


class ComputeForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("年度"), min_value=2021, max_value=2100)
    quarter = forms.IntegerField(label=_("季度"), min_value=1, max_value=4, required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == PeriodKind.QUARTER and not data.get("quarter"):
            self.add_error("quarter", _("季度预评估请选择季度。"))
        return data


class AdjustForm(VersionedForm):
    score = forms.DecimalField(label=_("调整后得分"), **SCORE_FIELD)
    reason = forms.CharField(label=_("调整理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ObjectionForm(forms.Form):
    reason = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class AnswerForm(VersionedForm):
    upheld = forms.TypedChoiceField(
        label=_("答复结论"),
        choices=[("0", _("异议不成立，维持原结果")), ("1", _("异议成立"))],
        coerce=lambda value: value == "1",
    )
    answer = forms.CharField(label=_("答复意见"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    score = forms.DecimalField(label=_("调整后得分（异议成立时可填）"), required=False, **SCORE_FIELD)


class TalkForm(VersionedForm):
    talk_date = forms.DateField(label=_("约谈日期"), widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.CharField(label=_("参加人员"), max_length=300, required=False)
    record = forms.CharField(label=_("约谈记录"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)


class ExplainForm(VersionedForm):
    meeting_date = forms.DateField(label=_("联席会议日期"), widget=forms.DateInput(attrs={"type": "date"}))
    explanation = forms.CharField(
        label=_("在联席会议上作出的说明"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class PlanForm(VersionedForm):
    plan = forms.CharField(label=_("整改方案"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    days = forms.IntegerField(label=_("整改期限（工作日）"), min_value=1, initial=20)


class CloseForm(VersionedForm):
    note = forms.CharField(label=_("整改验收意见"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


INTERVIEW_FORMS = {"talk": TalkForm, "explain": ExplainForm, "plan": PlanForm, "close": CloseForm}


class DraftReportForm(forms.Form):
    evaluation = forms.ModelChoiceField(label=_("所依据的评估"), queryset=None, empty_label=None)

    def __init__(self, *args, evaluations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluation"].queryset = evaluations


class ReportForm(VersionedForm):
    title = forms.CharField(label=_("标题"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, heading in REPORT_SECTIONS:
            self.fields[name] = forms.CharField(
                label=heading, widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000
            )

    def sections(self) -> dict:
        return {name: self.cleaned_data[name] for name, _heading in REPORT_SECTIONS}
