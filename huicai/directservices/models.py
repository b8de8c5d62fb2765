"""Direct services on a talent card and the appointments that lead to them (W11, W12, S16).

W12: a talent who holds a valid 山东惠才卡 or 沂蒙惠才卡 is served on the spot (随时受理、直接服务) by the
department, undertaking institution or window that provides a direct item; S16 lets the talent contact or
book a commissioner in advance. A ``DirectService`` is the record of one such service, pinned to the card
shown and the catalogue version served, so it reads the same in the talent's archive years later. An
``Appointment`` is a booked slot with one commissioner post (or with a window, whose commissioners share the
bookings); each change of its state is one action in ``actions.py`` and leaves an ``AppointmentEvent``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huicai.core.models import Event
from huicai.directservices.choices import AppointmentAction, AppointmentStatus, Outcome, Side


class DirectServiceQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.directservices.access import direct_services_visible_to

        return direct_services_visible_to(self, user)


class DirectService(models.Model):
    """One service given on a talent card (W12): who served, in which post, when, where, and the outcome.

    The record is written once by ``record_direct_service`` and never changed: it is evidence for the
    talent's service archive (W14, S18). ``department`` is the item's competent department at the time,
    copied from the version served, so the department sees its services even if the item moves later.
    """

    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="direct_services"
    )
    card = models.ForeignKey(
        "talents.TalentCard",
        verbose_name=_("所持人才卡"),
        on_delete=models.PROTECT,
        related_name="direct_services",
    )
    service_item = models.ForeignKey(
        "catalogue.ServiceItem", verbose_name=_("服务事项"), on_delete=models.PROTECT, related_name="+"
    )
    item_version = models.ForeignKey(
        "catalogue.ServiceItemVersion", verbose_name=_("事项版本"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("主管部门"), on_delete=models.PROTECT, related_name="direct_services"
    )
    post = models.ForeignKey(
        "commissioners.Post",
        verbose_name=_("服务专员岗位"),
        on_delete=models.PROTECT,
        related_name="direct_services",
    )
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("服务专员"), on_delete=models.PROTECT, related_name="+"
    )
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("服务窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="direct_services",
        help_text=_("由窗口专员服务时，所在的服务窗口。"),
    )
    served_at = models.DateTimeField(_("服务时间"))
    place = models.CharField(_("服务地点"), max_length=200)
    outcome = models.CharField(_("服务结果"), max_length=20, choices=Outcome.choices)
    outcome_reason = models.CharField(_("未能服务原因或转介去向"), max_length=300, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("登记时间"))

    objects = DirectServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("直接服务记录")
        verbose_name_plural = _("直接服务记录")
        ordering = ["-served_at", "-id"]
        indexes = [
            models.Index(fields=["talent", "served_at"]),
            models.Index(fields=["department", "served_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome=Outcome.SERVED) | ~Q(outcome_reason=""),
                name="direct_service_reason_unless_served",
                violation_error_message=_("未能服务或转介时须说明原因或去向。"),
            ),
            models.CheckConstraint(
                condition=~Q(place=""),
                name="direct_service_has_place",
                violation_error_message=_("请填写服务地点。"),
            ),
        ]

    def __str__(self):
        return (
            f"{self.talent} · {self.item_version.name} · {timezone.localtime(self.served_at):%Y-%m-%d %H:%M}"
        )

    def get_absolute_url(self):
        return reverse("directservices:services") + f"?talent={self.talent_id}"


class AppointmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.directservices.access import appointments_visible_to

        return appointments_visible_to(self, user)

    def overlapping(self, starts_at, ends_at):
        """Appointments whose slot shares at least a minute with [starts_at, ends_at)."""
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class Appointment(models.Model):
    """A booked slot for a direct item (S16) with one commissioner post, or with a window.

    Booked by the talent or their unit commissioner, confirmed or declined by the commissioner (for a
    window booking, by any window commissioner there, whose post is then recorded), cancelled by either
    side, completed by recording the ``DirectService`` given. One post never holds two confirmed
    appointments that overlap: the confirm action checks it under a lock of the post, and the database
    refuses it as well (a trigger on SQLite, an exclusion constraint on PostgreSQL; see the migrations).
    """

    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="appointments"
    )
    service_item = models.ForeignKey(
        "catalogue.ServiceItem", verbose_name=_("服务事项"), on_delete=models.PROTECT, related_name="+"
    )
    item_version = models.ForeignKey(
        "catalogue.ServiceItemVersion", verbose_name=_("事项版本"), on_delete=models.PROTECT, related_name="+"
    )
    post = models.ForeignKey(
        "commissioners.Post",
        verbose_name=_("服务专员岗位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("预约窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
        help_text=_("预约到窗口（而非具体专员）时，由该窗口任一窗口专员确认。"),
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    status = models.CharField(
        _("状态"), max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.REQUESTED
    )
    note = models.CharField(_("预约说明"), max_length=500, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("预约人"), on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(_("预约时间"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decline_reason = models.CharField(_("婉拒原因"), max_length=300, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=300, blank=True)
    cancelled_side = models.CharField(_("取消方"), max_length=20, choices=Side.choices, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    direct_service = models.OneToOneField(
        DirectService,
        verbose_name=_("服务记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointment",
    )
    # Bumped by every action, so a form or API call made on a stale copy is refused (409), not applied.
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务预约")
        verbose_name_plural = _("服务预约")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"]), models.Index(fields=["post", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="appointment_ends_after_start",
                violation_error_message=_("结束时间须晚于开始时间。"),
            ),
            models.CheckConstraint(
                condition=Q(post__isnull=False) | Q(window__isnull=False),
                name="appointment_has_post_or_window",
                violation_error_message=_("请选择服务专员或服务窗口。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[AppointmentStatus.CONFIRMED, AppointmentStatus.COMPLETED])
                | Q(post__isnull=False, confirmed_at__isnull=False),
                name="confirmed_appointment_has_post",
                violation_error_message=_("已确认的预约须有确认的服务专员。"),
            ),
            models.CheckConstraint(
                condition=Q(status=AppointmentStatus.COMPLETED, direct_service__isnull=False)
                | (~Q(status=AppointmentStatus.COMPLETED) & Q(direct_service__isnull=True)),
                name="completed_appointment_has_service",
                violation_error_message=_("完成的预约须关联服务记录，未完成的预约不能关联。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=AppointmentStatus.DECLINED) | ~Q(decline_reason=""),
                name="declined_appointment_has_reason",
                violation_error_message=_("婉拒预约须填写原因。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=AppointmentStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="cancelled_appointment_has_reason",
                violation_error_message=_("取消预约须填写原因。"),
            ),
        ]

    def __str__(self):
        return (
            f"{self.talent} · {self.item_version.name} · {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"
        )

    def get_absolute_url(self):
        return reverse("directservices:appointment", args=[self.pk])

    @property
    def local_date(self):
        return timezone.localdate(self.starts_at)

    @property
    def slot_label(self) -> str:
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{start:%Y-%m-%d} {start:%H:%M}—{end:%H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status in (AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED)


class AppointmentEvent(Event):
    """One step of an appointment: who did what, when, from which state to which, and why."""

    appointment = models.ForeignKey(
        Appointment, verbose_name=_("预约"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=AppointmentAction.choices)
    from_status = models.CharField(_("原状态"), max_length=20, choices=AppointmentStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=AppointmentStatus.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("预约记录")
        verbose_name_plural = _("预约记录")
        ordering = ["at", "id"]

    def __str__(self):
        return (
            f"{self.appointment_id} {self.get_action_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"
        )
