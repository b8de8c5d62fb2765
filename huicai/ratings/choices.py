"""Levels, indicators, channels and the rectification states of 好差评 (W10).

The five levels and the indicators follow GB/T 39734-2020 (政务服务评价工作指南): an offline (线下) service
is rated overall and on efficiency, service level and attitude; an online (线上) one overall and on
efficiency, accuracy of the guide, convenience and ease of use of the platform.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASICALLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


# 差评: the two lowest levels. A bad overall level opens a rectification (W10 整改).
BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)
# 好评 for the satisfaction rate: the three highest levels.
GOOD_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED, Level.BASICALLY_SATISFIED)


class Mode(models.TextChoices):
    """Whether the rated service was given in person or on a platform (GB/T 39734-2020)."""

    OFFLINE = "offline", _("线下服务")
    ONLINE = "online", _("线上服务")


class Indicator(models.TextChoices):
    OVERALL = "overall", _("总体评价")
    EFFICIENCY = "efficiency", _("办事效率")
    SERVICE_LEVEL = "service_level", _("服务水平")
    ATTITUDE = "attitude", _("服务态度")
    GUIDE_ACCURACY = "guide_accuracy", _("办事指南准确性")
    CONVENIENCE = "convenience", _("办理便捷性")
    EASE_OF_USE = "ease_of_use", _("平台易用性")


INDICATORS = {
    Mode.OFFLINE: (Indicator.OVERALL, Indicator.EFFICIENCY, Indicator.SERVICE_LEVEL, Indicator.ATTITUDE),
    Mode.ONLINE: (
        Indicator.OVERALL,
        Indicator.EFFICIENCY,
        Indicator.GUIDE_ACCURACY,
        Indicator.CONVENIENCE,
        Indicator.EASE_OF_USE,
    ),
}
ALL_INDICATORS = tuple(Indicator.values)


class Channel(models.TextChoices):
    """Who gave the rating: also the "rater source" of the one-rating-per-service rule."""

    PLATFORM = "platform", _("人才本人")
    UNIT = "unit", _("单位专员代评")
    HOTLINE = "hotline", _("热线评价")


class Hotline(models.TextChoices):
    """W10: the 12345 hotline and the provincial talent service hotline (values as casework's Source)."""

    HOTLINE_12345 = "12345", _("12345政务服务便民热线")
    PROVINCIAL = "provincial", _("省级人才服务热线")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("待部门核实整改")
    RESPONDED = "responded", _("待窗口回访")
    APPEALED = "appealed", _("申诉待裁定")
    CLOSED = "closed", _("已回访办结")
    VOIDED = "voided", _("申诉成立，已撤销")


ACTIVE_RECTIFICATION_STATUSES = (
    RectificationStatus.OPEN,
    RectificationStatus.RESPONDED,
    RectificationStatus.APPEALED,
)


class ResponseKind(models.TextChoices):
    IMMEDIATE = "immediate", _("立即整改")
    BY_DATE = "by_date", _("限期整改")
    EXPLAIN = "explain", _("说明情况")


class CallbackResult(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    NOT_SATISFIED = "not_satisfied", _("不满意")


class Ruling(models.TextChoices):
    UPHELD = "upheld", _("申诉成立")
    REJECTED = "rejected", _("申诉驳回")


class RectificationAction(models.TextChoices):
    OPEN = "open", _("差评转整改")
    ANOTHER_BAD_RATING = "another_bad_rating", _("同一服务再获差评")
    RECURRENCE = "recurrence", _("同类问题重复发生")
    RESPOND = "respond", _("部门答复整改")
    APPEAL = "appeal", _("部门申诉")
    RULE = "rule", _("窗口裁定申诉")
    CALLBACK = "callback", _("窗口回访")
    OVERDUE = "overdue", _("整改逾期")


# Notification kinds of this app (inbox and email; none goes by SMS).
RECTIFICATION_OPENED = "rectification_opened"
RECTIFICATION_RESPONDED = "rectification_responded"
RECTIFICATION_APPEALED = "rectification_appealed"
RECTIFICATION_RULED = "rectification_ruled"
RECTIFICATION_CALLBACK = "rectification_callback"
RECTIFICATION_RECURRENCE = "rectification_recurrence"
RECTIFICATION_OVERDUE = "rectification_overdue"
