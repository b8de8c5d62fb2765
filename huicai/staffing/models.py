"""Commissioner management (S19–S22): the registry's change records, training, the daily assessment's
scorecards with their versioned weights, and the year's commendation lists and accountability notices.

Every row hangs off a commissioner post (``commissioners.Post``) and the window whose registry it belongs to
(``registry_window``); ``visible_to`` on each queryset is the one door, built in ``access.py``.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huicai.core.models import Event
from huicai.org.choices import WindowLevel
from huicai.org.models import Window
from huicai.staffing.choices import (
    ChangeAction,
    ChangeKind,
    ChangeStatus,
    Component,
    ListAction,
    ListStatus,
    NoticeAction,
    NoticeStatus,
    Period,
)


def registry_window(post):
    """The window whose registry keeps ``post`` (S19 本级服务窗口): a window post's own window, a unit post's
    employer's window, and for a department or an institution the county (or city) window of its division."""
    if post.window_id:
        return post.window
    if post.employer_id:
        return post.employer.window
    org = post.department if post.department_id else post.undertaking_org
    return (
        Window.objects.filter(division_id=org.division_id, level__in=[WindowLevel.CITY, WindowLevel.COUNTY])
        .order_by("path")
        .first()
    )


def period_bounds(period, start: datetime.date) -> tuple[datetime.date, datetime.date]:
    """[start, end) of a month or a year beginning at ``start``."""
    if period == Period.YEAR:
        return start, datetime.date(start.year + 1, 1, 1)
    if start.month == 12:
        return start, datetime.date(start.year + 1, 1, 1)
    return start, datetime.date(start.year, start.month + 1, 1)


def _scoped(queryset, user, function_name):
    # A real cycle: access.py builds on these models.
    from huicai.staffing import access

    return getattr(access, function_name)(queryset, user)


# ---------------------------------------------------------------------------------------------------------
# S19: change records


class ChangeRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _scoped(self, user, "change_records_visible_to")

    def overdue_on(self, today):
        return self.filter(status=ChangeStatus.PENDING, deadline__due_date__lt=today)


class ChangeRecord(models.Model):
    """S19: a change of the commissioner registry (appointment, departure, transfer, change of contact), to
    be filed with the registry's window within 7 working days of the change.

    Made from the commissioners app's ``PostEvent`` rows by ``collect_post_changes`` (one record per event,
    guarded by the unique ``post_event``; a registry correction of contact details writes a
    ``contact_changed`` event too), or filed directly by the unit or department (a change of contact the
    registry does not hold; a same-day registry event joins that record rather than duplicating it). The clock is a ``workdays.Deadline`` from the change date, so a correction
    of the official calendar moves it like any other limit. A record is filed by the organisation (or
    acknowledged by the window, which then counts as the filing), and the window's acknowledgement closes
    it; ``filed_at`` against the due date says whether the filing was on time.
    """

    window = models.ForeignKey(
        "org.Window", verbose_name=_("备案窗口"), on_delete=models.PROTECT, related_name="staffing_changes"
    )
    post = models.ForeignKey(
        "commissioners.Post",
        verbose_name=_("专员岗位"),
        on_delete=models.PROTECT,
        related_name="change_records",
    )
    kind = models.CharField(_("变更类别"), max_length=20, choices=ChangeKind.choices)
    post_event = models.OneToOneField(
        "commissioners.PostEvent",
        verbose_name=_("岗位记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_record",
    )
    change_date = models.DateField(_("变更日期"))
    description = models.CharField(_("变更内容"), max_length=300)
    deadline = models.OneToOneField(
        "workdays.Deadline",
        verbose_name=_("报备时限"),
        on_delete=models.PROTECT,
        related_name="change_record",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报备人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("报备时间"), null=True, blank=True)
    filing_note = models.CharField(_("报备说明"), max_length=500, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("临期提醒时间"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("逾期提示时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("专员变更备案")
        verbose_name_plural = _("专员变更备案")
        ordering = ["-change_date", "-id"]
        indexes = [models.Index(fields=["window", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ChangeStatus.PENDING, filed_at__isnull=True)
                | ~Q(status=ChangeStatus.PENDING) & Q(filed_at__isnull=False),
                name="staffing_change_filed_has_time",
                violation_error_message=_("已报备的变更须有报备时间，待报备的不能有。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=ChangeStatus.ACKNOWLEDGED) | Q(acknowledged_at__isnull=False),
                name="staffing_change_acknowledged_has_time",
                violation_error_message=_("已备案的变更须有确认时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.description}"

    def get_absolute_url(self):
        return reverse("staffing:change", args=[self.pk])

    @property
    def due_date(self):
        return self.deadline.due_date

    def is_overdue_on(self, today) -> bool:
        """Not filed after the close of the 7th working day."""
        return self.status == ChangeStatus.PENDING and today > self.deadline.due_date

    @property
    def filed_on_time(self):
        """True/False once filed; None while pending."""
        if self.filed_at is None:
            return None
        return timezone.localdate(self.filed_at) <= self.deadline.due_date


class ChangeRecordEvent(Event):
    record = models.ForeignKey(
        ChangeRecord, verbose_name=_("变更备案"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=ChangeAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("系统自动操作为空。"),
    )

    class Meta(Event.Meta):
        verbose_name = _("变更备案记录")
        verbose_name_plural = _("变更备案记录")


# ---------------------------------------------------------------------------------------------------------
# S20: training


class TrainingSessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _scoped(self, user, "sessions_visible_to")


class TrainingSession(models.Model):
    """S20: one training session a window organises for the commissioners of its registry."""

    window = models.ForeignKey(
        "org.Window", verbose_name=_("组织窗口"), on_delete=models.PROTECT, related_name="training_sessions"
    )
    topic = models.CharField(_("培训主题"), max_length=200)
    session_date = models.DateField(_("培训日期"))
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1)
    organiser = models.CharField(_("组织单位"), max_length=100)
    description = models.TextField(_("内容简介"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"))

    objects = TrainingSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-session_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=40),
                name="staffing_training_hours_in_range",
                violation_error_message=_("学时须大于 0 且不超过 40。"),
            ),
        ]

    def __str__(self):
        return f"{self.session_date:%Y-%m-%d} {self.topic}"

    def get_absolute_url(self):
        return reverse("staffing:session", args=[self.pk])


def material_path(instance, filename):
    # Never the uploaded name: a random name under a date folder, outside the web root (MEDIA_ROOT).
    return f"training/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class TrainingMaterial(models.Model):
    """A file of a training session, checked by content on upload and served only through the session's
    permission check."""

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("培训"), on_delete=models.CASCADE, related_name="materials"
    )
    file = models.FileField(_("文件"), upload_to=material_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=120)
    content_type = models.CharField(_("文件类型"), max_length=60)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("培训材料")
        verbose_name_plural = _("培训材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("staffing:material", args=[self.pk])


class TrainingAttendance(models.Model):
    """S20: a commissioner (post) attended a session; the hours are the session's, counted in the year of
    the session's date."""

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("培训"), on_delete=models.PROTECT, related_name="attendances"
    )
    post = models.ForeignKey(
        "commissioners.Post",
        verbose_name=_("专员岗位"),
        on_delete=models.PROTECT,
        related_name="training_attendances",
    )
    hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("培训签到")
        verbose_name_plural = _("培训签到")
        ordering = ["session", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "post"],
                name="staffing_one_attendance_per_session",
                violation_error_message=_("该专员已登记参加此次培训。"),
            ),
        ]

    def __str__(self):
        return f"{self.post} @ {self.session}"


# ---------------------------------------------------------------------------------------------------------
# S21: the daily assessment


class WeightsVersion(models.Model):
    """S21: the weights of the scorecard's components, in percent, summing to 100.

    A version is immutable once a scorecard has used it (the scorecard must stay explicable by the weights
    it was computed with); a change of weights is a new version, which later scorecards use.
    """

    number = models.PositiveIntegerField(_("版本号"), unique=True)
    steps = models.PositiveSmallIntegerField(Component.STEPS.label)
    supplements = models.PositiveSmallIntegerField(Component.SUPPLEMENTS.label)
    ratings = models.PositiveSmallIntegerField(Component.RATINGS.label)
    filings = models.PositiveSmallIntegerField(Component.FILINGS.label)
    training = models.PositiveSmallIntegerField(Component.TRAINING.label)
    rectifications = models.PositiveSmallIntegerField(Component.RECTIFICATIONS.label)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("制定人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("制定时间"))

    class Meta:
        verbose_name = _("考核权重版本")
        verbose_name_plural = _("考核权重版本")
        ordering = ["-number"]
        constraints = [
            # The weights are percentages of one whole.
            models.CheckConstraint(
                condition=Exact(
                    F("steps")
                    + F("supplements")
                    + F("ratings")
                    + F("filings")
                    + F("training")
                    + F("rectifications"),
                    100,
                ),
                name="staffing_weights_sum_to_100",
                violation_error_message=_("各项权重之和须为 100。"),
            ),
        ]

    def __str__(self):
        return _("第 %(number)s 版") % {"number": self.number}

    def weight_of(self, component) -> int:
        return getattr(self, str(component))

    @property
    def total(self) -> int:
        return sum(self.weight_of(c) for c in Component.values)


class ScorecardQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _scoped(self, user, "scorecards_visible_to")


class Scorecard(models.Model):
    """S21: one commissioner post's assessment for a month or a year, computed from the data.

    ``figures`` keeps, per component, what was counted (``done``, ``of``), the score (0–100, or null for
    暂无数据) and the weight; ``total`` is the weighted mean over the components with data. The rows behind
    each figure are listed by ``huicai.staffing.scoring`` from the same queries.
    """

    post = models.ForeignKey(
        "commissioners.Post", verbose_name=_("专员岗位"), on_delete=models.PROTECT, related_name="scorecards"
    )
    window = models.ForeignKey(
        "org.Window", verbose_name=_("考核窗口"), on_delete=models.PROTECT, related_name="scorecards"
    )
    period = models.CharField(_("周期"), max_length=10, choices=Period.choices)
    period_start = models.DateField(_("周期起始"))
    weights = models.ForeignKey(
        WeightsVersion, verbose_name=_("权重版本"), on_delete=models.PROTECT, related_name="scorecards"
    )
    figures = models.JSONField(_("指标"), default=dict)
    total = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=1, null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"))

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        verbose_name = _("专员考核")
        verbose_name_plural = _("专员考核")
        ordering = ["-period_start", "-total", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "period", "period_start"],
                name="staffing_one_scorecard_per_period",
                violation_error_message=_("该专员此周期的考核已经生成。"),
            ),
        ]

    def __str__(self):
        return f"{self.post.user} · {self.period_label}"

    def get_absolute_url(self):
        return reverse("staffing:scorecard", args=[self.pk])

    @property
    def period_label(self) -> str:
        if self.period == Period.YEAR:
            return _("%(year)s 年度") % {"year": self.period_start.year}
        return f"{self.period_start:%Y-%m}"

    @property
    def bounds(self):
        return period_bounds(self.period, self.period_start)

    def rows(self) -> list[dict]:
        """The figures in the components' order, with their labels, for the pages."""
        rows = []
        for component in Component:
            figure = self.figures.get(component.value, {})
            rows.append({"component": component.value, "label": component.label, **figure})
        return rows


# ---------------------------------------------------------------------------------------------------------
# S22: commendation and accountability


class CommendationListQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _scoped(self, user, "commendations_visible_to")


class CommendationList(models.Model):
    """S22: the commissioners a window proposes to commend for a year (通报表扬), drafted from the year's
    scorecards and decided by the window's manager."""

    window = models.ForeignKey(
        "org.Window", verbose_name=_("窗口"), on_delete=models.PROTECT, related_name="commendation_lists"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    status = models.CharField(_("状态"), max_length=20, choices=ListStatus.choices, default=ListStatus.DRAFT)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("起草时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decision_note = models.TextField(_("决定意见"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = CommendationListQuerySet.as_manager()

    class Meta:
        verbose_name = _("表扬名单")
        verbose_name_plural = _("表扬名单")
        ordering = ["-year", "window__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["window", "year"],
                name="staffing_one_commendation_list_per_year",
                violation_error_message=_("该窗口本年度的表扬名单已经起草。"),
            ),
        ]

    def __str__(self):
        return f"{self.window} {self.year} 年度表扬名单"

    def get_absolute_url(self):
        return reverse("staffing:commendation", args=[self.pk])


class CommendationEntry(models.Model):
    commendation = models.ForeignKey(
        CommendationList, verbose_name=_("表扬名单"), on_delete=models.CASCADE, related_name="entries"
    )
    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("年度考核"), on_delete=models.PROTECT, related_name="commendations"
    )
    rank = models.PositiveSmallIntegerField(_("名次"))

    class Meta:
        verbose_name = _("表扬名单条目")
        verbose_name_plural = _("表扬名单条目")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["commendation", "scorecard"], name="staffing_commend_once"),
        ]

    def __str__(self):
        return f"{self.rank}. {self.scorecard}"


class CommendationEvent(Event):
    commendation = models.ForeignKey(
        CommendationList, verbose_name=_("表扬名单"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=ListAction.choices)

    class Meta(Event.Meta):
        verbose_name = _("表扬名单记录")
        verbose_name_plural = _("表扬名单记录")


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return _scoped(self, user, "notices_visible_to")


class AccountabilityNotice(models.Model):
    """S22: a window's notice (通报) to a commissioner's unit about service not up to standard, with the
    约谈 records, the commissioner's response and the decision, each with who and when."""

    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("通报窗口"),
        on_delete=models.PROTECT,
        related_name="accountability_notices",
    )
    post = models.ForeignKey(
        "commissioners.Post",
        verbose_name=_("专员岗位"),
        on_delete=models.PROTECT,
        related_name="accountability_notices",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    scorecard = models.ForeignKey(
        Scorecard,
        verbose_name=_("年度考核"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notices",
    )
    reason = models.TextField(_("通报事由"))
    status = models.CharField(
        _("状态"), max_length=20, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("起草时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("通报人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("通报时间"), null=True, blank=True)
    response = models.TextField(_("专员回复"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    decision = models.TextField(_("处理决定"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("问责通报")
        verbose_name_plural = _("问责通报")
        ordering = ["-drafted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=NoticeStatus.DECIDED) | Q(decided_at__isnull=False) & ~Q(decision=""),
                name="staffing_decided_notice_has_decision",
                violation_error_message=_("作出处理决定的通报须有决定内容和时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.year} 年度通报 · {self.post.user}"

    def get_absolute_url(self):
        return reverse("staffing:notice", args=[self.pk])


class Interview(models.Model):
    """S22: one 约谈: who talked with whom, when, what was said and what the commissioner committed to."""

    notice = models.ForeignKey(
        AccountabilityNotice, verbose_name=_("问责通报"), on_delete=models.PROTECT, related_name="interviews"
    )
    held_at = models.DateTimeField(_("约谈时间"))
    interviewers = models.CharField(_("约谈人"), max_length=200)
    interviewees = models.CharField(_("被约谈人"), max_length=200)
    content = models.TextField(_("谈话内容"))
    commitment = models.TextField(_("整改承诺"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("约谈记录")
        verbose_name_plural = _("约谈记录")
        ordering = ["held_at", "id"]

    def __str__(self):
        return f"{self.held_at:%Y-%m-%d} {self.interviewees}"


class NoticeEvent(Event):
    notice = models.ForeignKey(
        AccountabilityNotice, verbose_name=_("问责通报"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=NoticeAction.choices)

    class Meta(Event.Meta):
        verbose_name = _("问责通报记录")
        verbose_name_plural = _("问责通报记录")
