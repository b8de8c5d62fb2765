from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """What a card application asks for (S11-4)."""

    NEW = "new", _("新办")
    RENEWAL = "renewal", _("续期")
    REISSUE = "reissue", _("挂失补办")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待窗口审核")
    RETURNED = "returned", _("已退回补正")
    APPROVED = "approved", _("已批准发卡")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED)


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("提交申请")
    RETURNED = "returned", _("退回补正")
    RESUBMITTED = "resubmitted", _("补正后重新提交")
    APPROVED = "approved", _("批准并发卡")
    WITHDRAWN = "withdrawn", _("撤回申请")
    OVERDUE = "overdue", _("审核超期")
    MATERIAL = "material", _("上传材料")
