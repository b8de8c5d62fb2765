from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待窗口梳理")
    IN_PROGRESS = "in_progress", _("办理中")
    CLOSED = "closed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


class Route(models.TextChoices):
    """W13/S17: one item goes straight to its department; several go to the window, which splits them."""

    DEPARTMENT = "department", _("直接报送主管部门")
    WINDOW = "window", _("报送窗口并联办理")


class Source(models.TextChoices):
    """Where a case came from: the unit commissioner (S17), or a hotline work order (W10, S12-2)."""

    UNIT = "unit", _("单位专员申办")
    HOTLINE_12345 = "12345", _("12345政务服务便民热线")
    HOTLINE_PROVINCIAL = "provincial", _("省级人才服务热线")


class TaskStatus(models.TextChoices):
    PENDING = "pending", _("待受理")
    MATERIALS_REQUESTED = "materials_requested", _("待补正材料")
    ACCEPTED = "accepted", _("办理中")
    DELEGATED = "delegated", _("承办机构办理中")
    SUSPENDED = "suspended", _("中止计时")
    RETURNED = "returned", _("退回窗口")
    COMPLETED = "completed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_TASK_STATUSES = [
    TaskStatus.PENDING,
    TaskStatus.MATERIALS_REQUESTED,
    TaskStatus.ACCEPTED,
    TaskStatus.DELEGATED,
    TaskStatus.SUSPENDED,
    TaskStatus.RETURNED,
]
RUNNING_STATUSES = [TaskStatus.ACCEPTED, TaskStatus.DELEGATED]


class Result(models.TextChoices):
    HANDLED = "handled", _("已办理")
    NOT_HANDLED = "not_handled", _("不予办理")


class SuspensionReason(models.TextChoices):
    """Periods the law excludes from a limit (行政许可法第45条)."""

    HEARING = "hearing", _("听证")
    INSPECTION = "inspection", _("检验、检测、检疫")
    EXPERT_REVIEW = "expert_review", _("鉴定、专家评审")
    TENDER = "tender", _("招标、拍卖")
    OTHER = "other", _("法律法规规定的其他情形")


class InformChannel(models.TextChoices):
    IN_PERSON = "in_person", _("当面告知")
    PHONE = "phone", _("电话告知")
    MESSAGE = "message", _("短信或微信告知")
    SYSTEM = "system", _("平台消息告知")


class ExplainedVia(models.TextChoices):
    """W13: the explanation to the talent is given directly or through the unit commissioner."""

    DIRECT = "direct", _("部门专员直接向人才说明")
    UNIT = "unit", _("通过单位专员向人才说明")


class ExtensionStatus(models.TextChoices):
    """W13 and the 12345 rules: a delay within the cap is filed with the window, which acknowledges it; one
    that takes the task's extensions past the cap (``HUICAI_EXTENSION_CAP_DAYS`` working days in total)
    needs the window's approval, and the deadline moves only when it is given."""

    FILED = "filed", _("已备案")
    AWAITING_APPROVAL = "awaiting_approval", _("超长延期待窗口审批")
    APPROVED = "approved", _("超长延期已批准")
    REFUSED = "refused", _("超长延期未获批准")


# The extensions whose working days count towards the cap: those that moved the deadline.
COUNTED_EXTENSION_STATUSES = [ExtensionStatus.FILED, ExtensionStatus.APPROVED]


class ConsentMethod(models.TextChoices):
    SIGNED = "signed", _("书面签字")
    ONLINE = "online", _("人才线上确认")
    VERBAL = "verbal", _("当面口头同意并记录")


class CaseAction(models.TextChoices):
    CREATE = "create", _("创建申办")
    HOTLINE = "hotline", _("热线工单转办")
    ROUTE = "route", _("窗口指派部门")
    UPLOAD = "upload", _("上传材料")
    SUBMIT = "submit", _("提交申办")
    SPLIT = "split", _("窗口梳理分办")
    REQUEST_MATERIALS = "request_materials", _("一次性告知补正材料")
    RESUBMIT = "resubmit", _("补正后重新提交")
    ACCEPT = "accept", _("受理")
    RETURN = "return", _("退回窗口")
    REROUTE = "reroute", _("窗口改派")
    DELEGATE = "delegate", _("交承办机构办理")
    REPORT_BACK = "report_back", _("承办机构反馈")
    SUSPEND = "suspend", _("中止计时")
    RESUME = "resume", _("恢复计时")
    EXTEND = "extend", _("延期办理")
    ACKNOWLEDGE_EXTENSION = "acknowledge_extension", _("窗口确认延期备案")
    APPROVE_EXTENSION = "approve_extension", _("窗口批准超长延期")
    REFUSE_EXTENSION = "refuse_extension", _("窗口不批准超长延期")
    COMPLETE = "complete", _("办结")
    INFORM = "inform", _("告知人才结果")
    WITHDRAW = "withdraw", _("撤回")
    CLOSE = "close", _("申办办结")


class Stage(models.TextChoices):
    """The steps of a case that have a clock of their own besides the task's limit (W9, W13, S12-2).

    Without them a task never accepted, or an application the window never splits, is never late."""

    TRIAGE = "triage", _("窗口梳理分办")
    ACCEPTANCE = "acceptance", _("部门受理")
    REROUTE = "reroute", _("窗口改派")
    SUPPLEMENT = "supplement", _("单位专员补正材料")
    INFORMING = "informing", _("单位专员告知人才")


class Holder(models.TextChoices):
    """Who holds a step, and so who is carded when it runs late."""

    WINDOW = "window", _("窗口")
    DEPARTMENT = "department", _("主管部门")
    UNIT = "unit", _("用人单位")


# Each stage is held by one kind of organisation: supplement and informing are the unit's, not the
# department's, even though they happen on a task.
STAGE_HOLDERS = {
    Stage.TRIAGE: Holder.WINDOW,
    Stage.ACCEPTANCE: Holder.DEPARTMENT,
    Stage.REROUTE: Holder.WINDOW,
    Stage.SUPPLEMENT: Holder.UNIT,
    Stage.INFORMING: Holder.UNIT,
}

# The setting that says how many working days each stage may take.
STAGE_SETTINGS = {
    Stage.TRIAGE: "HUICAI_STAGE_TRIAGE_DAYS",
    Stage.ACCEPTANCE: "HUICAI_STAGE_ACCEPTANCE_DAYS",
    Stage.REROUTE: "HUICAI_STAGE_REROUTE_DAYS",
    Stage.SUPPLEMENT: "HUICAI_STAGE_SUPPLEMENT_DAYS",
    Stage.INFORMING: "HUICAI_STAGE_INFORMING_DAYS",
}
