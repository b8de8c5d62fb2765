from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    """The rights a talent asks the window to act on (PIPL art. 45–47); seeing and exporting need no request."""

    CORRECTION = "correction", _("更正")
    DELETION = "deletion", _("删除")
    RESTRICTION = "restriction", _("限制处理")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("处理中")
    ANSWERED = "answered", _("已答复")


class Outcome(models.TextChoices):
    DONE = "done", _("已按请求处理")
    # Archives that the law says must be kept (申办档案, 审计记录) are not deleted: their processing is restricted
    # to keeping them, and the answer says which and why (PIPL art. 47, second paragraph).
    RESTRICTED = "restricted", _("依法须保存，已限制处理")
    REFUSED = "refused", _("不予处理")
