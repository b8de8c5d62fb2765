from django import forms
from django.utils.translation import gettext_lazy as _


class OutboxDownloadForm(forms.Form):
    """Which changes to download: those after a cursor (the last 序号 you already have), in which format,
    masked unless the user asks for the full values (audited)."""

    since = forms.IntegerField(label=_("游标（已取到的最后序号）"), min_value=0, initial=0, required=False)
    format = forms.ChoiceField(
        label=_("格式"), choices=[("jsonl", _("JSON Lines")), ("xlsx", _("Excel (.xlsx)"))], initial="xlsx"
    )
    reveal = forms.BooleanField(label=_("含完整证件号码和手机号码（将记入审计）"), required=False)


class ReconciliationForm(forms.Form):
    file = forms.FileField(label=_("省级人才名单（.xlsx 或 .csv，人才导入模板格式）"))
