from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    """What a change is about; the codes are the exchange kinds' codes (issue 11 part 1)."""

    TALENT = "talents", _("高层次人才")
    CARD = "cards", _("惠才卡")


class Operation(models.TextChoices):
    CREATED = "created", _("新增")
    UPDATED = "updated", _("更新")
    REMOVED = "removed", _("删除")


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已送达")
    FAILED = "failed", _("发送失败")


class Verdict(models.TextChoices):
    """Where a talent stands after reconciling a provincial list against ours."""

    ONLY_THERE = "only_there", _("仅省级系统有")
    ONLY_HERE = "only_here", _("仅本系统有")
    DIFFERS = "differs", _("信息不一致")
    SAME = "same", _("一致")
    ERROR = "error", _("无法核对")
