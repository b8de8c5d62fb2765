from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    """An import's way: uploaded, checked in a dry run, confirmed by a person, written."""

    UPLOADED = "uploaded", _("已上传")
    PLANNING = "planning", _("预检中")
    PLANNED = "planned", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    WRITING = "writing", _("导入中")
    DONE = "done", _("已完成")
    REFUSED = "refused", _("未导入")
    FAILED = "failed", _("失败")
