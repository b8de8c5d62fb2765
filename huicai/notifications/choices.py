"""Channels, delivery statuses and the per-kind SMS policy.

Every notification lands in the in-app inbox. A copy goes by email to every recipient with an email
address, whatever the kind. SMS costs money per message, so only the kinds listed in ``SMS_KINDS`` also go
by SMS, and only to recipients with a mobile number (their own, or their talent record's).

Other apps read the kind constants below and pass them to ``notify(kind=...)``; a kind that should also go
by SMS is added to ``SMS_KINDS`` here, in one place, so the cost is decided in one review.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# W9: a task is near its deadline or overdue; the responsible commissioner is reminded.
DEADLINE_WARNING = "deadline_warning"
# W13: a department has finished a task; the unit and window commissioners are told the result. The value
# is the kind casework's complete action already uses.
SERVICE_RESULT = "task_completed"
# W13/W16 进度反馈: the talent hears of their own case (accepted, materials needed, extended, completed).
# By SMS too: the welcome text promises it, and the title carries no personal data (casework writes it).
CASE_PROGRESS = "case_progress"
# W12: a booked direct service is coming up.
APPOINTMENT_REMINDER = "appointment_reminder"

# Sign-in: a password-reset link (the person cannot sign in to read the inbox), and the notice that a
# password or second factor was changed (someone else may have done it).
PASSWORD_RESET = "password_reset"
ACCOUNT_SECURITY = "account_security"

SMS_KINDS = frozenset(
    {
        DEADLINE_WARNING,
        SERVICE_RESULT,
        CASE_PROGRESS,
        APPOINTMENT_REMINDER,
        PASSWORD_RESET,
        ACCOUNT_SECURITY,
    }
)


class Channel(models.TextChoices):
    EMAIL = "email", _("邮件")
    SMS = "sms", _("短信")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("已跳过")
