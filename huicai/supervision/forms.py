"""Forms of the supervision pages. They check the shape of the input; the rules are the actions'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huicai.supervision.actions import MAX_ORDER_DAYS, MAX_TEXT

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DueFields(forms.Form):
    """An order's date: a number of working days from today, or a date (one of the two)."""

    due_in_days = forms.IntegerField(
        label=_("答复期限（工作日）"), required=False, min_value=1, max_value=MAX_ORDER_DAYS
    )
    due_date = forms.DateField(label=_("或指定答复日期"), required=False, widget=DATE)

    require_due = True

    def clean(self):
        cleaned = super().clean()
        days, date = cleaned.get("due_in_days"), cleaned.get("due_date")
        if days is not None and date is not None:
            self.add_error("due_date", _("工作日天数和具体日期只填写一项。"))
        elif self.require_due and days is None and date is None and not self.errors:
            self.add_error("due_in_days", _("请填写答复期限：工作日天数或具体日期。"))
        return cleaned


class RaiseOrderForm(DueFields):
    content = forms.CharField(
        label=_("督办要求"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )

    field_order = ["content", "due_in_days", "due_date"]


class RespondForm(forms.Form):
    response = forms.CharField(
        label=_("书面答复"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReviewForm(DueFields):
    ACCEPT, REOPEN = "accept", "reopen"

    decision = forms.ChoiceField(
        label=_("处理意见"),
        choices=[(ACCEPT, _("确认答复，办结督办")), (REOPEN, _("退回重办"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("意见（退回时必填）"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    require_due = False
    field_order = ["decision", "note", "due_in_days", "due_date"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.REOPEN and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("退回重办须写明意见。"))
        return cleaned


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤销原因"), max_length=MAX_TEXT)


class RoundForm(forms.Form):
    window = forms.ModelChoiceField(label=_("调度窗口"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("调度主题"), max_length=100)
    answer_due_date = forms.DateField(label=_("答复期限"), widget=DATE)
    note = forms.CharField(
        label=_("调度要求"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = windows


class AnswerForm(forms.Form):
    progress = forms.CharField(
        label=_("进展情况"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    obstacle = forms.CharField(
        label=_("存在困难"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_date = forms.DateField(label=_("预计办结日期"), required=False, widget=DATE)
