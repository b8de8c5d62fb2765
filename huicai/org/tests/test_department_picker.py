"""The department picker (issue 12): grouped by level and division, filterable, starting on 请选择."""

import re

from django import forms

from huicai.org.forms import DepartmentChoiceField
from huicai.org.models import Department


class PickForm(forms.Form):
    department = DepartmentChoiceField(queryset=Department.objects.filter(is_active=True))


def test_the_picker_starts_on_choose_and_groups_the_departments_by_level(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        html = str(PickForm()["department"])

    options = re.findall(r"<option[^>]*>([^<]*)</option>", html)
    groups = re.findall(r'<optgroup label="([^"]+)">', html)
    assert options[0] == "请选择"
    assert '<option value="" selected>请选择</option>' in html
    assert groups[0] == "市级部门"
    assert len(groups) > 5  # one group per county or zone after the city's
    assert len(options) == 1 + Department.objects.filter(is_active=True).count()
    assert 'data-filter="输入部门名称筛选"' in html
    city = world.departments["市公安局"]
    first_group = html.split("<optgroup")[1]
    assert f'value="{city.pk}"' in first_group


def test_a_suggested_department_is_marked_in_its_place(world):
    form = PickForm()
    police = world.departments["市公安局"]

    form.fields["department"].suggest([police.pk])

    assert re.search(rf'<option value="{police.pk}">{police.name}（建议）</option>', str(form["department"]))


def test_the_grouped_picker_still_checks_the_choice(world):
    assert not PickForm({"department": ""}).is_valid()
    assert not PickForm({"department": "999999"}).is_valid()
    police = world.departments["市公安局"]
    assert PickForm({"department": str(police.pk)}).is_valid()
