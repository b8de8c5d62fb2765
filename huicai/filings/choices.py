from django.db import models
from django.utils.translation import gettext_lazy as _


class FilingKind(models.TextChoices):
    """The three filings up the window tree.

    W14: unit commissioners report the services given to their talents to their window periodically
    (monthly by default); park and county windows file their archive summary with the window above them
    quarterly. S18: county windows file the talents' archives of the year with the city window.
    """

    UNIT = "unit", _("单位专员服务报备")
    QUARTERLY = "quarterly", _("窗口季度档案备案")
    ANNUAL = "annual", _("县区年度档案备案")


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("待报送")
    FILED = "filed", _("已报送待审核")
    RETURNED = "returned", _("已退回待修改")
    REFILED = "refiled", _("已重新报送待审核")
    ACCEPTED = "accepted", _("已接收")


# Filed with the parent, waiting for its answer.
AWAITING_REVIEW = [FilingStatus.FILED, FilingStatus.REFILED]
# Still the filer's to do.
WITH_FILER = [FilingStatus.DRAFT, FilingStatus.RETURNED]
# A snapshot exists (at least one version was filed).
SUBMITTED = [FilingStatus.FILED, FilingStatus.REFILED, FilingStatus.ACCEPTED, FilingStatus.RETURNED]


class FilingAction(models.TextChoices):
    OPEN = "open", _("生成待报送")
    REMARKS = "remarks", _("填写说明")
    FILE = "file", _("报送")
    REFILE = "refile", _("修改后重新报送")
    ACCEPT = "accept", _("接收")
    RETURN = "return", _("退回")
    QUEUE = "queue", _("排队生成快照")
    REMIND = "remind", _("到期提醒")
    LATE = "late", _("逾期未报送")


class BuildStatus(models.TextChoices):
    """A large filing's snapshot is built by the task worker; the page shows its progress."""

    IDLE = "", _("无")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    FAILED = "failed", _("生成失败")


FILING_REMINDER = "filing_reminder"
FILING_LATE = "filing_late"
FILING_RECEIVED = "filing_received"
FILING_ANSWERED = "filing_answered"
