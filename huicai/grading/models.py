"""Evaluation and grading of the service windows (W17–W20) and the reports built on it (W17-3, W19).

A ``RubricVersion`` is the city's set of weighted indicators and grade thresholds. Versions are never
rewritten once an evaluation has used them: a change makes a new version, so every published grade can be
traced to the exact rules it was computed with.

An ``Evaluation`` grades every window for one period (a year, or a quarter as a preview) under one rubric
version; each ``WindowResult`` keeps the figures behind the score (numerator and denominator of every
indicator), the computed score, any manual adjustment with its reason, the rank among windows of the same
level and the grade. A window may object to its published yearly result (``Objection``); the city answers.
A 不达标 window's responsible person is interviewed (``Interview``, W20 约谈), explains at the joint meeting
and carries out a rectification plan with a working-day deadline.

A ``Report`` is drafted from an evaluation, edited by the city in sections, then issued: the PDF and the
Excel workbook are rendered once and kept with their SHA-256 checksums, never changed again.
"""

import hashlib
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huicai.core.models import Event
from huicai.grading.choices import (
    EvaluationStatus,
    Grade,
    GradingAction,
    InterviewAction,
    InterviewStatus,
    ObjectionStatus,
    PeriodKind,
    ReportAction,
    ReportKind,
    ReportStatus,
)

SCORE = {"max_digits": 5, "decimal_places": 2}


class RubricVersion(models.Model):
    """One version of the city's grading rubric (W17: 不断完善评估评价形式内容).

    ``weights`` maps indicator codes (``IndicatorCode``) to positive integer weights; an indicator left out
    does not count. Scores run 0–100; the grade is the highest whose threshold the score reaches, else 不达标.
    Immutable once an evaluation uses it (``update_rubric`` refuses; ``create_rubric`` makes the next one).
    """

    number = models.PositiveIntegerField(_("版本号"), unique=True)
    note = models.CharField(_("修订说明"), max_length=300, blank=True)
    weights = models.JSONField(_("指标权重"), default=dict)
    excellent_min = models.DecimalField(_("优秀分数线"), **SCORE)
    good_min = models.DecimalField(_("良好分数线"), **SCORE)
    pass_min = models.DecimalField(_("达标分数线"), **SCORE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("制定人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("制定时间"))
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("评估指标体系版本")
        verbose_name_plural = _("评估指标体系版本")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(excellent_min__lte=100)
                & Q(excellent_min__gt=models.F("good_min"))
                & Q(good_min__gt=models.F("pass_min"))
                & Q(pass_min__gte=0),
                name="rubric_thresholds_ordered",
                violation_error_message=_("分数线须满足：100 ≥ 优秀 > 良好 > 达标 ≥ 0。"),
            )
        ]

    def __str__(self):
        return _("评估指标体系第 %(number)s 版") % {"number": self.number}

    def get_absolute_url(self):
        return reverse("grading:rubrics")

    def grade_for(self, score: Decimal | None) -> str:
        """The grade a final score earns under this version; no score (no data at all) earns none."""
        if score is None:
            return ""
        if score >= self.excellent_min:
            return Grade.EXCELLENT
        if score >= self.good_min:
            return Grade.GOOD
        if score >= self.pass_min:
            return Grade.PASS
        return Grade.FAIL


class EvaluationQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.grading.access import evaluations_visible_to

        return evaluations_visible_to(self, user)


class Evaluation(models.Model):
    """The grading of every window for one period under one rubric version (W17–W20).

    A yearly evaluation is the one that counts (grades, objections, 约谈); a quarterly one is a preview for
    the periodic reports (W19). A draft may be recomputed and adjusted; once published it is the record.
    """

    kind = models.CharField(_("类型"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), default=0, help_text=_("年度评估为 0。"))
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("截止日期（不含）"))
    rubric = models.ForeignKey(
        RubricVersion, verbose_name=_("指标体系版本"), on_delete=models.PROTECT, related_name="evaluations"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    computed_at = models.DateTimeField(_("测算时间"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("测算人"), on_delete=models.PROTECT, related_name="+"
    )
    compute_seconds = models.FloatField(_("测算耗时（秒）"), default=0)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    objection_due_date = models.DateField(_("异议截止日期"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("窗口评估")
        verbose_name_plural = _("窗口评估")
        ordering = ["-year", "-quarter", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "quarter"],
                name="one_evaluation_per_period",
                violation_error_message=_("该期评估已经存在。"),
            ),
            models.CheckConstraint(
                condition=Q(kind=PeriodKind.YEAR, quarter=0)
                | Q(kind=PeriodKind.QUARTER, quarter__gte=1, quarter__lte=4),
                name="evaluation_quarter_matches_kind",
                violation_error_message=_("年度评估不填季度；季度评估的季度为 1–4。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=EvaluationStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="published_evaluation_has_time",
                violation_error_message=_("已公布的评估须有公布时间。"),
            ),
        ]

    def __str__(self):
        return self.period_label

    def get_absolute_url(self):
        return reverse("grading:evaluation", args=[self.pk])

    @property
    def period_label(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return _("%(year)s 年度评估") % {"year": self.year}
        return _("%(year)s 年第 %(quarter)s 季度预评估") % {"year": self.year, "quarter": self.quarter}

    @property
    def is_published(self) -> bool:
        return self.status == EvaluationStatus.PUBLISHED


class WindowResultQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.grading.access import results_visible_to

        return results_visible_to(self, user)

    def in_rank_order(self):
        return self.order_by("window__level", models.F("rank").asc(nulls_last=True), "window__path")


class WindowResult(models.Model):
    """One window's result in one evaluation: the figures, the score, the rank among its level, the grade.

    ``figures`` keeps, per indicator code, ``{"numerator", "denominator", "value", "score"}`` as computed
    (value a decimal string 0–1 or None for 暂无数据), so the page, the report and the drill-down all show the
    same numbers. ``score`` is the final score: the adjusted one where the city adjusted it (with a reason,
    audited), else the computed one.
    """

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("评估"), on_delete=models.CASCADE, related_name="results"
    )
    window = models.ForeignKey(
        "org.Window", verbose_name=_("服务窗口"), on_delete=models.PROTECT, related_name="grading_results"
    )
    figures = models.JSONField(_("指标数据"), default=dict)
    computed_score = models.DecimalField(_("测算得分"), null=True, blank=True, **SCORE)
    adjusted_score = models.DecimalField(_("调整后得分"), null=True, blank=True, **SCORE)
    adjustment_reason = models.TextField(_("调整理由"), blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    adjusted_at = models.DateTimeField(_("调整时间"), null=True, blank=True)
    score = models.DecimalField(_("最终得分"), null=True, blank=True, **SCORE)
    rank = models.PositiveSmallIntegerField(_("同级排名"), null=True, blank=True)
    rank_of = models.PositiveSmallIntegerField(_("同级窗口数"), default=0)
    grade = models.CharField(_("等级"), max_length=10, choices=Grade.choices, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = WindowResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("窗口评估结果")
        verbose_name_plural = _("窗口评估结果")
        ordering = ["evaluation", "window__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "window"],
                name="one_result_per_window_and_evaluation",
                violation_error_message=_("该窗口在本期评估中已有结果。"),
            ),
            models.CheckConstraint(
                condition=Q(adjusted_score__isnull=True) | ~Q(adjustment_reason=""),
                name="adjusted_result_has_reason",
                violation_error_message=_("人工调整得分须填写理由。"),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="result_score_in_range",
                violation_error_message=_("得分须在 0 到 100 之间。"),
            ),
        ]

    def __str__(self):
        return f"{self.window} · {self.evaluation}"

    def get_absolute_url(self):
        return reverse("grading:result", args=[self.pk])

    @property
    def is_adjusted(self) -> bool:
        return self.adjusted_score is not None


class GradingEvent(Event):
    """One step of an evaluation or of one window's result: computed, adjusted, published, objected,
    answered. Adjustments keep the old and new score and the reason here, besides the audit log."""

    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("评估"), on_delete=models.CASCADE, related_name="events"
    )
    result = models.ForeignKey(
        WindowResult,
        verbose_name=_("窗口结果"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    action = models.CharField(_("操作"), max_length=20, choices=GradingAction.choices)
    data = models.JSONField(_("附加信息"), default=dict, blank=True)

    class Meta:
        verbose_name = _("评估记录")
        verbose_name_plural = _("评估记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.evaluation_id} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class ObjectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.grading.access import objections_visible_to

        return objections_visible_to(self, user)


class Objection(models.Model):
    """A window's objection to its published yearly result, answered by the city (W17–W20).

    One open objection per result at a time (partial unique constraint), so two managers filing at once
    cannot both succeed. An upheld objection may change the score in the same action.
    """

    result = models.ForeignKey(
        WindowResult, verbose_name=_("评估结果"), on_delete=models.PROTECT, related_name="objections"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.FILED
    )
    reason = models.TextField(_("异议理由"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("提出时间"))
    answer = models.TextField(_("答复意见"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = ObjectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("评估异议")
        verbose_name_plural = _("评估异议")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["result"],
                condition=Q(status=ObjectionStatus.FILED),
                name="one_open_objection_per_result",
                violation_error_message=_("该评估结果已有待答复的异议。"),
            ),
            models.CheckConstraint(
                condition=Q(status=ObjectionStatus.FILED) | ~Q(answer="") & Q(answered_at__isnull=False),
                name="answered_objection_has_answer",
                violation_error_message=_("答复异议须填写答复意见。"),
            ),
        ]

    def __str__(self):
        return f"{self.result} · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("grading:result", args=[self.result_id])


class InterviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.grading.access import interviews_visible_to

        return interviews_visible_to(self, user)


class Interview(models.Model):
    """W20 约谈: what a 不达标 grade sets in motion for the window's responsible person.

    The city records the talk; the responsible person explains at the joint meeting (联席会议) and the city
    records the explanation; the window submits a rectification plan whose deadline is counted in working
    days; the city closes it when the rectification is verified. A job reminds before the deadline and
    flags an overdue plan once.
    """

    result = models.OneToOneField(
        WindowResult, verbose_name=_("评估结果"), on_delete=models.PROTECT, related_name="interview"
    )
    window = models.ForeignKey(
        "org.Window", verbose_name=_("服务窗口"), on_delete=models.PROTECT, related_name="grading_interviews"
    )
    responsible_post = models.ForeignKey(
        "commissioners.Post",
        verbose_name=_("约谈对象（窗口负责人）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grading_interviews",
        help_text=_("启动约谈时该窗口的负责人岗位；未设负责人时为空。"),
    )
    responsible_name = models.CharField(_("约谈对象姓名"), max_length=150, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=InterviewStatus.choices, default=InterviewStatus.OPEN
    )
    opened_at = models.DateTimeField(_("启动时间"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("启动人"), on_delete=models.PROTECT, related_name="+"
    )
    talk_date = models.DateField(_("约谈日期"), null=True, blank=True)
    talk_participants = models.CharField(_("参加人员"), max_length=300, blank=True)
    talk_record = models.TextField(_("约谈记录"), blank=True)
    meeting_date = models.DateField(_("联席会议日期"), null=True, blank=True)
    meeting_explanation = models.TextField(_("联席会议说明"), blank=True)
    plan = models.TextField(_("整改方案"), blank=True)
    plan_days = models.PositiveSmallIntegerField(_("整改期限（工作日）"), null=True, blank=True)
    plan_due_date = models.DateField(_("整改截止日期"), null=True, blank=True)
    plan_submitted_at = models.DateTimeField(_("方案提交时间"), null=True, blank=True)
    close_note = models.TextField(_("销号意见"), blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("到期提醒时间"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("逾期提示时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("约谈")
        verbose_name_plural = _("约谈")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["status", "plan_due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=InterviewStatus.OPEN) | ~Q(talk_record="") & Q(talk_date__isnull=False),
                name="talked_interview_has_record",
                violation_error_message=_("约谈须记录日期和约谈情况。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[InterviewStatus.RECTIFYING, InterviewStatus.CLOSED])
                | ~Q(plan="") & Q(plan_due_date__isnull=False),
                name="rectifying_interview_has_plan",
                violation_error_message=_("整改须有整改方案和截止日期。"),
            ),
        ]

    def __str__(self):
        return _("约谈：%(window)s") % {"window": self.window}

    def get_absolute_url(self):
        return reverse("grading:interview", args=[self.pk])

    def is_overdue_on(self, today) -> bool:
        return self.status == InterviewStatus.RECTIFYING and today > self.plan_due_date


class InterviewEvent(Event):
    """One step of a 约谈; ``by`` is empty for the job's reminders and overdue flags."""

    interview = models.ForeignKey(
        Interview, verbose_name=_("约谈"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=InterviewAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("约谈记录")
        verbose_name_plural = _("约谈记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.interview_id} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.grading.access import reports_visible_to

        return reports_visible_to(self, user)


# The editable sections of a report, in order: (field name, heading).
REPORT_SECTIONS = (
    ("progress", _("一、工作推进情况")),
    ("results", _("二、评估评价结果")),
    ("suggestions", _("三、整改意见建议")),
    ("use_of_results", _("四、结果使用建议")),
)


class Report(models.Model):
    """The report to the leading group office (W17-3 yearly, W19 periodic), drafted from an evaluation.

    The city edits the text sections while it is a draft; issuing renders the PDF and the workbook once and
    keeps their bytes and SHA-256 checksums. An issued report never changes (actions refuse, the admin is
    read-only), and a download is refused if its bytes no longer match the checksum.
    """

    kind = models.CharField(_("类型"), max_length=10, choices=ReportKind.choices)
    evaluation = models.ForeignKey(
        Evaluation, verbose_name=_("所依据的评估"), on_delete=models.PROTECT, related_name="reports"
    )
    title = models.CharField(_("标题"), max_length=200)
    addressee = models.CharField(_("报送单位"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    progress = models.TextField(_("工作推进情况"), blank=True)
    results = models.TextField(_("评估评价结果"), blank=True)
    suggestions = models.TextField(_("整改意见建议"), blank=True)
    use_of_results = models.TextField(_("结果使用建议"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("起草时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    pdf = models.BinaryField(_("PDF 文件"), null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(_("PDF 校验值"), max_length=64, blank=True)
    xlsx = models.BinaryField(_("Excel 文件"), null=True, blank=True, editable=False)
    xlsx_sha256 = models.CharField(_("Excel 校验值"), max_length=64, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("评估报告")
        verbose_name_plural = _("评估报告")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ReportStatus.DRAFT)
                | Q(issued_at__isnull=False) & ~Q(pdf_sha256="") & ~Q(xlsx_sha256=""),
                name="issued_report_has_files",
                violation_error_message=_("印发的报告须有文件及校验值。"),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("grading:report", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status == ReportStatus.ISSUED

    def sections(self) -> list[tuple[str, str, str]]:
        return [(name, str(heading), getattr(self, name)) for name, heading in REPORT_SECTIONS]

    def file_intact(self, kind: str) -> bool:
        """The kept bytes still hash to the checksum taken when the report was issued."""
        body = bytes(getattr(self, kind) or b"")
        return bool(body) and hashlib.sha256(body).hexdigest() == getattr(self, f"{kind}_sha256")


class ReportEvent(Event):
    report = models.ForeignKey(
        Report, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=ReportAction.choices)

    class Meta:
        verbose_name = _("报告记录")
        verbose_name_plural = _("报告记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.report_id} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
