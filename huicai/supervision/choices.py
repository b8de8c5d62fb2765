from django.db import models
from django.utils.translation import gettext_lazy as _


class CardColour(models.TextChoices):
    """W9: a yellow card warns before a deadline, a red card marks it missed."""

    YELLOW = "yellow", _("黄牌（临期预警）")
    RED = "red", _("红牌（逾期）")


class OrderStatus(models.TextChoices):
    """A supervision order (督办) waits for the department's written answer, then for the window's review."""

    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复待确认")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤销")


# While an order is in one of these, the task has a live 督办 and no second one may be raised.
LIVE_ORDER_STATUSES = [OrderStatus.OPEN, OrderStatus.ANSWERED]


class OrderAction(models.TextChoices):
    RAISE = "raise", _("窗口督办")
    RESPOND = "respond", _("部门答复")
    ACCEPT = "accept", _("窗口确认办结")
    REOPEN = "reopen", _("窗口退回重办")
    WITHDRAW = "withdraw", _("窗口撤销")
    OVERDUE = "overdue", _("逾期未答复（红牌）")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("调度中")
    CLOSED = "closed", _("已结束")


# Notification kinds of this app. Red and yellow cards use notifications.choices.DEADLINE_WARNING (an SMS
# kind); the others go to the inbox and by email only.
ORDER_NOTICE = "supervision_order"
ROUND_NOTICE = "scheduling_round"
