from django.db import models
from django.utils.translation import gettext_lazy as _

from huicai.catalogue.choices import Category as CatalogueCategory

# Notification kinds this app sends (none is in SMS_KINDS: these are inbox and email notices).
DIFFICULTY_RECORDED = "difficulty_recorded"
DIFFICULTY_ESCALATED = "difficulty_escalated"
DIFFICULTY_RESPONDED = "difficulty_responded"
CHECKIN_OPENED = "checkin_opened"
CHECKIN_CHASE = "checkin_chase"
DEPARTURE_CASE = "departure_case"


class DifficultyKind(models.TextChoices):
    """S11-5: 困难问题 and 意见建议; S14-4: a change of a talent's work or life status found by a check-in."""

    DIFFICULTY = "difficulty", _("困难问题")
    SUGGESTION = "suggestion", _("意见建议")
    STATUS_CHANGE = "status_change", _("状态变化")


class RecordableKind(models.TextChoices):
    """What a person records by hand: status changes come only from check-ins."""

    DIFFICULTY = DifficultyKind.DIFFICULTY.value, DifficultyKind.DIFFICULTY.label
    SUGGESTION = DifficultyKind.SUGGESTION.value, DifficultyKind.SUGGESTION.label


# The catalogue's fields of the green channel, plus 工作 and 生活 for what no item covers (S14-4 speaks
# of 工作、生活状态). The catalogue's own "其他" stays last.
_CATEGORY_MEMBERS = [
    (member.name, (member.value, member.label))
    for member in CatalogueCategory
    if member is not CatalogueCategory.OTHER
]
Category = models.TextChoices(
    "Category",
    [
        *_CATEGORY_MEMBERS,
        ("WORK", ("work", _("工作"))),
        ("LIFE", ("life", _("生活"))),
        ("OTHER", (CatalogueCategory.OTHER.value, CatalogueCategory.OTHER.label)),
    ],
)
Category.__doc__ = "What a difficulty or suggestion is about."


class DifficultyStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    IN_PROGRESS = "in_progress", _("处理中")
    ESCALATED = "escalated", _("已上报")
    RESPONDED = "responded", _("已答复")
    RESOLVED = "resolved", _("已解决")
    CLOSED = "closed", _("已关闭")


# The states in which the current holder still owes an answer.
PENDING_DIFFICULTY_STATUSES = [
    DifficultyStatus.OPEN,
    DifficultyStatus.IN_PROGRESS,
    DifficultyStatus.ESCALATED,
]


class HolderLevel(models.TextChoices):
    """Who holds a difficulty now: the unit commissioner (S11-5), a department (S12-4, S13-3) or a window
    (S14-4)."""

    UNIT = "unit", _("单位专员")
    DEPARTMENT = "department", _("主管部门")
    WINDOW = "window", _("服务窗口")


class Source(models.TextChoices):
    """Who recorded it: the talent, or the commissioner they told."""

    TALENT = "talent", _("人才本人")
    UNIT = "unit", _("单位专员")
    DEPARTMENT = "department", _("部门专员")
    UNDERTAKING = "undertaking", _("承办专员")
    WINDOW = "window", _("窗口专员")
    CHECKIN = "checkin", _("状态调度")


class DifficultyAction(models.TextChoices):
    RECORD = "record", _("登记")
    START = "start", _("开始处理")
    ESCALATE = "escalate", _("上报")
    RESPOND = "respond", _("答复")
    CLOSE = "close", _("关闭")
    LINK_CATALOGUE = "link_catalogue", _("关联服务事项调整")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("待答复")
    ANSWERED = "answered", _("已答复")
    NO_ANSWER = "no_answer", _("未答复")


class EmploymentAnswer(models.TextChoices):
    """The answers a check-in offers: the talent's ``EmploymentStatus`` without "待确认"."""

    EMPLOYED = "employed", _("在职")
    LEFT = "left", _("已离职")
    RETIRED = "retired", _("已退休")
