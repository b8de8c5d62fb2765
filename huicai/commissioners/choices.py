from django.db import models
from django.utils.translation import gettext_lazy as _


class PostKind(models.TextChoices):
    """S5: the four kinds of service commissioner."""

    UNIT = "unit", _("单位专员")
    DEPARTMENT = "department", _("部门专员")
    UNDERTAKING = "undertaking", _("承办专员")
    WINDOW = "window", _("窗口专员")


class PostEventKind(models.TextChoices):
    """What happened to a commissioner post, kept as its history (S19 registry)."""

    APPOINTED = "appointed", _("任命")
    ENDED = "ended", _("结束任职")
    TRANSFERRED = "transferred", _("调任")
    TALENTS_HANDED_OVER = "talents_handed_over", _("移交对接人才")
    # S19: the post's particulars (position, office phone, full-time) corrected by the window or an import.
    CONTACT_CHANGED = "contact_changed", _("联系方式变更")
