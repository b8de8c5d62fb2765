"""The in-app inbox: every user's notifications, with an unread count shown on every page.

Email and SMS channels deliver copies of these records through the task queue (``Delivery``, one row per
notification and channel). The inbox row and its deliveries are written in the same transaction as the
change they report, so nothing is announced that did not happen; the sending happens after the commit, so
a failing channel can neither block nor undo that change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huicai.core.masking import mask_phone
from huicai.notifications.choices import Channel, DeliveryStatus


def mask_email(value: str | None) -> str:
    """l***@example.com: the first character of the mailbox and the domain (GB/T 35273 §7.2); the stars do
    not tell the mailbox's length."""
    if not value:
        return ""
    local, _sep, domain = value.rpartition("@")
    if not local:
        return "*" * len(value)
    return f"{local[0]}***@{domain}"


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message in one user's inbox, written by the action whose change it reports (``notify``).

    Kept after it is read: the inbox is also the user's record of what they were told and when (W9
    reminders, W13 results). ``link`` is a path on this site; the inbox follows no other.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # A talent with no account yet: no inbox, but an SMS notice of their own cases still goes to the phone
    # on their talent record (issue 11). Exactly one of recipient and talent is set.
    talent = models.ForeignKey(
        "talents.Talent",
        verbose_name=_("人才（未开通账号）"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类别"), max_length=40, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False, talent__isnull=True)
                | Q(recipient__isnull=True, talent__isnull=False),
                name="notification_has_one_recipient",
                violation_error_message=_("通知须有且只有一个接收人：用户或未开通账号的人才。"),
            )
        ]

    def __str__(self):
        return self.title


class DeliveryQuerySet(models.QuerySet):
    def due(self, at):
        """Deliveries a worker may claim at ``at``: pending ones whose time has come, and sending ones whose
        worker's lease has run out (the worker stopped mid-send)."""
        return self.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING], next_attempt_at__lte=at
        )


class Delivery(models.Model):
    """One notification sent over one channel (email or SMS), with its attempts.

    The address is not stored: it is read from the recipient when sending, so a corrected number is used
    and no second copy of personal data exists. ``next_attempt_at`` is when a pending delivery is due, or,
    while sending, when the worker's lease ends; it is empty once the delivery is finished.
    """

    notification = models.ForeignKey(
        Notification, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    # Short, and scrubbed of the address before it is stored (see actions.describe_error).
    last_error = models.CharField(_("最近错误"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知发送记录")
        verbose_name_plural = _("通知发送记录")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"],
                name="one_delivery_per_channel",
                violation_error_message=_("同一条通知在同一渠道只发送一次。"),
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values),
                name="delivery_channel_known",
                violation_error_message=_("未知的发送渠道。"),
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING],
                        next_attempt_at__isnull=False,
                    )
                    | (
                        ~Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])
                        & Q(next_attempt_at__isnull=True)
                    )
                ),
                name="delivery_due_while_open",
                violation_error_message=_("待发送或发送中的记录必须有下次尝试时间，已结束的记录不能有。"),
            ),
            models.CheckConstraint(
                condition=Q(status=DeliveryStatus.SENT, sent_at__isnull=False)
                | (~Q(status=DeliveryStatus.SENT) & Q(sent_at__isnull=True)),
                name="delivery_sent_at_iff_sent",
                violation_error_message=_("只有已发送的记录有发送时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} #{self.notification_id} {self.get_status_display()}"

    def address(self) -> str:
        """Where this delivery goes now, read from the recipient: their email, or their own mobile, else
        their talent record's. Clear text: never log it or store it elsewhere."""
        user = self.notification.recipient
        if user is None:
            # A talent without an account: SMS to the phone on their record, nothing else.
            talent = self.notification.talent
            return talent.mobile if self.channel == Channel.SMS else ""
        if self.channel == Channel.EMAIL:
            return user.email
        if user.mobile:
            return user.mobile
        talent = getattr(user, "talent", None)  # the reverse one-to-one raises (an AttributeError) if none
        return talent.mobile if talent is not None else ""

    @property
    def masked_address(self) -> str:
        address = self.address()
        return mask_email(address) if self.channel == Channel.EMAIL else mask_phone(address)

    @property
    def is_retrying(self) -> bool:
        """Pending again after a failed attempt, waiting for its next try."""
        return self.status == DeliveryStatus.PENDING and self.attempts > 0
