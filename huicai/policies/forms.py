from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huicai.catalogue.models import ServiceItem
from huicai.org.models import Division
from huicai.policies.access import publishing_windows
from huicai.policies.choices import PolicyStatus
from huicai.policies.models import Policy
from huicai.policies.search import MAX_QUERY_LENGTH
from huicai.talents.models import TalentCategory

PUBLIC_STATUS_CHOICES = [
    ("", _("全部")),
    (PolicyStatus.IN_FORCE, PolicyStatus.IN_FORCE.label),
    (PolicyStatus.EXPIRED, PolicyStatus.EXPIRED.label),
]


def usable_service_items(user):
    """The catalogue items a policy drafted by ``user`` may name: published ones, and those in the making
    that the user can see (the action checks the same)."""
    return ServiceItem.objects.filter(
        Q(published_version__isnull=False) | Q(pk__in=ServiceItem.objects.visible_to(user).values("pk"))
    ).order_by("code")


def filter_policies(queryset, data, *, today):
    """The filters shared by the pages and the API: talent category, region and status.

    A category or a region also keeps the policies that name none (they apply to all); a region keeps the
    policies of the divisions above it (the city's apply in every county). A policy whose expiry date has
    passed counts as expired even before a commissioner marks it so.
    """
    category = data.get("category")
    if category:
        queryset = queryset.for_category(category.pk)
    region = data.get("region")
    if region:
        division_ids = [region.pk] + ([region.parent_id] if region.parent_id else [])
        queryset = queryset.for_divisions(division_ids)
    status = data.get("status")
    lapsed = Q(status=PolicyStatus.IN_FORCE, expiry_date__lte=today)
    if status == PolicyStatus.IN_FORCE:
        queryset = queryset.filter(status=PolicyStatus.IN_FORCE).exclude(lapsed)
    elif status == PolicyStatus.EXPIRED:
        queryset = queryset.filter(Q(status=PolicyStatus.EXPIRED) | lapsed)
    elif status == PolicyStatus.DRAFT:
        queryset = queryset.filter(status=PolicyStatus.DRAFT)
    return queryset


class PolicySearchForm(forms.Form):
    # No max_length: a longer query is cut to MAX_QUERY_LENGTH with a notice rather than refused.
    q = forms.CharField(
        label=_("关键词"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "maxlength": MAX_QUERY_LENGTH,
                "placeholder": _("如：住房补贴、子女入学"),
            }
        ),
    )
    category = forms.ModelChoiceField(
        label=_("人才类别"),
        queryset=TalentCategory.objects.filter(is_active=True),
        required=False,
        empty_label=_("全部类别"),
    )
    region = forms.ModelChoiceField(
        label=_("适用区域"), queryset=Division.objects.all(), required=False, empty_label=_("全部区域")
    )
    status = forms.ChoiceField(label=_("状态"), choices=PUBLIC_STATUS_CHOICES, required=False)


class ManageFilterForm(PolicySearchForm):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *PolicyStatus.choices], required=False
    )


class PolicyForm(forms.ModelForm):
    """Drafting and editing a policy. The action behind it checks the window's jurisdiction and puts its
    errors beside the fields."""

    class Meta:
        model = Policy
        fields = [
            "window",
            "title",
            "issuer",
            "document_number",
            "issue_date",
            "effective_date",
            "expiry_date",
            "body",
            "categories",
            "divisions",
            "service_items",
        ]
        widgets = {
            "issue_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "effective_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expiry_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 16}),
            "categories": forms.CheckboxSelectMultiple,
            "divisions": forms.CheckboxSelectMultiple,
            "service_items": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A policy stays with the window that drafted it.
            del self.fields["window"]
        else:
            windows = publishing_windows(user)
            self.fields["window"].queryset = windows
            if len(windows) == 1:
                self.fields["window"].initial = windows[0]
        self.fields["categories"].queryset = TalentCategory.objects.filter(is_active=True)
        self.fields["service_items"].queryset = usable_service_items(user)

    def action_fields(self) -> dict:
        """The cleaned data as keyword arguments of create_policy / edit_policy."""
        return {name: value for name, value in self.cleaned_data.items() if name != "window"}


class PublishForm(forms.Form):
    notify_talents = forms.BooleanField(label=_("向符合条件的人才推送通知"), required=False, initial=True)


class ExpireForm(forms.Form):
    note = forms.CharField(label=_("废止说明"), required=False, max_length=200)


class SynonymForm(forms.Form):
    """A search synonym: what people type, and the policies' words it means (the action checks the rest)."""

    phrase = forms.CharField(
        label=_("检索用语"), max_length=30, widget=forms.TextInput(attrs={"placeholder": _("如：孩子上学")})
    )
    terms = forms.CharField(
        label=_("对应政策用语"),
        max_length=200,
        help_text=_("多个词语用空格或顿号分隔，如：子女入学 入学"),
        widget=forms.TextInput(attrs={"placeholder": _("如：子女入学")}),
    )
