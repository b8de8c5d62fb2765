"""Forms for the window's commissioner registry pages (S19); the actions give the Chinese refusals."""

from django import forms
from django.apps import apps
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from huicai.accounts.roles import get_scope
from huicai.commissioners.access import _is_city_window
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.org.forms import DepartmentChoiceField
from huicai.org.models import Department, Employer, UndertakingOrg, Window


def windows_of(user):
    scope = get_scope(user)
    if scope.is_superuser:
        return Window.objects.all()
    return Window.objects.subtree_of(Window.objects.filter(pk__in=scope.window_ids))


def departments_of(user, model):
    scope = get_scope(user)
    if scope.is_superuser or _is_city_window(scope):
        return model.objects.all()
    return model.objects.filter(division_id__in=scope.division_ids)


def successors_of(post):
    """Who may take over a unit post's talents: the other active unit posts of its employer."""
    return (
        Post.objects.filter(kind=PostKind.UNIT, employer_id=post.employer_id, active_to__isnull=True)
        .exclude(pk=post.pk)
        .select_related("user")
    )


class AppointForm(forms.Form):
    """Appoint a commissioner: an existing account by its user name, or a new one with a name."""

    username = forms.CharField(label=_("登录账号"), max_length=150)
    full_name = forms.CharField(label=_("姓名（新账号时填写）"), max_length=50, required=False)
    kind = forms.ChoiceField(label=_("专员类别"), choices=PostKind.choices)
    employer = forms.ModelChoiceField(label=_("用人单位"), queryset=Employer.objects.none(), required=False)
    window = forms.ModelChoiceField(label=_("服务窗口"), queryset=Window.objects.none(), required=False)
    department = DepartmentChoiceField(
        label=_("主管部门"), queryset=Department.objects.none(), required=False
    )
    undertaking_org = forms.ModelChoiceField(
        label=_("承办机构"), queryset=UndertakingOrg.objects.none(), required=False
    )
    position = forms.CharField(label=_("职务"), max_length=50, required=False)
    office_phone = forms.CharField(label=_("办公电话"), max_length=40, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.visible_to(user)
        self.fields["window"].queryset = windows_of(user)
        self.fields["department"].queryset = departments_of(user, Department)
        self.fields["undertaking_org"].queryset = departments_of(user, UndertakingOrg)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        field = {"unit": "employer", "department": "department", "undertaking": "undertaking_org"}.get(
            kind, "window"
        )
        if kind and not cleaned.get(field):
            self.add_error(field, _("请选择%(label)s。") % {"label": self.fields[field].label})
        cleaned["organisation"] = cleaned.get(field)
        return cleaned


class EndPostForm(forms.Form):
    successor = forms.ModelChoiceField(
        label=_("接替的单位专员"),
        queryset=Post.objects.none(),
        required=False,
        help_text=_("有未办结申办时必须选择。"),
    )
    to_gap = forms.BooleanField(label=_("不指定接替人，将对接的人才列入待配备名单"), required=False)
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = successors_of(post)


class TransferForm(EndPostForm):
    employer = forms.ModelChoiceField(
        label=_("调往用人单位"), queryset=Employer.objects.none(), required=False
    )
    window = forms.ModelChoiceField(label=_("调往服务窗口"), queryset=Window.objects.none(), required=False)

    def __init__(self, *args, post, user, **kwargs):
        super().__init__(*args, post=post, **kwargs)
        self.kind = post.kind
        self.fields["employer"].queryset = Employer.objects.visible_to(user)
        self.fields["window"].queryset = windows_of(user)

    def clean(self):
        cleaned = super().clean()
        field = "employer" if self.kind == PostKind.UNIT else "window"
        if self.kind not in (PostKind.UNIT, PostKind.WINDOW):
            raise forms.ValidationError(_("部门专员和承办专员的调任请结束原岗位后重新任命。"))
        if not cleaned.get(field):
            self.add_error(field, _("请选择调往的单位。"))
        cleaned["organisation"] = cleaned.get(field)
        return cleaned


class ReassignForm(forms.Form):
    """Several talents of one unit commissioner to another of the same employer (S6)."""

    talents = forms.ModelMultipleChoiceField(
        label=_("人才"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    target = forms.ModelChoiceField(label=_("改由"), queryset=Post.objects.none())
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def __init__(self, *args, post, **kwargs):
        super().__init__(*args, **kwargs)
        # commissioners sits below talents and imports none of it: the model by name.
        Talent = apps.get_model("talents", "Talent")
        self.fields["talents"].queryset = Talent.objects.filter(
            unit_assignments__post=post, unit_assignments__active_to__isnull=True
        ).order_by("name", "id")
        self.fields["target"].queryset = successors_of(post)


PHONE_CHARACTERS = RegexValidator(r"^[0-9+\-() ]*$", _("办公电话只能包含数字、空格和 + - ( )。"))


class ContactForm(forms.Form):
    """Correct a post's particulars (S19 change of contact). The hidden ``seen_*`` fields carry what the page
    showed, so a change someone else made meanwhile is refused instead of overwritten."""

    position = forms.CharField(label=_("职务"), max_length=50, required=False)
    office_phone = forms.CharField(
        label=_("办公电话"), max_length=40, required=False, validators=[PHONE_CHARACTERS]
    )
    is_full_time = forms.BooleanField(label=_("专职"), required=False)
    seen_position = forms.CharField(required=False, max_length=50, widget=forms.HiddenInput)
    seen_office_phone = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    seen_is_full_time = forms.BooleanField(required=False, widget=forms.HiddenInput)

    @classmethod
    def for_post(cls, post):
        values = {
            "position": post.position,
            "office_phone": post.office_phone,
            "is_full_time": post.is_full_time,
        }
        return cls(initial={**values, **{f"seen_{k}": v for k, v in values.items()}})

    def values(self):
        return {k: self.cleaned_data[k] for k in ("position", "office_phone", "is_full_time")}

    def expected(self):
        return {k: self.cleaned_data[f"seen_{k}"] for k in ("position", "office_phone", "is_full_time")}
