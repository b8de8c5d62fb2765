"""Forms of the engagement pages. Each checks input only; the rules live in actions.py. Every choice of a
talent, window or employer is limited to what the user may see, so an id from elsewhere is refused here."""

from django import forms
from django.utils.translation import gettext_lazy as _

from huicai.catalogue.models import ServiceItem
from huicai.engagement.access import sending_windows
from huicai.engagement.choices import EmployerKind, PushKind
from huicai.engagement.models import MAX_TEXT
from huicai.org.models import Employer, Window
from huicai.policies.choices import PolicyStatus
from huicai.policies.models import Policy
from huicai.talents.models import Talent, TalentCategory

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


def _required(message):
    return {"required": message}


def _multi(label, help_text=""):
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=None,
        required=False,
        help_text=help_text,
        error_messages={
            "invalid_choice": _("所选项目不存在或您无权选择。"),
            "invalid_pk_value": _("选择无效。"),
        },
    )


class AudienceForm(forms.Form):
    """Who to reach: every criterion given must hold; none given means all the talents the user serves."""

    categories = _multi(_("人才类别（层次）"))
    card_level = forms.CharField(label=_("惠才卡等级"), max_length=20, required=False)
    windows = _multi(_("属地区域"), _("人才属地窗口及其下级。"))
    employers = _multi(_("用人单位"))
    talents = _multi(_("指定名单"), _("只发给所选人才（仍须符合上面的条件）。"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        talents = Talent.objects.visible_to(user)
        self.fields["categories"].queryset = TalentCategory.objects.filter(is_active=True)
        self.fields["windows"].queryset = Window.objects.subtree_of(list(sending_windows(user))).order_by(
            "path"
        )
        self.fields["employers"].queryset = Employer.objects.filter(
            pk__in=talents.values("employer_id")
        ).order_by("name")
        self.fields["talents"].queryset = talents.order_by("name", "id")

    def audience(self) -> dict:
        data = self.cleaned_data
        return {
            "categories": list(data["categories"]),
            "card_level": data["card_level"].strip(),
            "windows": list(data["windows"]),
            "employers": list(data["employers"]),
            "talents": list(data["talents"]),
        }


class WindowChoiceMixin:
    def _windows(self, user):
        field = self.fields["window"]
        field.queryset = sending_windows(user).order_by("path")
        if field.queryset.count() == 1:
            field.initial = field.queryset.first()


class GatheringForm(WindowChoiceMixin, forms.Form):
    window = forms.ModelChoiceField(
        label=_("主办窗口"),
        queryset=None,
        error_messages={
            "required": _("请选择主办窗口。"),
            "invalid_choice": _("您不能以该窗口名义组织活动。"),
        },
    )
    title = forms.CharField(
        label=_("活动名称"), max_length=100, error_messages=_required(_("请填写活动名称。"))
    )
    place = forms.CharField(label=_("地点"), max_length=200, error_messages=_required(_("请填写活动地点。")))
    starts_at = forms.DateTimeField(
        label=_("开始时间"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("请填写开始时间。"), "invalid": _("请填写正确的时间。")},
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("请填写结束时间。"), "invalid": _("请填写正确的时间。")},
    )
    description = forms.CharField(
        label=_("活动介绍"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._windows(user)


class CardCheckInForm(forms.Form):
    text = forms.CharField(
        label=_("惠才卡号或二维码内容"),
        max_length=200,
        error_messages=_required(_("请扫描惠才卡二维码或输入卡号。")),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class PhotoForm(forms.Form):
    file = forms.FileField(label=_("照片（JPG、PNG）"), error_messages=_required(_("请选择要上传的照片。")))
    caption = forms.CharField(label=_("说明"), max_length=100, required=False)


class AchievementForm(forms.Form):
    talent = forms.ModelChoiceField(
        label=_("人才"),
        queryset=None,
        error_messages={
            "required": _("请选择人才。"),
            "invalid_choice": _("未找到该人才，或您无权为其登记。"),
        },
    )
    title = forms.CharField(label=_("标题"), max_length=100, error_messages=_required(_("请填写标题。")))
    achieved_date = forms.DateField(
        label=_("取得日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请填写取得日期。"), "invalid": _("请填写正确的日期。")},
    )
    summary = forms.CharField(
        label=_("成果介绍"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_required(_("请填写成果介绍。")),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["talent"].queryset = Talent.objects.visible_to(user).order_by("name", "id")


class PushForm(WindowChoiceMixin, AudienceForm):
    window = forms.ModelChoiceField(
        label=_("发送窗口"),
        queryset=None,
        error_messages={"required": _("请选择发送窗口。"), "invalid_choice": _("您不能以该窗口名义推送。")},
    )
    kind = forms.ChoiceField(
        label=_("类别"), choices=PushKind.choices, error_messages=_required(_("请选择类别。"))
    )
    policy = forms.ModelChoiceField(
        label=_("政策"),
        queryset=Policy.objects.filter(status=PolicyStatus.IN_FORCE).order_by("-issue_date"),
        required=False,
        error_messages={"invalid_choice": _("只能推送现行有效的政策。")},
    )
    service_item = forms.ModelChoiceField(
        label=_("服务事项"),
        queryset=ServiceItem.objects.published().order_by("code"),
        required=False,
        error_messages={"invalid_choice": _("只能推送已公布的服务事项。")},
    )
    title = forms.CharField(label=_("标题"), max_length=100, error_messages=_required(_("请填写标题。")))
    body = forms.CharField(
        label=_("内容"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_required(_("请填写推送内容。")),
    )

    field_order = ["window", "kind", "policy", "service_item", "title", "body"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self._windows(user)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == PushKind.POLICY and not data.get("policy"):
            self.add_error("policy", _("推送政策须选择一项现行有效的政策。"))
        if kind == PushKind.ITEM and not data.get("service_item"):
            self.add_error("service_item", _("推送服务事项须选择一个已公布的事项。"))
        return data


class RuleForm(forms.Form):
    categories = _multi(_("人才类别（层次）"), _("不选表示不限。"))
    card_level = forms.CharField(
        label=_("惠才卡等级"), max_length=20, required=False, help_text=_("不填表示不限。")
    )
    windows = _multi(_("属地区域"), _("不选表示全市。"))
    employer_kinds = forms.MultipleChoiceField(
        label=_("单位性质"),
        choices=EmployerKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("未知的单位性质。")},
    )
    arrived_from_date = forms.DateField(
        label=_("来临工作日期不早于"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请填写正确的日期。")},
    )
    arrived_before_date = forms.DateField(
        label=_("来临工作日期早于"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("请填写正确的日期。")},
    )
    min_age = forms.IntegerField(
        label=_("最低年龄（周岁）"),
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": _("请填写整数。"),
            "min_value": _("年龄不能为负数。"),
            "max_value": _("年龄不能超过120。"),
        },
    )
    max_age = forms.IntegerField(
        label=_("最高年龄（周岁，含）"),
        required=False,
        min_value=0,
        max_value=120,
        error_messages={
            "invalid": _("请填写整数。"),
            "min_value": _("年龄不能为负数。"),
            "max_value": _("年龄不能超过120。"),
        },
    )
    grant_without_application = forms.BooleanField(
        label=_("免申即享（窗口可直接发放，无需申办）"), required=False
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = TalentCategory.objects.filter(is_active=True)
        self.fields["windows"].queryset = Window.objects.filter(is_active=True).order_by("path")

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", _("最高年龄不能小于最低年龄。"))
        start, end = data.get("arrived_from_date"), data.get("arrived_before_date")
        if start and end and end <= start:
            self.add_error("arrived_before_date", _("来临日期的截止日须晚于起始日。"))
        return data


class ArrivalForm(forms.Form):
    arrival_date = forms.DateField(
        label=_("来临工作日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请填写来临工作日期。"), "invalid": _("请填写正确的日期。")},
    )


class GrantForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=300, required=False)
