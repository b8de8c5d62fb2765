"""惠才卡 applications (S11-4): the unit commissioner applies for a talent's card, the window reviews it, and
an approval issues the card through ``huicai.talents.actions.issue_card``.

The cards themselves (number, tier, validity, status: valid, lost, revoked, expired) stay in
``talents.TalentCard``; this app keeps the way to one: the application with its versions of materials,
the window's decision, the review deadline in working days, and the rules of which category may hold
which card.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huicai.cards.choices import ApplicationStatus, EventKind, Purpose
from huicai.core.models import Event
from huicai.talents.choices import CardKind


class CardRule(models.Model):
    """Which card a talent category may hold, at which tier, for how long (configurable by the city)."""

    category = models.ForeignKey(
        "talents.TalentCategory", verbose_name=_("人才类别"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("卡类"), max_length=10, choices=CardKind.choices)
    tier = models.CharField(_("卡等级"), max_length=20)
    valid_years = models.PositiveSmallIntegerField(_("有效期（年）"), default=3)

    class Meta:
        verbose_name = _("发卡规则")
        verbose_name_plural = _("发卡规则")
        ordering = ["category__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "kind"],
                name="one_card_rule_per_category_and_kind",
                violation_error_message=_("该人才类别已有此卡类的发卡规则。"),
            ),
            models.CheckConstraint(
                condition=Q(valid_years__gte=1) & Q(valid_years__lte=10),
                name="card_rule_valid_years_1_to_10",
                violation_error_message=_("有效期应为 1 至 10 年。"),
            ),
        ]

    def __str__(self):
        return f"{self.category} · {self.get_kind_display()} · {self.tier}"


class CardApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from huicai.cards.access import applications_visible_to

        return applications_visible_to(self, user)

    def open(self):
        from huicai.cards.choices import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)


class CardApplication(models.Model):
    """One application for a 惠才卡: new, a renewal of a card about to expire, or a reissue of a lost one."""

    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="card_applications"
    )
    kind = models.CharField(_("卡类"), max_length=10, choices=CardKind.choices)
    purpose = models.CharField(_("申请类型"), max_length=10, choices=Purpose.choices, default=Purpose.NEW)
    previous_card = models.ForeignKey(
        "talents.TalentCard",
        verbose_name=_("原卡"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("审核窗口"),
        on_delete=models.PROTECT,
        related_name="card_applications",
        help_text=_("人才的属地窗口。"),
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("申请说明"), max_length=1000, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    round = models.PositiveSmallIntegerField(_("提交轮次"), default=1)
    submitted_at = models.DateTimeField(_("提交时间"))
    due_date = models.DateField(_("审核期限"))
    overdue_flagged_at = models.DateTimeField(_("超期标记时间"), null=True, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    card = models.OneToOneField(
        "talents.TalentCard",
        verbose_name=_("所发人才卡"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application",
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = CardApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("惠才卡申请")
        verbose_name_plural = _("惠才卡申请")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["window", "status", "due_date"], name="cardapp_window_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["talent", "kind"],
                condition=Q(status__in=["submitted", "returned"]),
                name="one_open_card_application_per_kind",
                violation_error_message=_("该人才已有一份在办的同类惠才卡申请。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(card__isnull=False),
                name="approved_card_application_has_card",
                violation_error_message=_("已批准的申请必须有所发的卡。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}{self.get_purpose_display()} · {self.talent}"

    def is_overdue_on(self, day) -> bool:
        return self.status == ApplicationStatus.SUBMITTED and day > self.due_date


def card_material_path(instance, filename):
    # Never the uploaded name: a random name under a date folder, outside the web root (MEDIA_ROOT).
    return f"card-materials/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class CardMaterial(models.Model):
    """A material of an application (PDF, JPG or PNG, checked by content), kept for every round."""

    application = models.ForeignKey(
        CardApplication, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="materials"
    )
    round = models.PositiveSmallIntegerField(_("提交轮次"))
    name = models.CharField(_("材料名称"), max_length=100)
    file = models.FileField(_("文件"), upload_to=card_material_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=120)
    content_type = models.CharField(_("文件类型"), max_length=40)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["round", "uploaded_at", "id"]

    def __str__(self):
        return self.name


class CardApplicationEvent(Event):
    application = models.ForeignKey(
        CardApplication, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=20, choices=EventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(Event.Meta):
        verbose_name = _("申请记录")
        verbose_name_plural = _("申请记录")


class RenewalReminder(models.Model):
    """One reminder per card and expiry date: the renewal job claims this row before it writes, so two
    schedulers (or a rerun) never remind twice."""

    card = models.ForeignKey("talents.TalentCard", on_delete=models.CASCADE, related_name="+")
    valid_until_date = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["card", "valid_until_date"], name="one_renewal_reminder_per_expiry"
            )
        ]

    def __str__(self):
        return f"{self.card_id} {self.valid_until_date}"
