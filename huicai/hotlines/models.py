"""What the hotlines push to us and what we push back (W10, S12-2).

The 12345 hotline and the provincial talent service hotline push work orders and ratings to signed
webhooks; each order becomes a case in casework (``open_hotline_case``), and when the case closes its result
goes back to the hotline through a signed callback, retried until it is acknowledged.

Nothing here keeps a talent's ID number: an order is recorded by its hotline, its order id and a hash of
its content (enough to tell a repeat from a conflicting reuse of the order id); the talent, the content and
the item are on the case, a rating's comment on the rating.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huicai.core.fields import EncryptedTextField
from huicai.hotlines.choices import (
    LEVEL_NAMES,
    DeliveryStatus,
    Hotline,
    InboundStatus,
    RatingImport,
    Refusal,
)


class WebhookMessage(models.Model):
    """A webhook id a hotline sent us that we acted on: the same id again is a replay and is refused.

    Written in the transaction that acts on the message, so a message whose processing failed may be sent
    again with the same id. Past the ±300 s tolerance a replay fails the timestamp check anyway, so rows
    older than a day can be pruned (``jobs.forget_webhook_ids``).
    """

    hotline = models.CharField(_("热线"), max_length=20, choices=Hotline.choices)
    webhook_id = models.CharField(_("消息编号"), max_length=100)
    received_at = models.DateTimeField(_("接收时间"), db_index=True)

    class Meta:
        verbose_name = _("已处理的推送消息")
        verbose_name_plural = _("已处理的推送消息")
        constraints = [
            models.UniqueConstraint(
                fields=["hotline", "webhook_id"],
                name="one_webhook_id_per_hotline",
                violation_error_message=_("该消息已处理，不能重复推送。"),
            )
        ]

    def __str__(self):
        return f"{self.hotline}:{self.webhook_id}"


class InboundOrderQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.hotlines.access import orders_visible_to

        return orders_visible_to(self, user)


class InboundOrder(models.Model):
    """One work order a hotline pushed to us, accepted (it became a case) or refused (with the reason).

    Only an authenticated push (valid signature, fresh timestamp) leaves a row; an unauthenticated one
    leaves an audit event only, since nothing in it can be trusted. One accepted row per hotline and order
    id: the order pushed again with the same content returns the same case, with other content is refused.
    """

    hotline = models.CharField(_("热线"), max_length=20, choices=Hotline.choices)
    order_id = models.CharField(_("热线工单号"), max_length=64, blank=True)
    webhook_id = models.CharField(_("消息编号"), max_length=100)
    received_at = models.DateTimeField(_("接收时间"))
    # SHA-256 of the order's fields in canonical JSON (see actions.order_fingerprint), never the body.
    body_hash = models.CharField(_("内容摘要"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=InboundStatus.choices)
    refusal = models.CharField(_("拒收原因"), max_length=30, choices=Refusal.choices, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    application = models.OneToOneField(
        "casework.Application",
        verbose_name=_("转办的申办"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inbound_order",
    )

    objects = InboundOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("热线来单")
        verbose_name_plural = _("热线来单")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["hotline", "order_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["hotline", "order_id"],
                condition=Q(status=InboundStatus.ACCEPTED),
                name="one_accepted_order_per_hotline_order_id",
                violation_error_message=_("该热线工单已经接收。"),
            ),
            models.CheckConstraint(
                condition=Q(status=InboundStatus.ACCEPTED, application__isnull=False, refusal="")
                & ~Q(order_id="")
                | Q(status=InboundStatus.REFUSED, application__isnull=True) & ~Q(refusal=""),
                name="inbound_order_accepted_with_case_or_refused_with_reason",
                violation_error_message=_("接收的工单必须关联申办，拒收的工单必须写明原因。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_hotline_display()} {self.order_id or '—'}"

    def get_absolute_url(self):
        return reverse("hotlines:order", args=[self.pk])


class OutboundDeliveryQuerySet(models.QuerySet):
    def due(self, at):
        """Deliveries a sender may claim at ``at``: pending ones whose time has come, and sending ones whose
        sender's lease has run out (it died mid-send)."""
        return self.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING], next_attempt_at__lte=at
        )


class OutboundDelivery(models.Model):
    """The result of a hotline case, sent back to the hotline's callback URL (S12-2: the department's
    answer reaches the caller through the hotline that transferred the request).

    One per application, by a unique constraint, so two schedulers never create or send two. ``payload`` is
    fixed when the delivery is created, so every retry sends the same body under the same webhook id and the
    hotline can drop a duplicate; it holds the department's note, so it is stored encrypted.
    """

    application = models.OneToOneField(
        "casework.Application",
        verbose_name=_("申办"),
        on_delete=models.PROTECT,
        related_name="hotline_delivery",
    )
    hotline = models.CharField(_("热线"), max_length=20, choices=Hotline.choices)
    order_id = models.CharField(_("热线工单号"), max_length=64)
    payload = EncryptedTextField(_("回传内容"))
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"))
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=200, blank=True)

    objects = OutboundDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("热线结果回传")
        verbose_name_plural = _("热线结果回传")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING], next_attempt_at__isnull=False
                )
                | ~Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])
                & Q(next_attempt_at__isnull=True),
                name="hotline_delivery_due_while_open",
                violation_error_message=_("待发送或发送中的回传必须有下次尝试时间，已结束的不能有。"),
            ),
            models.CheckConstraint(
                condition=Q(status=DeliveryStatus.SENT, sent_at__isnull=False)
                | ~Q(status=DeliveryStatus.SENT) & Q(sent_at__isnull=True),
                name="hotline_delivery_sent_at_iff_sent",
                violation_error_message=_("只有已送达的回传有送达时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_hotline_display()} {self.order_id} {self.get_status_display()}"

    @property
    def webhook_id(self) -> str:
        """The same on every retry (Standard Webhooks): the hotline drops a delivery it already has."""
        return f"huicai-result-{self.pk}"

    @property
    def is_retrying(self) -> bool:
        return self.status == DeliveryStatus.PENDING and self.attempts > 0


class DeliveryAttempt(models.Model):
    """One try at posting a result to a hotline: when, what it answered, how long it took."""

    delivery = models.ForeignKey(
        OutboundDelivery, verbose_name=_("回传"), on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveSmallIntegerField(_("第几次"))
    at = models.DateTimeField(_("时间"))
    ok = models.BooleanField(_("成功"))
    status_code = models.PositiveSmallIntegerField(_("HTTP 状态码"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)

    class Meta:
        verbose_name = _("回传尝试")
        verbose_name_plural = _("回传尝试")
        ordering = ["delivery_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"],
                name="one_row_per_delivery_attempt",
                violation_error_message=_("同一次尝试只记录一次。"),
            )
        ]

    def __str__(self):
        return f"{self.delivery} #{self.number}"


class InboundRating(models.Model):
    """A satisfaction rating a hotline pushed for one of its orders (W10: hotline ratings count too).

    Recorded as a rating of the case's completed task by the ratings app (``record_hotline_rating``), or
    refused with the reason. ``rating_ref`` is the id of the rating it became: a plain number, not a
    foreign key, so this app's schema does not depend on the ratings app's. The comment is the ratings
    app's to keep; nothing of it is stored here.
    """

    hotline = models.CharField(_("热线"), max_length=20, choices=Hotline.choices)
    order_id = models.CharField(_("热线工单号"), max_length=64, blank=True)
    webhook_id = models.CharField(_("消息编号"), max_length=100)
    received_at = models.DateTimeField(_("接收时间"))
    body_hash = models.CharField(_("内容摘要"), max_length=64, blank=True)
    level = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=RatingImport.choices)
    refusal = models.CharField(_("拒收原因"), max_length=30, choices=Refusal.choices, blank=True)
    message = models.CharField(_("说明"), max_length=300, blank=True)
    application = models.ForeignKey(
        "casework.Application",
        verbose_name=_("申办"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hotline_ratings",
    )
    rating_ref = models.PositiveBigIntegerField(_("评价记录编号"), null=True, blank=True)

    class Meta:
        verbose_name = _("热线评价")
        verbose_name_plural = _("热线评价")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hotline", "order_id"],
                condition=Q(status=RatingImport.RECORDED),
                name="one_recorded_rating_per_hotline_order",
                violation_error_message=_("该热线工单的评价已经登记。"),
            ),
            models.CheckConstraint(
                condition=Q(
                    status=RatingImport.RECORDED,
                    refusal="",
                    application__isnull=False,
                    level__isnull=False,
                    rating_ref__isnull=False,
                )
                | Q(status=RatingImport.REFUSED, rating_ref__isnull=True) & ~Q(refusal=""),
                name="inbound_rating_recorded_as_rating_or_refused_with_reason",
                violation_error_message=_("登记的热线评价必须对应一条评价，拒收的必须写明原因。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_hotline_display()} {self.order_id or '—'} {self.get_status_display()}"

    @property
    def level_display(self) -> str:
        return LEVEL_NAMES.get(self.level, "")
