"""The official working-day calendar and the deadlines counted on it (W9, W13).

Every limit in the measures is counted in working days (办结时限、承诺时限): Monday to Friday, minus the
statutory holidays and 调休 rest days, plus the weekend days that the State Council's yearly notice
(国务院办公厅关于某年部分节假日安排的通知) turns into make-up working days. Only the days that differ from a
plain week are stored (``SpecialDay``), grouped by year (``CalendarYear``), each year marked official (from
the notice) or provisional (computed by rule before the notice is out). ``huicai.workdays.calendar``
answers every question about working days from these tables.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from huicai.workdays.choices import DayKind, YearStatus


class CalendarYear(models.Model):
    """One calendar year: official once the State Council's notice has been entered, provisional before.

    The year number is the primary key, so a special day can be checked against its year in the database.
    """

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    status = models.CharField(_("状态"), max_length=20, choices=YearStatus.choices)
    # e.g. "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）"
    source = models.CharField(_("依据"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新时间"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("更新人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calendar_years_updated",
    )

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1950) & Q(year__lte=2200),
                name="workdays_year_in_range",
                violation_error_message=_("年份须在 1950 至 2200 之间。"),
            ),
            # An official year always says which notice it comes from.
            models.CheckConstraint(
                condition=~Q(status=YearStatus.OFFICIAL) | ~Q(source=""),
                name="workdays_official_year_has_source",
                violation_error_message=_("官方日历须注明依据（国务院办公厅通知文号）。"),
            ),
        ]

    def __str__(self):
        return f"{self.year}年（{self.get_status_display()}）"

    @property
    def is_official(self) -> bool:
        return self.status == YearStatus.OFFICIAL


class SpecialDay(models.Model):
    """A day that differs from Monday–Friday: a day off (休) or a make-up working day (班).

    A date has one meaning only (unique), and it belongs to the year it is filed under (checked in the
    database, so a bulk import cannot file 2027-01-01 under 2026).
    """

    calendar_year = models.ForeignKey(
        CalendarYear, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(
        _("日期"), unique=True, error_messages={"unique": _("该日期已在日历中，不能重复录入。")}
    )
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    # e.g. 春节, 国庆节, 元旦
    name = models.CharField(_("名称"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date__year=F("calendar_year")),
                name="workdays_day_in_its_year",
                violation_error_message=_("日期不在所属年度内。"),
            ),
            # A make-up working day is a Saturday (week_day 7) or a Sunday (week_day 1): on a weekday it would
            # mean nothing, and is almost always a mistyped date.
            models.CheckConstraint(
                condition=Q(kind=DayKind.HOLIDAY) | Q(date__week_day__in=[1, 7]),
                name="workdays_makeup_day_on_weekend",
                violation_error_message=_("调休上班日须为星期六或星期日。"),
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def clean(self):
        # The admin's inline form leaves the year out of constraint validation (it is not one of the form's
        # fields), so the same rule as the database check is stated here for a clear message.
        if (
            self.date is not None
            and self.calendar_year_id is not None
            and self.date.year != self.calendar_year_id
        ):
            raise ValidationError({"date": _("日期不在所属年度内。")})


class CalendarRevision(models.Model):
    """A single row whose token changes on every change of the calendar.

    Each process caches the calendar in memory and compares this token now and then
    (see ``huicai.workdays.calendar``), so a change made by one process is seen by all. A random token
    rather than a counter: a counter bumped in a transaction that is rolled back could be bumped again to
    the same number by a later change, and a process that had cached the rolled-back state would miss it.
    """

    token = models.CharField(_("版本"), max_length=32)
    changed_at = models.DateTimeField(_("变更时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("日历版本")
        verbose_name_plural = _("日历版本")

    def __str__(self):
        return self.token


class DeadlineQuerySet(models.QuerySet):
    def open(self):
        return self.filter(is_open=True)

    def touching_years(self, years):
        """Open or closed deadlines whose counted days (after the start, up to the due date) may fall in
        one of ``years``: only those can move when the calendar of those years changes."""
        condition = Q()
        for year in years:
            condition |= Q(
                start_date__lt=datetime.date(year, 12, 31), due_date__gte=datetime.date(year, 1, 1)
            )
        return self.filter(condition) if condition else self.none()


class Deadline(models.Model):
    """A limit of N working days from a start date (W9, W13), owned by whatever has to finish in time.

    The due date is always computed by ``huicai.workdays.actions`` from ``start_date`` and
    ``working_days`` (``calculate_due()`` is the one place): the day of acceptance is not counted, and the
    limit ends at the close of the N-th working day after it. A deadline whose count runs into a year that
    only has a provisional calendar is flagged ``is_provisional`` until that year becomes official; then
    it is recomputed and, if it moved, the change is recorded and the people responsible are told.
    """

    label = models.CharField(_("事项"), max_length=200)
    start_date = models.DateField(_("起算日期"))
    working_days = models.PositiveSmallIntegerField(_("时限（工作日）"))
    due_date = models.DateField(_("截止日期"))
    is_provisional = models.BooleanField(_("暂定"), default=False)
    is_open = models.BooleanField(_("未办结"), default=True)
    responsible = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("责任人"), blank=True, related_name="responsible_deadlines"
    )
    opened_at = models.DateTimeField(_("创建时间"))
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("办结时限")
        verbose_name_plural = _("办结时限")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["is_open", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__gte=1),
                name="workdays_deadline_at_least_one_day",
                violation_error_message=_("时限须至少为 1 个工作日。"),
            ),
            models.CheckConstraint(
                condition=Q(due_date__gt=F("start_date")),
                name="workdays_deadline_due_after_start",
                violation_error_message=_("截止日期须晚于起算日期。"),
            ),
            models.CheckConstraint(
                condition=Q(is_open=True, closed_at__isnull=True) | Q(is_open=False, closed_at__isnull=False),
                name="workdays_deadline_closed_has_time",
                violation_error_message=_("办结的时限须有办结时间，未办结的不能有。"),
            ),
        ]

    def __str__(self):
        suffix = _("（暂定）") if self.is_provisional else ""
        return f"{self.label}：{self.due_date:%Y-%m-%d}{suffix}"

    def calculate_due(self, cal=None):
        """The due date and whether it rests on a provisional year: the ONE place a deadline is computed
        (suspension periods, when they come, are applied here)."""
        # A real cycle: the calendar reads these models.
        from huicai.workdays import calendar

        cal = cal or calendar.get_calendar()
        return cal.add_working_days_with_basis(self.start_date, self.working_days)

    def is_overdue_on(self, today) -> bool:
        """Still open after the close of its due date."""
        return self.is_open and today > self.due_date


class DeadlineChange(models.Model):
    """One move of a deadline's due date: what it was, what it became, why, when and by whom (W13)."""

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("办结时限"), on_delete=models.CASCADE, related_name="changes"
    )
    old_due_date = models.DateField(_("原截止日期"))
    new_due_date = models.DateField(_("新截止日期"))
    is_provisional = models.BooleanField(_("新日期暂定"), default=False)
    reason = models.CharField(_("原因"), max_length=300)
    at = models.DateTimeField(_("时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deadline_changes",
    )

    class Meta:
        verbose_name = _("时限变更记录")
        verbose_name_plural = _("时限变更记录")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.deadline_id}: {self.old_due_date:%Y-%m-%d} → {self.new_due_date:%Y-%m-%d}"
