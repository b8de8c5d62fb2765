import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.core.validators import check_resident_id, looks_like_resident_id
from huicai.org.models import Employer, Window
from huicai.talents.models import Talent, TalentCategory

PHONE_LIKE = re.compile(r"^\+?(86)?1[3-9]\d{9}$")


class TalentFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或证件号"), required=False, max_length=50)
    # An ID number searched for, as its keyed hash (the number itself never goes into a URL).
    ref = forms.RegexField(regex=r"^[0-9a-f]{64}$", required=False, widget=forms.HiddenInput)
    window = forms.ModelChoiceField(label=_("属地窗口"), queryset=Window.objects.none(), required=False)
    employer = forms.ModelChoiceField(label=_("用人单位"), queryset=Employer.objects.none(), required=False)
    category = forms.ModelChoiceField(
        label=_("人才类别"), queryset=TalentCategory.objects.all(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.visible_to(user)
        self.fields["window"].queryset = Window.objects.all()

    def clean_q(self):
        """A resident ID number with a wrong part is told, not searched for: "nobody" would hide the typo.
        (A birth date after today finds nobody; the search has no need of the day.) There is no search by
        phone: a number typed here must not travel on into a URL either."""
        q = (self.cleaned_data.get("q") or "").strip()
        if PHONE_LIKE.search(q):
            raise forms.ValidationError(_("请按姓名或证件号码检索，不支持按手机号码检索。"))
        if looks_like_resident_id(q):
            try:
                check_resident_id(q)
            except ValidationError as error:
                raise forms.ValidationError(error.error_list) from error
        return q


class TalentForm(forms.ModelForm):
    """Registration of a talent by window staff; model validation gives the Chinese errors."""

    unit_commissioner = forms.ModelChoiceField(
        label=_("单位专员"), queryset=Post.objects.none(), required=False
    )

    class Meta:
        model = Talent
        fields = ["name", "id_type", "id_number", "category", "employer", "home_window", "mobile"]
        widgets = {"id_number": forms.TextInput(attrs={"autocomplete": "off"}), "mobile": forms.TextInput}

    def __init__(self, *args, user, windows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.visible_to(user)
        self.fields["home_window"].queryset = windows
        self.fields["unit_commissioner"].queryset = Post.objects.visible_to(user).filter(kind=PostKind.UNIT)

    def clean(self):
        cleaned = super().clean()
        post = cleaned.get("unit_commissioner")
        employer = cleaned.get("employer")
        if post and employer and post.employer_id != employer.pk:
            self.add_error("unit_commissioner", _("单位专员必须来自人才所在的用人单位。"))
        return cleaned


class ChangeEmployerForm(forms.Form):
    """A talent's new employer, and optionally which of its unit commissioners takes the talent (S6)."""

    employer = forms.ModelChoiceField(label=_("新用人单位"), queryset=Employer.objects.none())
    unit_post = forms.ModelChoiceField(
        label=_("新单位专员"),
        queryset=Post.objects.none(),
        required=False,
        help_text=_("不选时：新单位只有一名在岗单位专员则自动对接，否则列入待配备名单。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # A talent may move to an employer in another county: any employer, named only (no personal data).
        self.fields["employer"].queryset = Employer.objects.order_by("name")
        self.fields["unit_post"].queryset = (
            Post.objects.visible_to(user)
            .filter(kind=PostKind.UNIT, active_to__isnull=True)
            .select_related("user")
        )


class AssignUnitCommissionerForm(forms.Form):
    post = forms.ModelChoiceField(label=_("单位专员"), queryset=Post.objects.none())
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def __init__(self, *args, talent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.filter(
            kind=PostKind.UNIT, employer_id=talent.employer_id, active_to__isnull=True
        ).select_related("user")


class ActivationForm(forms.Form):
    """The talent's first visit: a user name and a password that meets the password rules."""

    username = forms.CharField(label=_("用户名"), max_length=150)
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("再次输入密码"), widget=forms.PasswordInput, strip=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return cleaned
