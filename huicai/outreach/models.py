"""Keeping in touch with talents: their difficulties and suggestions, and periodic status check-ins.

S11-5: the unit commissioner keeps close contact with the talent, collects the difficulties met at work
and in life and the talent's suggestions, and feeds them back to the employer and the service window.
S12-4 / S13-3: department and undertaking commissioners collect the difficulties they meet while serving
talents; the undertaking commissioner reports them to the department commissioner, the department
commissioner to the window. S14-4: the window regularly asks the unit commissioners about the talents'
recent situation (still employed? still living in Linyi?) and reports difficulties to the city window.

A ``Difficulty`` is therefore held by one level at a time (a unit commissioner, a department, a window)
and moves up the chain unit → home window → … → city window by escalation; every step is one action in
``actions.py`` and leaves a ``DifficultyEvent``. A ``CheckinRound`` asks about every talent of a window's
jurisdiction through one ``CheckinEntry`` each; an answer updates the talent and leaves a
``TalentStatusChange``, and a talent who has left opens a ``Difficulty`` of kind "status change" for the
window.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huicai.core.models import Event
from huicai.outreach.choices import (
    Category,
    DifficultyAction,
    DifficultyKind,
    DifficultyStatus,
    EntryStatus,
    HolderLevel,
    RoundStatus,
    Source,
)
from huicai.talents.choices import EmploymentStatus

MAX_CONTENT = 2000


class DifficultyQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.outreach.access import difficulties_visible_to

        return difficulties_visible_to(self, user)


class Difficulty(models.Model):
    """A talent's difficulty or suggestion (困难问题和意见建议, S11-5), held by one level at a time.

    The holder is who owes the next step: the talent's unit commissioner (``holder_level`` unit, no
    organisation: whoever is the talent's one-to-one contact now), a department (S12-4, S13-3) or a window
    (S14-4). The database checks that the organisation matches the level, and that a response and a close
    carry who and when.
    """

    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="difficulties"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=DifficultyKind.choices)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    content = models.TextField(_("内容"), max_length=MAX_CONTENT)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    # S12-4 / S13-3: the department whose commissioners collected it (themselves, or through one of its
    # undertaking institutions) and the institution that recorded it keep sight of it after it moves on.
    source_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("经手部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recorded_difficulties",
    )
    source_undertaking_org = models.ForeignKey(
        "org.UndertakingOrg",
        verbose_name=_("登记承办机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recorded_difficulties",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=DifficultyStatus.choices, default=DifficultyStatus.OPEN
    )
    holder_level = models.CharField(_("当前处理层级"), max_length=20, choices=HolderLevel.choices)
    holder_department = models.ForeignKey(
        "org.Department",
        verbose_name=_("当前处理部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_difficulties",
    )
    holder_window = models.ForeignKey(
        "org.Window",
        verbose_name=_("当前处理窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="held_difficulties",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"))
    escalated_at = models.DateTimeField(_("最近上报时间"), null=True, blank=True)
    response = models.TextField(_("答复"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关闭人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    # W7: what a window learnt from it may become a new or optimised catalogue item.
    catalogue_item = models.ForeignKey(
        "catalogue.ServiceItem",
        verbose_name=_("调整的服务事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="difficulties",
    )
    catalogue_version = models.ForeignKey(
        "catalogue.ServiceItemVersion",
        verbose_name=_("调整后的事项版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="difficulties",
    )
    catalogue_note = models.CharField(_("事项调整说明"), max_length=300, blank=True)
    catalogue_linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("关联人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    catalogue_linked_at = models.DateTimeField(_("关联时间"), null=True, blank=True)
    # S14-4: the check-in answer that revealed a change of status, for cases of kind "status change".
    checkin_entry = models.ForeignKey(
        "outreach.CheckinEntry",
        verbose_name=_("来源调度"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )

    objects = DifficultyQuerySet.as_manager()

    class Meta:
        verbose_name = _("困难和意见建议")
        verbose_name_plural = _("困难和意见建议")
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["status", "holder_level"]),
            models.Index(fields=["talent", "kind", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    holder_level=HolderLevel.UNIT, holder_department__isnull=True, holder_window__isnull=True
                )
                | Q(
                    holder_level=HolderLevel.DEPARTMENT,
                    holder_department__isnull=False,
                    holder_window__isnull=True,
                )
                | Q(
                    holder_level=HolderLevel.WINDOW,
                    holder_department__isnull=True,
                    holder_window__isnull=False,
                ),
                name="difficulty_holder_matches_level",
                violation_error_message=_("部门处理须指定部门，窗口处理须指定窗口，单位专员处理不指定机构。"),
            ),
            models.CheckConstraint(
                condition=~Q(content=""),
                name="difficulty_has_content",
                violation_error_message=_("请填写困难或意见建议的内容。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[DifficultyStatus.RESPONDED, DifficultyStatus.RESOLVED])
                | (Q(responded_at__isnull=False, responded_by__isnull=False) & ~Q(response="")),
                name="answered_difficulty_has_response",
                violation_error_message=_("答复须记录答复内容、答复人和答复时间。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=DifficultyStatus.CLOSED)
                | Q(closed_at__isnull=False, closed_by__isnull=False),
                name="closed_difficulty_has_closer",
                violation_error_message=_("关闭须记录关闭人和关闭时间。"),
            ),
            models.CheckConstraint(
                condition=Q(catalogue_version__isnull=True) | Q(catalogue_item__isnull=False),
                name="catalogue_version_needs_item",
                violation_error_message=_("关联事项版本时须同时关联服务事项。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind=DifficultyKind.STATUS_CHANGE) | Q(holder_level=HolderLevel.WINDOW),
                name="status_change_held_by_window",
                violation_error_message=_("人才状态变化由服务窗口处理。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} {self.talent}"

    def get_absolute_url(self):
        return reverse("outreach:difficulty", args=[self.pk])

    @property
    def holder_label(self) -> str:
        if self.holder_level == HolderLevel.WINDOW:
            return self.holder_window.name
        if self.holder_level == HolderLevel.DEPARTMENT:
            return self.holder_department.name
        return str(HolderLevel.UNIT.label)

    @property
    def is_pending(self) -> bool:
        return self.status in (
            DifficultyStatus.OPEN,
            DifficultyStatus.IN_PROGRESS,
            DifficultyStatus.ESCALATED,
        )


class DifficultyEvent(Event):
    """One step of a difficulty: who did what, when, from which state and holder to which, and why."""

    difficulty = models.ForeignKey(
        Difficulty, verbose_name=_("困难和意见建议"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=DifficultyAction.choices)
    from_status = models.CharField(_("原状态"), max_length=20, choices=DifficultyStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=DifficultyStatus.choices, blank=True)
    from_holder = models.CharField(_("原处理方"), max_length=100, blank=True)
    to_holder = models.CharField(_("新处理方"), max_length=100, blank=True)
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("上报至窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("处理记录")
        verbose_name_plural = _("处理记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.difficulty_id} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class CheckinRoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.outreach.access import rounds_visible_to

        return rounds_visible_to(self, user)

    def with_progress(self):
        """Each round with ``total`` and ``answered`` counted in the same query."""
        return self.annotate(
            total=models.Count("entries"),
            answered=models.Count("entries", filter=Q(entries__status=EntryStatus.ANSWERED)),
        )


class CheckinRound(models.Model):
    """S14-4: one round of 定期调度了解 a window runs over every talent of its jurisdiction.

    At most one open round per window, by a partial unique constraint, so two commissioners opening a
    round at once cannot both succeed. ``last_chased_date`` is the last working day the unit
    commissioners were reminded of unanswered entries: the chase job claims a day with a compare-and-swap
    on it, so a reminder goes out at most once per working day whatever the number of schedulers.
    """

    window = models.ForeignKey(
        "org.Window", verbose_name=_("服务窗口"), on_delete=models.PROTECT, related_name="checkin_rounds"
    )
    title = models.CharField(_("名称"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    due_date = models.DateField(_("答复截止日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("发起时间"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结束人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    last_chased_date = models.DateField(_("最近催办日期"), null=True, blank=True)

    objects = CheckinRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("状态调度")
        verbose_name_plural = _("状态调度")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["window"],
                condition=Q(status=RoundStatus.OPEN),
                name="one_open_checkin_round_per_window",
                violation_error_message=_("该窗口已有进行中的状态调度，请先结束后再发起新一轮。"),
            ),
            models.CheckConstraint(
                condition=Q(status=RoundStatus.OPEN) | Q(closed_at__isnull=False, closed_by__isnull=False),
                name="closed_round_has_closer",
                violation_error_message=_("结束调度须记录结束人和结束时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.window} · {self.title}"

    def get_absolute_url(self):
        return reverse("outreach:round", args=[self.pk])


class CheckinEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.outreach.access import entries_visible_to

        return entries_visible_to(self, user)


class CheckinEntry(models.Model):
    """One talent in one round: still employed? still living in Linyi? Answered by their unit
    commissioner or by the talent; left unanswered when the round closes (未答复)."""

    round = models.ForeignKey(
        CheckinRound, verbose_name=_("调度轮次"), on_delete=models.CASCADE, related_name="entries"
    )
    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="checkin_entries"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.PENDING
    )
    employment_status = models.CharField(
        _("在职状态"), max_length=10, choices=EmploymentStatus.choices, blank=True
    )
    lives_in_linyi = models.BooleanField(_("在临居住"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    objects = CheckinEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("调度答复")
        verbose_name_plural = _("调度答复")
        ordering = ["round_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "talent"],
                name="one_entry_per_talent_per_round",
                violation_error_message=_("该人才已在本轮调度中。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=EntryStatus.ANSWERED)
                | (
                    Q(answered_at__isnull=False, answered_by__isnull=False, lives_in_linyi__isnull=False)
                    & ~Q(employment_status="")
                ),
                name="answered_entry_is_complete",
                violation_error_message=_("答复须填写在职状态和在临居住情况。"),
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.talent}"


class TalentStatusChange(models.Model):
    """The history of a talent's employment and residence as check-ins confirmed them (S14-4).

    One row per answer, even when nothing changed: a confirmation is itself the fact that the talent was
    still employed and living in Linyi on that day.
    """

    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="status_changes"
    )
    entry = models.ForeignKey(
        CheckinEntry, verbose_name=_("调度答复"), on_delete=models.PROTECT, related_name="status_changes"
    )
    round = models.ForeignKey(
        CheckinRound, verbose_name=_("调度轮次"), on_delete=models.PROTECT, related_name="status_changes"
    )
    old_employment_status = models.CharField(_("原在职状态"), max_length=10, choices=EmploymentStatus.choices)
    new_employment_status = models.CharField(_("新在职状态"), max_length=10, choices=EmploymentStatus.choices)
    old_lives_in_linyi = models.BooleanField(_("原在临居住"), null=True)
    new_lives_in_linyi = models.BooleanField(_("新在临居住"))
    note = models.CharField(_("备注"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("答复人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("人才状态变化")
        verbose_name_plural = _("人才状态变化")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.talent} {self.at:%Y-%m-%d}"

    @property
    def changed(self) -> bool:
        return (
            self.old_employment_status != self.new_employment_status
            or self.old_lives_in_linyi != self.new_lives_in_linyi
        )
