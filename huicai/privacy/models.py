"""Talents' requests about their personal data and their withdrawals of consent (PIPL art. 15, 44–47)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huicai.privacy.choices import Outcome, RequestKind, RequestStatus


class DataRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one door to data requests (see access.py)."""
        from huicai.privacy.access import requests_visible_to

        return requests_visible_to(self, user)

    def overdue_on(self, day):
        return self.filter(status=RequestStatus.OPEN, due_date__lt=day)


class DataRequest(models.Model):
    """A talent's request to correct, delete or restrict their personal data.

    Handled by the talent's home window (属地窗口) as it was when the request was filed, answered within
    ``HUICAI_PRIVACY_REQUEST_WORKING_DAYS`` working days on the official calendar (15 by default: PIPL art. 50
    asks for a timely answer; 15 working days is the city's commitment).
    """

    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="data_requests"
    )
    window = models.ForeignKey(
        "org.Window", verbose_name=_("办理窗口"), on_delete=models.PROTECT, related_name="data_requests"
    )
    kind = models.CharField(_("请求类型"), max_length=20, choices=RequestKind.choices)
    details = models.TextField(_("请求内容"), max_length=1000)
    status = models.CharField(
        _("状态"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("提出时间"))
    due_date = models.DateField(_("答复期限"))
    overdue_flagged_at = models.DateTimeField(_("超期提醒时间"), null=True, blank=True)
    outcome = models.CharField(_("处理结果"), max_length=20, choices=Outcome.choices, blank=True)
    answer = models.TextField(_("答复"), max_length=1000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("个人信息权利请求")
        verbose_name_plural = _("个人信息权利请求")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=RequestStatus.OPEN, answered_at__isnull=True)
                | Q(status=RequestStatus.ANSWERED, answered_at__isnull=False) & ~Q(outcome=""),
                name="answered_data_request_has_outcome",
                violation_error_message=_("已答复的请求必须有处理结果和答复时间。"),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} {self.talent}"

    def is_overdue_on(self, day) -> bool:
        return self.status == RequestStatus.OPEN and day > self.due_date


class DataRequestEvent(models.Model):
    """One step in a request's life: filed, flagged overdue, answered."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("请求处理记录")
        verbose_name_plural = _("请求处理记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"#{self.request_id} {self.from_status}→{self.to_status} {self.at:%Y-%m-%d %H:%M}"


class ConsentWithdrawal(models.Model):
    """The talent withdrew the consent given for one application, for the future (PIPL art. 15).

    Withdrawal does not undo what was lawfully done before it: the application keeps its consent record
    and stays on file. Every new application asks for consent of its own (casework's ``record_consent``
    before ``submit``), so nothing carries the withdrawn consent forward.
    """

    application = models.OneToOneField(
        "casework.Application",
        verbose_name=_("申办"),
        on_delete=models.PROTECT,
        related_name="consent_withdrawal",
    )
    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="consent_withdrawals"
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("撤回人"), on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"))

    class Meta:
        verbose_name = _("撤回同意")
        verbose_name_plural = _("撤回同意")
        ordering = ["-withdrawn_at"]

    def __str__(self):
        return f"{self.application} {self.withdrawn_at:%Y-%m-%d}"
