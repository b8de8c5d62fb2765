from django.db import models
from django.utils.translation import gettext_lazy as _


class PostKind(models.TextChoices):
    """S5: the four kinds of service commissioner."""

    UNIT = "unit", _("单位专员")
    DEPARTMENT = "department", _("部门专员")
    UNDERTAKING = "undertaking", _("承办专员")
    WINDOW = "window", _("窗口专员")
