"""Filings up the window tree (W14, S18): unit reports to the window, windows' quarterly archive summaries
to the window above, counties' annual archives to the city.

A ``Filing`` is one filer's filing for one period: it is opened as a draft (by the daily job once the period
has ended, or by the filer), the filer adds remarks and files it, and the parent window accepts it or returns
it with a reason; a returned filing is corrected and filed again. Every time it is filed, its content is
frozen into a new ``FilingVersion``: the counts, the talents and services, the files included, and a SHA-256
over the canonical JSON of all of it. A version is written once and never changed: the model refuses any
save but the first and any queryset update or delete, and the admin shows it read-only. So a returned
version stays as the parent saw it, beside the corrected one.
"""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huicai.core.models import Event
from huicai.filings import periods
from huicai.filings.choices import BuildStatus, FilingAction, FilingKind, FilingStatus


def canonical_json(snapshot: dict) -> str:
    """The one text a checksum is computed over: keys sorted, no spaces, Chinese kept as is."""
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def checksum_of(snapshot: dict) -> str:
    return hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest()


class FilingQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.filings.access import filings_visible_to

        return filings_visible_to(self, user)

    def for_period(self, period):
        return self.filter(period_start_date=period.start, period_end_date=period.end)


class Filing(models.Model):
    """One filer's filing for one period, and where it stands with the parent window (W14, S18).

    The filer is a unit commissioner's post (a unit report, filed with the window of the post's employer)
    or a window (filed with its parent window); exactly one is set, by a database check. One filing per
    filer, kind and period, by two partial unique constraints, so the daily job and a filer opening it by
    hand at once cannot make two.
    """

    kind = models.CharField(_("类别"), max_length=12, choices=FilingKind.choices)
    period_start_date = models.DateField(_("期间起"))
    period_end_date = models.DateField(_("期间止"))
    filer_post = models.ForeignKey(
        "commissioners.Post",
        verbose_name=_("报送专员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filings",
    )
    filer_window = models.ForeignKey(
        "org.Window",
        verbose_name=_("报送窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="filings",
    )
    parent_window = models.ForeignKey(
        "org.Window", verbose_name=_("接收窗口"), on_delete=models.PROTECT, related_name="incoming_filings"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=FilingStatus.choices, default=FilingStatus.DRAFT
    )
    due_date = models.DateField(_("报送期限"))
    remarks = models.TextField(_("报送说明"), blank=True)
    current_number = models.PositiveIntegerField(_("当前版本号"), default=0)
    opened_at = models.DateTimeField(_("生成时间"))
    first_filed_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    # The local date of the first filing: what "on time" is judged by (on or before the due date).
    first_filed_date = models.DateField(_("首次报送日期"), null=True, blank=True)
    last_filed_at = models.DateTimeField(_("最近报送时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("接收时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    late_flagged_at = models.DateTimeField(_("逾期标记时间"), null=True, blank=True)
    # A large filing's snapshot is built by the task worker (tasks.py) with a progress bar on the page.
    build_status = models.CharField(
        _("快照生成"), max_length=10, choices=BuildStatus.choices, default=BuildStatus.IDLE, blank=True
    )
    build_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    build_requested_at = models.DateTimeField(_("请求报送时间"), null=True, blank=True)
    progress_done = models.PositiveIntegerField(_("已处理"), default=0)
    progress_total = models.PositiveIntegerField(_("总数"), default=0)
    build_error = models.CharField(_("生成错误"), max_length=300, blank=True)
    # Bumped by every action, so a form acting on a stale copy is refused (409), not applied.
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = FilingQuerySet.as_manager()

    class Meta:
        verbose_name = _("备案")
        verbose_name_plural = _("备案")
        ordering = ["-period_start_date", "kind", "id"]
        indexes = [
            models.Index(fields=["parent_window", "status"]),
            models.Index(fields=["kind", "due_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(filer_post__isnull=False, filer_window__isnull=True, kind=FilingKind.UNIT))
                | (Q(filer_post__isnull=True, filer_window__isnull=False) & ~Q(kind=FilingKind.UNIT)),
                name="filing_has_one_filer_of_its_kind",
                violation_error_message=_("单位专员报备由单位专员报送，窗口备案由窗口报送。"),
            ),
            models.CheckConstraint(
                condition=Q(period_end_date__gte=models.F("period_start_date")),
                name="filing_period_ordered",
                violation_error_message=_("期间止日不能早于起日。"),
            ),
            models.UniqueConstraint(
                fields=["kind", "filer_post", "period_start_date"],
                condition=Q(filer_post__isnull=False),
                name="one_unit_filing_per_post_and_period",
                violation_error_message=_("该专员本期的报备已存在。"),
            ),
            models.UniqueConstraint(
                fields=["kind", "filer_window", "period_start_date"],
                condition=Q(filer_window__isnull=False),
                name="one_window_filing_per_window_and_period",
                violation_error_message=_("该窗口本期的备案已存在。"),
            ),
        ]

    def __str__(self):
        return f"{self.filer_name} · {self.period.label} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("filings:detail", args=[self.pk])

    @property
    def period(self) -> periods.Period:
        return periods.containing(periods.unit_for(self.kind), self.period_start_date)

    @property
    def filer_name(self) -> str:
        if self.filer_window_id:
            return self.filer_window.name
        post = self.filer_post
        return f"{post.employer.name} · {post.user.full_name}" if post else ""

    @property
    def is_building(self) -> bool:
        return self.build_status in (BuildStatus.QUEUED, BuildStatus.RUNNING)

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, int(self.progress_done * 100 / self.progress_total))

    def is_late_on(self, today) -> bool:
        """Filed after its due date, or not yet filed and the due date has passed."""
        if self.first_filed_date is not None:
            return self.first_filed_date > self.due_date
        return today > self.due_date

    def is_on_time(self) -> bool:
        return self.first_filed_date is not None and self.first_filed_date <= self.due_date


class FilingVersionQuerySet(models.QuerySet):
    """Versions are written once: no queryset path changes or removes one."""

    def update(self, **kwargs):
        raise TypeError("filing versions are immutable snapshots: they are never updated")

    def delete(self):
        raise TypeError("filing versions are immutable snapshots: they are never deleted")

    def bulk_update(self, *args, **kwargs):
        raise TypeError("filing versions are immutable snapshots: they are never updated")


class FilingVersion(models.Model):
    """One filed version of a filing: the locked snapshot the parent window reviews (W14, S18).

    ``checksum`` is the SHA-256 of ``canonical_json(snapshot)``; the pages recompute it and show whether it
    still holds. Written once by ``record_version`` in actions.py.
    """

    filing = models.ForeignKey(
        Filing, verbose_name=_("备案"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    snapshot = models.JSONField(_("快照"))
    checksum = models.CharField(_("SHA-256 校验值"), max_length=64)
    talent_count = models.PositiveIntegerField(_("人才数"), default=0)
    remarks = models.TextField(_("报送说明"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("报送时间"))

    objects = FilingVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("备案版本")
        verbose_name_plural = _("备案版本")
        ordering = ["filing_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "number"],
                name="one_filing_version_per_number",
                violation_error_message=_("该版本已存在。"),
            )
        ]

    def __str__(self):
        return f"{self.filing_id} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise TypeError("filing versions are immutable snapshots: they are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("filing versions are immutable snapshots: they are never deleted")

    def checksum_holds(self) -> bool:
        return checksum_of(self.snapshot) == self.checksum


class FilingTalent(models.Model):
    """A talent a version includes: how a talent's archive finds the unit reports about them."""

    version = models.ForeignKey(
        FilingVersion, verbose_name=_("备案版本"), on_delete=models.PROTECT, related_name="included_talents"
    )
    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="filing_entries"
    )

    class Meta:
        verbose_name = _("备案所含人才")
        verbose_name_plural = _("备案所含人才")
        constraints = [models.UniqueConstraint(fields=["version", "talent"], name="one_entry_per_talent")]

    def __str__(self):
        return f"{self.version} · {self.talent_id}"


class FilingEvent(Event):
    """One step in a filing's history; ``number`` is the version it concerns, ``by`` None for the jobs."""

    filing = models.ForeignKey(
        Filing, verbose_name=_("备案"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=10, choices=FilingAction.choices)
    from_status = models.CharField(_("原状态"), max_length=10, choices=FilingStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=FilingStatus.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.PositiveIntegerField(_("版本号"), null=True, blank=True)

    class Meta(Event.Meta):
        verbose_name = _("备案记录")
        verbose_name_plural = _("备案记录")

    def __str__(self):
        return f"{self.filing_id} {self.action} @{timezone.localtime(self.at):%Y-%m-%d %H:%M}"
