from django.db import models
from django.utils.translation import gettext_lazy as _


class IdType(models.TextChoices):
    RESIDENT = "resident", _("居民身份证")
    PASSPORT = "passport", _("护照")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("在职")
    LEFT = "left", _("已离职")
    RETIRED = "retired", _("已退休")
    UNKNOWN = "unknown", _("待确认")


class CardKind(models.TextChoices):
    """W12/S16: the provincial and the city talent card."""

    SHANDONG = "shandong", _("山东惠才卡")
    YIMENG = "yimeng", _("沂蒙惠才卡")


class CardStatus(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已撤销")
    LOST = "lost", _("已挂失")


class TalentEventKind(models.TextChoices):
    """What a talent's record remembers beyond the unit commissioner periods (S6, S19)."""

    EMPLOYER_CHANGED = "employer_changed", _("用人单位变更")
    COVERAGE_GAP = "coverage_gap", _("暂无单位专员")
    INVITED = "invited", _("邀请开通账号")
    ACTIVATED = "activated", _("开通账号")


class InvitationStatus(models.TextChoices):
    """Where a talent's own account stands (issue 11 §2), shown on the talent pages and re-sendable."""

    NOT_INVITED = "not_invited", _("未邀请")
    INVITED = "invited", _("已邀请")
    ACTIVATED = "activated", _("已激活")
    EXPIRED = "expired", _("已过期")
