from datetime import timedelta

from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """Why a member of staff opens a talent's archive (PIPL art. 6: the least needed for a stated purpose).

    The talent and their own unit commissioner state none: the archive is the talent's own record and the
    unit commissioner's daily work (S11)."""

    SERVICE = "service", _("办理或跟进该人才的服务事项")
    FILING = "filing", _("档案整理和备案报送")
    SUPERVISION = "supervision", _("督导检查或评估评价")
    COMPLAINT = "complaint", _("核实投诉、评价或困难诉求")
    PRIVACY = "privacy", _("答复个人信息权利请求")
    OTHER = "other", _("其他（请说明）")


class Basis(models.TextChoices):
    """On what ground a person sees a talent's archive (access.archive_basis)."""

    TALENT = "talent", _("人才本人")
    UNIT = "unit", _("本人的单位专员")
    WINDOW = "window", _("属地窗口")
    ADMIN = "admin", _("系统管理员")


class Reading(models.TextChoices):
    """What was done with an archive: each is one audit row."""

    VIEW = "view", _("查看")
    PDF = "pdf", _("导出 PDF")
    XLSX = "xlsx", _("导出 Excel")


# A stated reason lets its author into that one archive for this long; then they state one again.
REASON_VALID_FOR = timedelta(minutes=30)
