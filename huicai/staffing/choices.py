"""The words of commissioner management (S19–S22)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Notification kinds.
CHANGE_DUE_SOON = "staffing_change_due_soon"
CHANGE_OVERDUE = "staffing_change_overdue"
CHANGE_FILED = "staffing_change_filed"
NOTICE_ISSUED = "staffing_notice_issued"
NOTICE_RESPONDED = "staffing_notice_responded"
NOTICE_DECIDED = "staffing_notice_decided"

# S19: a change of commissioner is filed with the window within this many working days.
CHANGE_FILING_WORKING_DAYS = 7


class ChangeKind(models.TextChoices):
    """S19: what changed in the registry."""

    APPOINTMENT = "appointment", _("任职")
    DEPARTURE = "departure", _("离任")
    TRANSFER = "transfer", _("调任")
    CONTACT = "contact", _("联系方式变更")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("待报备")
    FILED = "filed", _("已报备，待窗口确认")
    ACKNOWLEDGED = "acknowledged", _("已备案")


class ChangeAction(models.TextChoices):
    RECORD = "record", _("登记变更")
    FILE = "file", _("报备")
    ACKNOWLEDGE = "acknowledge", _("窗口确认备案")
    REMIND = "remind", _("临期提醒")
    OVERDUE = "overdue", _("逾期提示")


class Period(models.TextChoices):
    MONTH = "month", _("月度")
    YEAR = "year", _("年度")


class Component(models.TextChoices):
    """S21: the parts of a commissioner's daily assessment, in the scorecard's order."""

    STEPS = "steps", _("环节与任务按时率")
    SUPPLEMENTS = "supplements", _("补正与告知及时率")
    RATINGS = "ratings", _("服务评价满意率")
    FILINGS = "filings", _("报备按时率")
    TRAINING = "training", _("培训学时达成率")
    RECTIFICATIONS = "rectifications", _("未引发整改率")


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("草拟")
    DECIDED = "decided", _("已决定")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草拟")
    ISSUED = "issued", _("已通报")
    RESPONDED = "responded", _("专员已回复")
    DECIDED = "decided", _("已作出处理决定")


class NoticeAction(models.TextChoices):
    DRAFT = "draft", _("起草通报")
    ISSUE = "issue", _("发出通报")
    INTERVIEW = "interview", _("记录约谈")
    RESPOND = "respond", _("专员回复")
    DECIDE = "decide", _("处理决定")


class ListAction(models.TextChoices):
    DRAFT = "draft", _("起草表扬名单")
    DECIDE = "decide", _("决定")
