"""Forms of the commissioner management pages; each checks its input, the actions give the rules' refusals."""

import datetime
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from huicai.commissioners.models import Post
from huicai.org.models import Window
from huicai.staffing.choices import Component


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=500, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ContactChangeForm(forms.Form):
    post = forms.ModelChoiceField(label=_("专员"), queryset=Post.objects.none())
    change_date = forms.DateField(label=_("变更日期"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("变更内容"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts


class SessionForm(forms.Form):
    window = forms.ModelChoiceField(label=_("组织窗口"), queryset=Window.objects.none())
    topic = forms.CharField(label=_("培训主题"), max_length=200)
    session_date = forms.DateField(label=_("培训日期"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(
        label=_("学时"), max_digits=4, decimal_places=1, min_value=Decimal("0.5"), max_value=Decimal(40)
    )
    organiser = forms.CharField(label=_("组织单位"), max_length=100)
    description = forms.CharField(
        label=_("内容简介"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = windows


class AttendanceForm(forms.Form):
    posts = forms.ModelMultipleChoiceField(
        label=_("参训专员"), queryset=Post.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].queryset = posts
        self.fields["posts"].label_from_instance = lambda p: (
            f"{p.user} · {p.get_kind_display()} · {p.organisation}"
        )


class MaterialForm(forms.Form):
    file = forms.FileField(label=_("培训材料（PDF、JPG、PNG）"))


class WeightsForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, initial_weights=None, **kwargs):
        super().__init__(*args, **kwargs)
        for component in Component:
            self.fields[component.value] = forms.IntegerField(
                label=component.label,
                min_value=0,
                max_value=100,
                initial=(initial_weights or {}).get(component.value),
            )

    def weights(self) -> dict:
        return {c: self.cleaned_data[c] for c in Component.values}


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2021, max_value=2100)


class CommendationForm(forms.Form):
    window = forms.ModelChoiceField(label=_("窗口"), queryset=Window.objects.none())
    year = forms.IntegerField(label=_("年度"), min_value=2021, max_value=2100)
    size = forms.IntegerField(label=_("表扬人数"), min_value=1, max_value=100, initial=5)

    def __init__(self, *args, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = windows


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("决定意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class NoticeForm(forms.Form):
    reason = forms.CharField(label=_("通报事由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class InterviewForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("约谈时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    interviewers = forms.CharField(label=_("约谈人"), max_length=200)
    interviewees = forms.CharField(label=_("被约谈人"), max_length=200)
    content = forms.CharField(label=_("谈话内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    commitment = forms.CharField(
        label=_("整改承诺"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ResponseForm(forms.Form):
    text = forms.CharField(label=_("回复内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


def parse_year(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 2021 <= year <= 2100 else default


def parse_month(value) -> datetime.date | None:
    """``YYYY-MM`` from a query string, or None."""
    try:
        year, month = (int(part) for part in str(value).split("-"))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return None
