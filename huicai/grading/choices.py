"""Indicators, periods, grades and the states of objections, 约谈 and reports (W17–W20)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorCode(models.TextChoices):
    """The measured indicators of the rubric (W17-1: 绿色通道服务事项落实 and 服务专员队伍建设)."""

    ON_TIME = "on_time", _("按时办结率")
    SATISFACTION = "satisfaction", _("好差评满意率")
    RECTIFICATION_RATE = "rectification_rate", _("差评整改办结率")
    RECTIFICATION_SPEED = "rectification_speed", _("差评整改按期答复率")
    COVERAGE = "coverage", _("单位专员覆盖率")
    CHANGE_FILINGS = "change_filings", _("专员变动按时备案率")
    TRAINING = "training", _("专员培训学时达标")
    ARCHIVE_FILINGS = "archive_filings", _("服务档案按时报备率")
    FEEDBACK = "feedback", _("人才意见建议答复率")
    DIFFICULTIES = "difficulties", _("困难问题解决率")


class PeriodKind(models.TextChoices):
    YEAR = "year", _("年度评估")
    QUARTER = "quarter", _("季度预评估")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("测算中")
    PUBLISHED = "published", _("已公布")


class Grade(models.TextChoices):
    """W20: the four grades."""

    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("达标")
    FAIL = "fail", _("不达标")


class ObjectionStatus(models.TextChoices):
    FILED = "filed", _("待市级答复")
    UPHELD = "upheld", _("异议成立")
    REJECTED = "rejected", _("异议不成立")


class InterviewStatus(models.TextChoices):
    """W20: 约谈 → 联席会议说明 → 整改方案 → 跟踪销号."""

    OPEN = "open", _("待约谈")
    TALKED = "talked", _("已约谈，待联席会议说明")
    EXPLAINED = "explained", _("已说明，待提交整改方案")
    RECTIFYING = "rectifying", _("整改中")
    CLOSED = "closed", _("整改完成，已销号")


class ReportKind(models.TextChoices):
    """W17-3: yearly to the city talent-work leading group office; W19: periodic (quarterly)."""

    YEARLY = "yearly", _("年度报告")
    QUARTERLY = "quarterly", _("季度报告")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


class GradingAction(models.TextChoices):
    COMPUTE = "compute", _("测算")
    ADJUST = "adjust", _("人工调整")
    PUBLISH = "publish", _("公布结果")
    OBJECT = "object", _("窗口提出异议")
    ANSWER = "answer", _("市级答复异议")


class InterviewAction(models.TextChoices):
    OPEN = "open", _("启动约谈")
    TALK = "talk", _("记录约谈")
    EXPLAIN = "explain", _("联席会议说明")
    PLAN = "plan", _("提交整改方案")
    CLOSE = "close", _("整改销号")
    REMIND = "remind", _("整改到期提醒")
    OVERDUE = "overdue", _("整改逾期")


class ReportAction(models.TextChoices):
    DRAFT = "draft", _("生成草稿")
    EDIT = "edit", _("修改草稿")
    ISSUE = "issue", _("印发")


# Notification kinds of this app.
EVALUATION_PUBLISHED = "grading_published"
OBJECTION_FILED = "grading_objection_filed"
OBJECTION_ANSWERED = "grading_objection_answered"
INTERVIEW_OPENED = "grading_interview_opened"
INTERVIEW_STEP = "grading_interview_step"
INTERVIEW_REMINDER = "grading_interview_reminder"
INTERVIEW_OVERDUE = "grading_interview_overdue"
