"""好差评 and rectification (W10), and the recurrence check that keeps a problem from coming back (W9).

A ``Rating`` is a talent's verdict on one finished service: a completed casework ``Task`` or a recorded
``DirectService``. It rates the competent department and the commissioner who did the work, on five levels
per indicator of GB/T 39734-2020, given by the talent on the platform, by the unit commissioner recording the
talent's answer, or by a hotline. The database holds the rules that must never be broken: one service per
rating, one rating per service and rater source, the indicators that belong to the service's mode.

A bad overall level opens a ``Rectification`` (整改) for the rated department, one per service: the
department verifies and answers (or appeals), the talent's home window calls the talent back (回访) or rules
on the appeal. Every step is one action in ``actions.py`` that writes a ``RectificationEvent``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huicai.core.models import Event
from huicai.ratings.choices import (
    ALL_INDICATORS,
    BAD_LEVELS,
    INDICATORS,
    CallbackResult,
    Channel,
    Hotline,
    Indicator,
    Level,
    Mode,
    RectificationAction,
    RectificationStatus,
    ResponseKind,
    Ruling,
)


def _level_field(label, **extra):
    return models.PositiveSmallIntegerField(label, choices=Level.choices, **extra)


def _indicator_rules():
    """Check constraints: the indicators of the rating's mode are all given, the others are all empty;
    a hotline rating carries the overall level only; every level given lies between 1 and 5."""
    rules = []
    for mode, wanted in INDICATORS.items():
        given = {f"{name}__isnull": False for name in wanted}
        empty = {f"{name}__isnull": True for name in ALL_INDICATORS if name not in wanted}
        rules.append(Q(mode=mode, **given, **empty))
    hotline_empty = {f"{name}__isnull": True for name in ALL_INDICATORS if name != Indicator.OVERALL}
    rules.append(Q(channel=Channel.HOTLINE, mode="", **hotline_empty))
    combined = rules[0]
    for rule in rules[1:]:
        combined |= rule
    constraints = [
        models.CheckConstraint(
            condition=combined,
            name="rating_indicators_match_mode",
            violation_error_message=_("评价指标与服务方式不符：请按线下或线上服务的指标逐项评价。"),
        )
    ]
    for name in ALL_INDICATORS:
        in_range = Q(**{f"{name}__gte": Level.VERY_DISSATISFIED, f"{name}__lte": Level.VERY_SATISFIED})
        if name != Indicator.OVERALL:
            in_range |= Q(**{f"{name}__isnull": True})
        constraints.append(
            models.CheckConstraint(
                condition=in_range,
                name=f"rating_{name}_in_range",
                violation_error_message=_("评价等级须为非常满意、满意、基本满意、不满意或非常不满意。"),
            )
        )
    return constraints


class RatingQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.ratings.access import ratings_visible_to

        return ratings_visible_to(self, user)

    def counted(self):
        """The ratings that count in statistics: not excluded by an upheld appeal (W10)."""
        return self.filter(excluded_at__isnull=True)

    def bad(self):
        return self.filter(overall__in=BAD_LEVELS)


class Rating(models.Model):
    """One rating of one finished service (W10 好差评) by one rater source.

    The rated department and commissioner are copied from the service when the rating is given, so the
    record keeps whom it judged even if the item or the post changes later.
    """

    task = models.ForeignKey(
        "casework.Task",
        verbose_name=_("办理任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    direct_service = models.ForeignKey(
        "directservices.DirectService",
        verbose_name=_("直接服务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="ratings"
    )
    service_item = models.ForeignKey(
        "catalogue.ServiceItem",
        verbose_name=_("服务事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("热线转办且未匹配事项的任务为空。"),
    )
    service_name = models.CharField(_("服务名称"), max_length=100)
    department = models.ForeignKey(
        "org.Department", verbose_name=_("被评价部门"), on_delete=models.PROTECT, related_name="ratings"
    )
    rated_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("被评价专员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ratings_received",
    )
    completed_at = models.DateTimeField(_("办结或服务时间"))
    channel = models.CharField(_("评价渠道"), max_length=20, choices=Channel.choices)
    hotline = models.CharField(_("热线"), max_length=20, choices=Hotline.choices, blank=True)
    external_ref = models.CharField(_("热线工单号"), max_length=64, blank=True)
    mode = models.CharField(_("服务方式"), max_length=10, choices=Mode.choices, blank=True)
    overall = _level_field(_("总体评价"))
    efficiency = _level_field(_("办事效率"), null=True, blank=True)
    service_level = _level_field(_("服务水平"), null=True, blank=True)
    attitude = _level_field(_("服务态度"), null=True, blank=True)
    guide_accuracy = _level_field(_("办事指南准确性"), null=True, blank=True)
    convenience = _level_field(_("办理便捷性"), null=True, blank=True)
    ease_of_use = _level_field(_("平台易用性"), null=True, blank=True)
    comment = models.TextField(_("评价意见"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("热线评价为空。"),
    )
    rated_at = models.DateTimeField(_("评价时间"))
    rectification = models.ForeignKey(
        "ratings.Rectification",
        verbose_name=_("整改"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratings",
    )
    excluded_at = models.DateTimeField(_("不计入统计时间"), null=True, blank=True)
    excluded_reason = models.CharField(_("不计入统计原因"), max_length=300, blank=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务评价")
        verbose_name_plural = _("服务评价")
        ordering = ["-rated_at", "-id"]
        indexes = [
            models.Index(fields=["department", "rated_at"]),
            models.Index(fields=["talent", "rated_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=False, direct_service__isnull=True)
                | Q(task__isnull=True, direct_service__isnull=False),
                name="rating_of_one_service",
                violation_error_message=_("一条评价只能对应一项办理任务或一次直接服务。"),
            ),
            models.UniqueConstraint(
                fields=["task", "channel"],
                condition=Q(task__isnull=False),
                name="one_rating_per_task_and_channel",
                violation_error_message=_("该服务已通过此渠道评价，不能重复评价。"),
            ),
            models.UniqueConstraint(
                fields=["direct_service", "channel"],
                condition=Q(direct_service__isnull=False),
                name="one_rating_per_direct_service_and_channel",
                violation_error_message=_("该服务已通过此渠道评价，不能重复评价。"),
            ),
            models.CheckConstraint(
                condition=Q(channel=Channel.HOTLINE, rated_by__isnull=True)
                & ~Q(hotline="")
                & ~Q(external_ref="")
                | ~Q(channel=Channel.HOTLINE) & Q(rated_by__isnull=False, hotline="", external_ref=""),
                name="rating_rater_matches_channel",
                violation_error_message=_("热线评价须有热线和工单号；平台评价须记录评价人。"),
            ),
            models.UniqueConstraint(
                fields=["hotline", "external_ref"],
                condition=~Q(external_ref=""),
                name="one_rating_per_hotline_order",
                violation_error_message=_("该热线工单的评价已经登记。"),
            ),
            *_indicator_rules(),
        ]

    def __str__(self):
        return f"{self.service_name} · {self.get_overall_display()} · {self.get_channel_display()}"

    @property
    def is_bad(self) -> bool:
        return self.overall in BAD_LEVELS

    @property
    def is_counted(self) -> bool:
        return self.excluded_at is None

    @property
    def service_number(self) -> str:
        """The task number, or the date of the direct service: how staff find the service."""
        if self.task_id:
            return self.task.number
        return _("直接服务 %(date)s") % {"date": f"{timezone.localtime(self.completed_at):%Y-%m-%d}"}

    def scores(self) -> list[tuple[str, int, str]]:
        """(indicator label, level, level label) of every indicator given, in the standard's order."""
        rows = []
        for name in INDICATORS.get(self.mode, (Indicator.OVERALL,)):
            value = getattr(self, name)
            if value is not None:
                rows.append((Indicator(name).label, value, Level(value).label))
        return rows


class RectificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.ratings.access import rectifications_visible_to

        return rectifications_visible_to(self, user)


class Rectification(models.Model):
    """整改 (W10): what a bad rating sets in motion for the rated department, one per rated service.

    The department verifies and answers within ``due_date`` (HUICAI_RECTIFICATION_DAYS working days) with
    an immediate fix, a fix by a date, or an explanation; or appeals a mistaken or malicious rating. The
    talent's home window calls the talent back and records the answer, or rules on the appeal. A talent
    still not satisfied sends it back to the department for another round. ``is_recurrence`` marks a
    second bad rating of the same item and department within HUICAI_RECURRENCE_MONTHS (W9 杜绝同样问题).
    """

    rating = models.OneToOneField(
        Rating,
        verbose_name=_("引发整改的评价"),
        on_delete=models.PROTECT,
        related_name="opened_rectification",
    )
    task = models.ForeignKey(
        "casework.Task",
        verbose_name=_("办理任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    direct_service = models.ForeignKey(
        "directservices.DirectService",
        verbose_name=_("直接服务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
    )
    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="rectifications"
    )
    service_item = models.ForeignKey(
        "catalogue.ServiceItem",
        verbose_name=_("服务事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service_name = models.CharField(_("服务名称"), max_length=100)
    department = models.ForeignKey(
        "org.Department", verbose_name=_("整改部门"), on_delete=models.PROTECT, related_name="rectifications"
    )
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("回访窗口"),
        on_delete=models.PROTECT,
        related_name="rectifications",
        help_text=_("人才的属地窗口：负责回访人才和裁定申诉。"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    round = models.PositiveSmallIntegerField(_("整改轮次"), default=1)
    opened_at = models.DateTimeField(_("转整改时间"))
    due_date = models.DateField(_("答复期限"))
    response_kind = models.CharField(_("整改方式"), max_length=20, choices=ResponseKind.choices, blank=True)
    response_note = models.TextField(_("核实与整改情况"), blank=True)
    promised_date = models.DateField(_("承诺整改完成日期"), null=True, blank=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal_reason = models.TextField(_("申诉理由"), blank=True)
    appeal_evidence = models.TextField(_("申诉证据"), blank=True)
    appealed_at = models.DateTimeField(_("申诉时间"), null=True, blank=True)
    appealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ruling = models.CharField(_("裁定结果"), max_length=20, choices=Ruling.choices, blank=True)
    ruling_note = models.TextField(_("裁定意见"), blank=True)
    ruled_at = models.DateTimeField(_("裁定时间"), null=True, blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    callback_result = models.CharField(
        _("回访结果"), max_length=20, choices=CallbackResult.choices, blank=True
    )
    callback_note = models.TextField(_("回访记录"), blank=True)
    callback_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    callback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    is_recurrence = models.BooleanField(_("同类问题重复发生"), default=False)
    recurrence_of = models.ForeignKey(
        "self",
        verbose_name=_("此前的同类整改"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recurrences",
    )
    overdue_flagged_at = models.DateTimeField(_("逾期提示时间"), null=True, blank=True)
    # Bumped by every action, so a form or API call made on a stale copy is refused (409), not applied.
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["department", "service_item", "opened_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(task__isnull=False, direct_service__isnull=True)
                | Q(task__isnull=True, direct_service__isnull=False),
                name="rectification_of_one_service",
                violation_error_message=_("一项整改只能对应一项办理任务或一次直接服务。"),
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(task__isnull=False),
                name="one_rectification_per_task",
                violation_error_message=_("该服务已有整改记录。"),
            ),
            models.UniqueConstraint(
                fields=["direct_service"],
                condition=Q(direct_service__isnull=False),
                name="one_rectification_per_direct_service",
                violation_error_message=_("该服务已有整改记录。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[RectificationStatus.RESPONDED, RectificationStatus.CLOSED])
                | ~Q(response_kind="") & Q(responded_at__isnull=False),
                name="responded_rectification_has_answer",
                violation_error_message=_("部门答复须选择整改方式。"),
            ),
            models.CheckConstraint(
                condition=~Q(response_kind=ResponseKind.BY_DATE) | Q(promised_date__isnull=False),
                name="rectification_by_date_has_date",
                violation_error_message=_("限期整改须填写承诺完成日期。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=RectificationStatus.APPEALED) | ~Q(appeal_reason=""),
                name="appealed_rectification_has_reason",
                violation_error_message=_("申诉须填写理由。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=RectificationStatus.CLOSED)
                | ~Q(callback_result="") & Q(closed_at__isnull=False),
                name="closed_rectification_has_callback",
                violation_error_message=_("整改须经窗口回访后才能办结。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=RectificationStatus.VOIDED) | Q(ruling=Ruling.UPHELD),
                name="voided_rectification_has_upheld_appeal",
                violation_error_message=_("只有申诉成立的整改才能撤销。"),
            ),
        ]

    def __str__(self):
        return f"{self.department} · {self.service_name} · {self.opened_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("ratings:rectification", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in (
            RectificationStatus.OPEN,
            RectificationStatus.RESPONDED,
            RectificationStatus.APPEALED,
        )

    def is_overdue_on(self, today) -> bool:
        """Overdue: the department has not answered (nor appealed) by the due date."""
        return self.status == RectificationStatus.OPEN and today > self.due_date


class RectificationEvent(Event):
    """One step of a rectification: who, when, from which state to which, and why."""

    rectification = models.ForeignKey(
        Rectification, verbose_name=_("整改"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=30, choices=RectificationAction.choices)
    from_status = models.CharField(
        _("原状态"), max_length=20, choices=RectificationStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=20, choices=RectificationStatus.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("热线评价和系统提示为空。"),
    )
    data = models.JSONField(_("附加信息"), default=dict, blank=True)

    class Meta:
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.rectification_id} {self.get_action_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"

    @property
    def actor_label(self) -> str:
        """Who took the step, as the department may read it: a rater only by channel (W10: the department
        learns no more of who rated than 人才本人 / 单位专员代评 / 热线评价)."""
        if self.action in (RectificationAction.OPEN, RectificationAction.ANOTHER_BAD_RATING):
            channel = (self.data or {}).get("channel")
            return Channel(channel).label if channel in Channel.values else str(_("评价人"))
        if self.by_id is None:
            return str(_("系统"))
        return self.by.get_full_name()
