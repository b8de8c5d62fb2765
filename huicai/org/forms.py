"""Form fields for choosing an organisation, shared by every app's forms.

The department picker (issue 12): about 110 departments, city level first and then each county's, in one
``<optgroup>`` per level and division, starting on "请选择" rather than on the first department, with a small
filter box (``data-filter``, core/ui.js) to type part of a name. A form may mark suggestions (the catalogue's
department for a reroute or a split): labelled （建议） in their place, and preselected by the form.
"""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from huicai.org.choices import OrgLevel

FILTER_PLACEHOLDER = _("输入部门名称筛选")
CHOOSE = _("请选择")


class GroupedDepartmentIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        departments = self.queryset.select_related("division").order_by("level", "division__code", "pk")
        groups = {}
        for department in departments:
            suffix = _("（建议）") if department.pk in self.field.suggested else ""
            groups.setdefault(group_label(department), []).append(self.choice(department, suffix=suffix))
        yield from groups.items()

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)

    def choice(self, obj, suffix=""):
        value, label = super().choice(obj)
        return (value, f"{label}{suffix}")


def group_label(department) -> str:
    if department.level == OrgLevel.CITY:
        return str(_("市级部门"))
    return f"{department.division.name}{_('部门')}"


class DepartmentChoiceField(forms.ModelChoiceField):
    """A department, grouped by level and division, filterable; ``suggested`` department ids come first."""

    iterator = GroupedDepartmentIterator

    def __init__(self, queryset, *, suggested=(), empty_label=CHOOSE, **kwargs):
        self.suggested = set(suggested)
        kwargs.setdefault("widget", forms.Select(attrs={"data-filter": FILTER_PLACEHOLDER}))
        super().__init__(queryset, empty_label=empty_label, **kwargs)

    def label_from_instance(self, obj):
        return obj.name

    def suggest(self, department_ids) -> None:
        self.suggested = set(department_ids)
        self.widget.choices = self.choices


def grouped_choices(departments, *, empty_label=None, suggested=()):
    """The same grouping as plain ``(pk, name)`` choices, for a ``ChoiceField`` built from a list."""
    departments = list(departments)
    choices = [("", empty_label)] if empty_label is not None else []
    groups = {}
    for department in sorted(departments, key=lambda d: (d.level, d.division.code, d.pk)):
        label = f"{department.name}{_('（建议）')}" if department.pk in suggested else department.name
        groups.setdefault(group_label(department), []).append((department.pk, label))
    return choices + list(groups.items())
