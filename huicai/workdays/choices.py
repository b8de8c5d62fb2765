from django.db import models
from django.utils.translation import gettext_lazy as _


class YearStatus(models.TextChoices):
    """Whether a year's calendar comes from the State Council's notice or is computed by rule."""

    OFFICIAL = "official", _("官方")
    PROVISIONAL = "provisional", _("暂定")


class DayKind(models.TextChoices):
    """A day that differs from the plain Monday–Friday week."""

    # A day off: a statutory holiday or a 调休 rest day (on a weekend it simply belongs to the holiday period).
    HOLIDAY = "holiday", _("休")
    # A 调休 make-up working day: a Saturday or Sunday on which people work.
    WORKDAY = "workday", _("班")
