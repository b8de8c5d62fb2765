from django.db import models
from django.utils.translation import gettext_lazy as _


class DivisionLevel(models.TextChoices):
    CITY = "city", _("市")
    COUNTY = "county", _("县区")
    ZONE = "zone", _("功能区")


class WindowLevel(models.TextChoices):
    """W3: a city window, one window per county/district, optional windows at talent groups and parks."""

    CITY = "city", _("市级窗口")
    COUNTY = "county", _("县区窗口")
    PARK = "park", _("园区窗口")
    GROUP = "group", _("人才集团窗口")


class OrgLevel(models.TextChoices):
    CITY = "city", _("市级")
    COUNTY = "county", _("县区级")
