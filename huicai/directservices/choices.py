from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """What came of a direct service (W12): given, passed on to someone else, or not possible."""

    SERVED = "served", _("已服务")
    REFERRED = "referred", _("已转介")
    NOT_SERVED = "not_served", _("未能服务")


class AppointmentStatus(models.TextChoices):
    REQUESTED = "requested", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已婉拒")
    CANCELLED = "cancelled", _("已取消")
    COMPLETED = "completed", _("已完成")


class AppointmentAction(models.TextChoices):
    BOOK = "book", _("预约")
    CONFIRM = "confirm", _("确认")
    DECLINE = "decline", _("婉拒")
    CANCEL = "cancel", _("取消")
    COMPLETE = "complete", _("完成服务")
    REMIND = "remind", _("提醒")


class Side(models.TextChoices):
    """Which side of an appointment acted: the talent's (the talent, their unit commissioner) or the
    serving commissioner's."""

    TALENT = "talent", _("人才一方")
    COMMISSIONER = "commissioner", _("服务专员一方")
