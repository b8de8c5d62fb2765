"""Choices of the engagement app: events (W5-4), achievements (W5-5), pushes and 政策找人 (W16-1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Notification kinds (huicai.notifications): an invitation to an event, a push, a proactive offer. None is in
# SMS_KINDS: a talent with an account reads them in the inbox; one without an account gets an SMS anyway
# (notify sends a talent record without an account its notice by SMS whatever the kind).
GATHERING_INVITATION = "engagement_invitation"
PUSH_NOTICE = "engagement_push"
OFFER_NOTICE = "engagement_offer"
ACHIEVEMENT_CONSENT = "engagement_consent"


class GatheringStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class GatheringAction(models.TextChoices):
    CREATE = "create", _("创建活动")
    INVITE = "invite", _("发出邀请")
    RSVP = "rsvp", _("回复邀请")
    ATTEND = "attend", _("签到")
    PHOTO = "photo", _("上传照片")
    CLOSE = "close", _("结束活动")
    CANCEL = "cancel", _("取消活动")


class Rsvp(models.TextChoices):
    PENDING = "pending", _("未回复")
    ACCEPTED = "accepted", _("参加")
    DECLINED = "declined", _("不参加")


class CheckInMethod(models.TextChoices):
    QR = "qr", _("扫描惠才卡二维码")
    CARD = "card", _("输入惠才卡号")
    LIST = "list", _("名单勾选")


class AchievementStatus(models.TextChoices):
    """W5-5: an achievement is published only with the talent's consent, and unpublished when withdrawn."""

    AWAITING_CONSENT = "awaiting", _("待人才同意")
    CONSENTED = "consented", _("人才已同意")
    PUBLISHED = "published", _("已公开")
    WITHDRAWN = "withdrawn", _("人才已撤回同意")


class AchievementAction(models.TextChoices):
    RECORD = "record", _("登记成果")
    CONSENT = "consent", _("人才同意公开")
    PUBLISH = "publish", _("公开发布")
    WITHDRAW = "withdraw", _("人才撤回同意")
    PHOTO = "photo", _("上传照片")


class PushKind(models.TextChoices):
    POLICY = "policy", _("政策")
    ITEM = "item", _("服务事项")
    NOTICE = "notice", _("通知公告")


class ReceiptChannel(models.TextChoices):
    INBOX = "inbox", _("站内消息")
    SMS = "sms", _("短信（未开通账号）")


class EmployerKind(models.TextChoices):
    """The kind of an employer, read from its unified social credit code (GB 32100-2015): the first
    character is the registering authority, the second the kind of body it registered."""

    GOVERNMENT = "government", _("机关")
    INSTITUTION = "institution", _("事业单位")
    ENTERPRISE = "enterprise", _("企业")
    SOCIAL = "social", _("社会组织")
    OTHER = "other", _("其他")


class RuleAction(models.TextChoices):
    SAVE = "save", _("设定适用条件")
    OFFER = "offer", _("主动推送")
    GRANT = "grant", _("免申即享发放")
