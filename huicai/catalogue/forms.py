import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from huicai.catalogue.access import drafting_windows
from huicai.catalogue.actions import EDITABLE_FIELDS
from huicai.catalogue.choices import Category, FilingStatus, ServiceMode
from huicai.catalogue.models import MAX_COPIES, ServiceItem
from huicai.org.forms import DepartmentChoiceField
from huicai.org.models import Department, UndertakingOrg
from huicai.talents.models import TalentCategory

SEPARATOR = re.compile(r"\s*[|｜]\s*")
REQUIRED_WORDS = {"必交", "必需", "必须", "必", "是", "required"}
OPTIONAL_WORDS = {"选交", "可选", "容缺", "否", "optional"}
STEP_NUMBER = re.compile(r"^\s*\d+\s*[、.．)）]\s*")


class MaterialListField(forms.CharField):
    """The application materials as lines of text, one material a line:
    ``名称｜必交或选交｜份数｜备注`` (only the name is required; 必交 and 1 copy by default)."""

    widget = forms.Textarea(attrs={"rows": 6})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(
                "｜".join(
                    [
                        m.get("name", ""),
                        "必交" if m.get("required", True) else "选交",
                        str(m.get("copies", 1)),
                        m.get("notes", ""),
                    ]
                ).rstrip("｜")
                for m in value
            )
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        materials = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = SEPARATOR.split(line.strip())
            if len(parts) > 4:
                raise ValidationError(
                    _("第%(n)d行：最多四栏（名称｜必交或选交｜份数｜备注）。") % {"n": number}
                )
            name = parts[0]
            required = True
            if len(parts) > 1 and parts[1]:
                if parts[1] in REQUIRED_WORDS:
                    required = True
                elif parts[1] in OPTIONAL_WORDS:
                    required = False
                else:
                    raise ValidationError(_("第%(n)d行：第二栏应填写“必交”或“选交”。") % {"n": number})
            copies = 1
            if len(parts) > 2 and parts[2]:
                try:
                    copies = int(parts[2])
                except ValueError:
                    copies = 0
                if not 1 <= copies <= MAX_COPIES:
                    raise ValidationError(
                        _("第%(n)d行：份数应为1到%(max)d之间的整数。") % {"n": number, "max": MAX_COPIES}
                    )
            notes = parts[3] if len(parts) > 3 else ""
            materials.append({"name": name, "required": required, "copies": copies, "notes": notes})
        return materials


class StepListField(forms.CharField):
    """The steps of the procedure, one a line, in order (a leading "1." or "1、" is dropped)."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [STEP_NUMBER.sub("", line).strip() for line in text.splitlines() if line.strip()]


class ServiceItemForm(forms.ModelForm):
    """Drafting and revising an item, for the staff pages and the admin alike: the model constraints give
    the Chinese errors, and the actions make the change (and the version)."""

    window = forms.ModelChoiceField(label=_lazy("起草窗口"), queryset=None, empty_label=None)
    materials = MaterialListField(
        label=_lazy("申请材料"),
        required=False,
        max_length=20000,
        help_text=_lazy("每行一项：名称｜必交或选交｜份数｜备注，例如：身份证｜必交｜1｜原件核验"),
    )
    steps = StepListField(
        label=_lazy("办理流程"),
        required=False,
        max_length=10000,
        help_text=_lazy("每行一个环节，按顺序填写。"),
    )
    reason = forms.CharField(label=_lazy("修改原因"), max_length=200, required=False)

    class Meta:
        model = ServiceItem
        fields = [
            "code",
            "name",
            "category",
            "mode",
            "content",
            "department",
            "undertaking_orgs",
            "legal_days",
            "committed_days",
            "location_and_hours",
            "conditions",
            "materials",
            "steps",
            "fees",
            "legal_basis",
            "consult_phone",
            "complaint_phone",
            "visit_count",
            "talent_categories",
            "accepts_shandong_card",
            "accepts_yimeng_card",
        ]
        field_classes = {"department": DepartmentChoiceField}
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "location_and_hours": forms.Textarea(attrs={"rows": 2}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
            "talent_categories": forms.CheckboxSelectMultiple,
            "legal_days": forms.NumberInput(attrs={"min": 1}),
            "committed_days": forms.NumberInput(attrs={"min": 1}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if self.instance.pk:
            del self.fields["window"]
            self.fields["reason"].required = True
            if self.instance.published_version_id is not None:
                self.fields["code"].disabled = True
                self.fields["code"].help_text = _("已公布事项的编码不能修改。")
        else:
            self.fields["window"].queryset = drafting_windows(user)
            self.fields["reason"].initial = _("新增事项")
        self.fields["department"].queryset = Department.objects.filter(is_active=True).select_related(
            "division"
        )
        self.fields["department"].error_messages["required"] = _("请选择主管部门。")
        self.fields["undertaking_orgs"].queryset = UndertakingOrg.objects.filter(
            is_active=True
        ).select_related("department")
        self.fields["talent_categories"].queryset = TalentCategory.objects.filter(is_active=True)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            window = self.instance.window
            if self.instance.status == FilingStatus.FILED:
                self.add_error(None, _("该事项已报备上级窗口，确认备案或退回前不能修改。"))
        else:
            window = cleaned.get("window")
        if window is not None:
            self.instance.window = window
            self.instance.take_level_from_window()
        department = cleaned.get("department")
        orgs = cleaned.get("undertaking_orgs") or []
        if department is not None:
            try:
                ServiceItem(department=department).check_undertaking_orgs(orgs)
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field, messages)
        return cleaned

    def item_fields(self) -> dict:
        """The cleaned values the actions take, without relations, window and reason."""
        return {
            name: self.cleaned_data[name]
            for name in EDITABLE_FIELDS
            if name in self.fields and not self.fields[name].disabled
        }


class CatalogueSearchForm(forms.Form):
    """The public catalogue's search and filters."""

    q = forms.CharField(
        label=_lazy("关键词"),
        required=False,
        max_length=100,
        error_messages={"max_length": _lazy("搜索词不能超过100个字。")},
    )
    category = forms.ChoiceField(
        label=_lazy("类别"), required=False, choices=[("", _lazy("全部类别")), *Category.choices]
    )
    mode = forms.ChoiceField(
        label=_lazy("服务方式"), required=False, choices=[("", _lazy("全部方式")), *ServiceMode.choices]
    )
    department = forms.ModelChoiceField(
        label=_lazy("主管部门"),
        required=False,
        queryset=Department.objects.none(),
        empty_label=_lazy("全部部门"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only departments that have something published: a filter that can only return nothing helps nobody.
        self.fields["department"].queryset = (
            Department.objects.filter(service_item_versions__published_item__isnull=False)
            .distinct()
            .order_by("level", "id")
        )


class StaffFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_lazy("备案状态"), required=False, choices=[("", _lazy("全部状态")), *FilingStatus.choices]
    )
    q = forms.CharField(
        label=_lazy("名称或编码"),
        required=False,
        max_length=100,
        error_messages={"max_length": _lazy("搜索词不能超过100个字。")},
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_lazy("退回原因"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _lazy("退回时请填写退回原因。")},
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_lazy("说明"), max_length=500, required=False)
