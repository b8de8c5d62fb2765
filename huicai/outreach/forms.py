"""Forms for difficulties and check-ins. Each validates input only; the rules live in actions.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huicai.outreach.choices import Category, DifficultyKind, EmploymentAnswer, RecordableKind
from huicai.outreach.models import MAX_CONTENT


def _required(message):
    return {"required": message}


class DifficultyForm(forms.Form):
    talent = forms.ModelChoiceField(
        label=_("人才"),
        queryset=None,
        error_messages={
            "required": _("请选择人才。"),
            "invalid_choice": _("未找到该人才，或您无权为其登记。"),
        },
    )
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=RecordableKind.choices,
        widget=forms.RadioSelect,
        initial=DifficultyKind.DIFFICULTY,
        error_messages=_required(_("请选择类型。")),
    )
    category = forms.ChoiceField(
        label=_("类别"), choices=Category.choices, error_messages=_required(_("请选择类别。"))
    )
    content = forms.CharField(
        label=_("内容"),
        max_length=MAX_CONTENT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_required(_("请填写困难或意见建议的内容。")),
        help_text=_("请写明遇到的困难或建议，以及希望得到的帮助。"),
    )

    def __init__(self, *args, talents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if talents is None:
            # A talent reports for themself: no choice to make.
            del self.fields["talent"]
        else:
            self.fields["talent"].queryset = talents


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EscalateForm(forms.Form):
    note = forms.CharField(
        label=_("上报说明"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(_("请填写上报说明。")),
    )


class RespondForm(forms.Form):
    response = forms.CharField(
        label=_("答复内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required(_("请填写答复内容。")),
    )
    resolved = forms.BooleanField(label=_("困难已解决"), required=False)


class LinkCatalogueForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("服务事项"), queryset=None, error_messages=_required(_("请选择服务事项。"))
    )
    version_number = forms.IntegerField(
        label=_("事项版本号（可选）"), required=False, min_value=1, help_text=_("调整后公布的版本。")
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=300)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items


class RoundForm(forms.Form):
    window = forms.ModelChoiceField(
        label=_("服务窗口"), queryset=None, error_messages=_required(_("请选择服务窗口。"))
    )
    title = forms.CharField(label=_("名称"), max_length=100, error_messages=_required(_("请填写调度名称。")))
    due_date = forms.DateField(
        label=_("答复截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = windows
        if len(windows) == 1:
            self.fields["window"].initial = windows[0]
            self.fields["window"].widget = forms.HiddenInput()


YES_NO = [("1", _("是")), ("0", _("否"))]


class AnswerForm(forms.Form):
    """S14-4, one talent: 在职？在临沂居住？ Pre-filled with what the record says, so confirming is one tap."""

    employment_status = forms.ChoiceField(
        label=_("在职状态"),
        choices=EmploymentAnswer.choices,
        widget=forms.RadioSelect,
        error_messages=_required(_("请选择在职状态。")),
    )
    lives_in_linyi = forms.TypedChoiceField(
        label=_("在临沂居住"),
        choices=YES_NO,
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages=_required(_("请选择是否在临沂居住。")),
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=500)

    @classmethod
    def for_entry(cls, entry, data=None):
        talent = entry.talent
        if entry.employment_status:
            employment, lives = entry.employment_status, entry.lives_in_linyi
        else:
            employment, lives = talent.employment_status, talent.lives_in_linyi
        if employment not in EmploymentAnswer.values:
            employment = EmploymentAnswer.EMPLOYED
        initial = {
            "employment_status": employment,
            "lives_in_linyi": "0" if lives is False else "1",
            "note": entry.note,
        }
        return cls(data, prefix=f"e{entry.pk}", initial=initial)
