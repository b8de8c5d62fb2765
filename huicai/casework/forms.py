"""Forms for each step of the flow. Each validates input only; the rules live in actions.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huicai.casework.choices import ConsentMethod, ExplainedVia, InformChannel, Result, SuspensionReason
from huicai.org.forms import DepartmentChoiceField
from huicai.org.models import Department, UndertakingOrg


class VersionedForm(forms.Form):
    """Carries the version of the record the person saw, so a stale submission is refused (409)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class NewApplicationForm(forms.Form):
    talent = forms.ModelChoiceField(label=_("人才"), queryset=None)
    items = forms.ModelMultipleChoiceField(
        label=_("申办事项"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("选择一个事项将直接报送主管部门；选择多个事项将报送属地窗口并联办理。"),
    )
    note = forms.CharField(
        label=_("申办说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, talents, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talent"].queryset = talents
        self.fields["items"].queryset = items


class UploadForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)
    key = forms.CharField(widget=forms.HiddenInput, max_length=40)
    file = forms.FileField(label=_("文件（PDF、JPG、PNG）"))


class ConsentForm(VersionedForm):
    method = forms.ChoiceField(label=_("同意方式"), choices=ConsentMethod.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=300)


class NoteForm(VersionedForm):
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ResubmitForm(VersionedForm):
    """补正后提交: for each item of the open notice not uploaded, a box to record that the paper was handed
    over in person, with a note of how (the action refuses a resubmission with an item neither uploaded
    nor handed over, naming it)."""

    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            ref = row["ref"]
            self.fields[f"handover-{ref}"] = forms.BooleanField(
                label=_("“%(name)s”已当面递交") % {"name": row["name"]}, required=False
            )
            self.fields[f"handover-note-{ref}"] = forms.CharField(
                label=_("当面递交说明（交给谁、何时）"), required=False, max_length=300
            )

    def clean(self):
        data = super().clean()
        for row in self.rows:
            ref = row["ref"]
            if data.get(f"handover-{ref}") and not (data.get(f"handover-note-{ref}") or "").strip():
                self.add_error(
                    f"handover-note-{ref}",
                    _("请说明“%(name)s”当面递交的情况（交给谁、何时）。") % {"name": row["name"]},
                )
        return data

    def handovers(self) -> dict:
        return {
            row["ref"]: self.cleaned_data.get(f"handover-note-{row['ref']}", "")
            for row in self.rows
            if self.cleaned_data.get(f"handover-{row['ref']}")
        }


class ExtensionDecisionForm(forms.Form):
    """The window's answer to an extension past the cap: the reason is required to refuse."""

    reason = forms.CharField(
        label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=300
    )


class ReportBackForm(VersionedForm):
    note = forms.CharField(label=_("办理情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RequestMaterialsForm(VersionedForm):
    keys = forms.MultipleChoiceField(
        label=_("需补正的材料"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other = forms.CharField(
        label=_("其他材料（每行一项）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.materials = {m["key"]: m["name"] for m in materials}
        self.fields["keys"].choices = list(self.materials.items())

    def requested_items(self):
        items = [{"key": key, "name": self.materials[key]} for key in self.cleaned_data["keys"]]
        items += [
            {"key": "", "name": line.strip()}
            for line in self.cleaned_data["other"].splitlines()
            if line.strip()
        ]
        return items


class RerouteForm(VersionedForm):
    department = DepartmentChoiceField(
        label=_("改派至部门"), queryset=Department.objects.filter(is_active=True)
    )

    def __init__(self, *args, suggested=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The catalogue's department of the task's items, when it is not the one that returned the task.
        if suggested:
            self.fields["department"].suggest(suggested)
            self.initial.setdefault("department", suggested[0])

    note = forms.CharField(label=_("说明"), required=False, max_length=2000)


class DelegateForm(VersionedForm):
    undertaking_org = forms.ModelChoiceField(label=_("承办机构"), queryset=UndertakingOrg.objects.none())
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)

    def __init__(self, *args, department=None, **kwargs):
        super().__init__(*args, **kwargs)
        if department is not None:
            self.fields["undertaking_org"].queryset = UndertakingOrg.objects.filter(
                department=department, is_active=True
            )


class SuspendForm(VersionedForm):
    reason = forms.ChoiceField(label=_("中止事由"), choices=SuspensionReason.choices)
    legal_basis = forms.CharField(label=_("法律依据"), max_length=300)


class ExtendForm(VersionedForm):
    new_due_date = forms.DateField(label=_("新的办结日期"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("延期原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    explanation = forms.CharField(
        label=_("向人才的说明"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    explained_via = forms.ChoiceField(label=_("说明方式"), choices=ExplainedVia.choices)


class CompleteForm(VersionedForm):
    result = forms.ChoiceField(label=_("办理结果"), choices=Result.choices)
    note = forms.CharField(
        label=_("结果说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    document = forms.FileField(label=_("结果文书（可选）"), required=False)


class InformForm(VersionedForm):
    via = forms.ChoiceField(label=_("告知方式"), choices=InformChannel.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)
