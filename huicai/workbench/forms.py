"""Forms of the workbenches: filters of the board sections, the steps of the new-application wizard, and
the one-click actions of the boards. They validate input only; the rules live in casework's actions."""

import datetime
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from huicai.casework.choices import ApplicationStatus
from huicai.catalogue.choices import Category
from huicai.org.forms import FILTER_PLACEHOLDER, DepartmentChoiceField, grouped_choices
from huicai.org.models import Department, Window
from huicai.talents.models import TalentCategory
from huicai.workbench.boards import TASK_STATES
from huicai.workbench.dashboard import TASK_LIST_STATES


class TalentSearchForm(forms.Form):
    """POSTed, and answered with a redirect carrying an ID number only as its keyed hash (``ref``), so
    the number never reaches a URL (SECURITY.md; see talents.views.talent_list)."""

    q = forms.CharField(label=_("姓名或证件号"), required=False, max_length=50)
    ref = forms.RegexField(regex=r"^[0-9a-f]{64}$", required=False, widget=forms.HiddenInput)
    category = forms.ModelChoiceField(
        label=_("人才类别"), queryset=TalentCategory.objects.all(), required=False, empty_label=_("全部类别")
    )
    expiring = forms.BooleanField(label=_("人才卡60天内到期"), required=False)


class ApplicationStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *[c for c in ApplicationStatus.choices if c[0] != ApplicationStatus.DRAFT]],
    )


class TaskStateForm(forms.Form):
    state = forms.ChoiceField(label=_("筛选"), required=False, choices=[("", _("全部未办结")), *TASK_STATES])


class SupervisionFilterForm(TaskStateForm):
    department = DepartmentChoiceField(
        label=_("主管部门"), queryset=Department.objects.all(), required=False, empty_label=_("全部部门")
    )


class ItemsForm(forms.Form):
    """Wizard step 2: the by-application items open to the talent (W13: one goes straight to the
    department, several go to the window)."""

    items = forms.ModelMultipleChoiceField(
        label=_("申办事项"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个服务事项。")},
    )
    note = forms.CharField(
        label=_("申办说明（可选）"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items


class SplitForm(forms.Form):
    """W13: the department each line of a multi-item application goes to, pre-filled with the catalogue's
    suggestion; the window may correct it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label=_("分办说明"), required=False, max_length=2000)

    def __init__(self, *args, lines, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        departments = list(departments)
        for line in lines:
            suggested = [line.service_item.department_id]
            self.fields[f"route-{line.pk}"] = forms.TypedChoiceField(
                label=line.item_version.name,
                choices=grouped_choices(departments, empty_label=_("请选择"), suggested=suggested),
                widget=forms.Select(attrs={"data-filter": FILTER_PLACEHOLDER}),
                coerce=int,
                initial=line.service_item.department_id,
                error_messages={
                    "required": _("请为该事项选择主管部门。"),
                    "invalid_choice": _("请选择有效的主管部门。"),
                },
            )

    def routes(self):
        return {line.pk: self.cleaned_data[f"route-{line.pk}"] for line in self.lines}


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class DashboardApplicationsForm(forms.Form):
    month = forms.CharField(label=_("月份（YYYY-MM）"), required=False, max_length=7)
    category = forms.ChoiceField(
        label=_("事项类别"), required=False, choices=[("", _("全部类别")), *Category.choices]
    )
    window = forms.ModelChoiceField(
        label=_("服务窗口"), queryset=Window.objects.all(), required=False, empty_label=_("全部窗口")
    )

    def clean_month(self):
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        match = MONTH.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
            raise forms.ValidationError(_("月份格式应为 YYYY-MM，例如 2026-03。"))
        return datetime.date(int(match.group(1)), int(match.group(2)), 1)


class DashboardTasksForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *TASK_LIST_STATES])
    department = DepartmentChoiceField(
        label=_("主管部门"), queryset=Department.objects.all(), required=False, empty_label=_("全部部门")
    )
    window = forms.ModelChoiceField(
        label=_("服务窗口"), queryset=Window.objects.all(), required=False, empty_label=_("全部窗口")
    )


class ExportForm(forms.Form):
    chart = forms.ChoiceField(
        required=False,
        choices=[
            ("", _("全部图表")),
            ("applications_per_month", _("每月申办数")),
            ("on_time_by_department", _("各部门按时办结率")),
            ("on_time_by_window", _("各窗口按时办结率")),
            ("open_and_overdue", _("各部门在办与逾期任务")),
            ("items_by_category", _("各类别服务事项与申办量")),
            ("satisfaction_by_department", _("各部门满意率")),
        ],
    )
