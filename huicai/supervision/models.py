"""Supervision and scheduling of the green-channel items (W8 调度, W9 督导).

W9 asks every window for "定期调度、跟踪过程、限时办结" and a standing mechanism that "及时发现问题、妥善解决问题、
杜绝同样问题": problems are found without anyone having to look. Here that is

- ``Card``: a yellow card when a running task nears its deadline, a red one when it has passed it (or when a
  supervision order went unanswered past its own date), issued by a periodic sweep and told to the
  department, its head and the window;
- ``SupervisionOrder`` (督办): a window's written demand on one task, with its own date and a required
  written answer from the department, which stays on top of the department's queue until answered;
- ``Round`` / ``RoundEntry`` (调度, W8): a window's periodic round over every open task of its jurisdiction,
  each department answering per task with its progress, obstacles and expected completion date;
- ``DepartmentHead``: who leads a competent department, so that cards reach the person responsible.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huicai.casework.choices import TaskStatus
from huicai.core.models import Event
from huicai.supervision.choices import LIVE_ORDER_STATUSES, CardColour, OrderAction, OrderStatus, RoundStatus


class DepartmentHeadQuerySet(models.QuerySet):
    def active_at(self, at):
        return self.filter(Q(active_to__isnull=True) | Q(active_to__gt=at), active_from__lte=at)


class DepartmentHead(models.Model):
    """The person who leads a competent department's green-channel work (部门负责人), for a period.

    W9 makes the departments answerable for the quality of their items (质效提升责任制), so a card goes to
    the head as well as to the commissioners. A row of its own rather than a word in a post's free-text
    position ("负责人"): a head need not be a commissioner, a typo in a title must not silently stop the
    cards, and the period says who was head when a card was issued.
    """

    department = models.ForeignKey(
        "org.Department", verbose_name=_("主管部门"), on_delete=models.PROTECT, related_name="heads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("负责人"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.CharField(_("职务"), max_length=50, blank=True)
    active_from = models.DateTimeField(_("起始"))
    active_to = models.DateTimeField(_("截止"), null=True, blank=True)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = DepartmentHeadQuerySet.as_manager()

    class Meta:
        verbose_name = _("部门负责人")
        verbose_name_plural = _("部门负责人")
        ordering = ["department_id", "-active_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "user"],
                condition=Q(active_to__isnull=True),
                name="one_open_head_period_per_person_and_department",
                violation_error_message=_("此人已是该部门的在任负责人。"),
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gt=models.F("active_from")),
                name="department_head_period_ordered",
                violation_error_message=_("截止时间必须晚于起始时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.department} · {self.user}"


class SupervisionOrderQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.supervision.access import orders_visible_to

        return orders_visible_to(self, user)

    def live(self):
        return self.filter(status__in=LIVE_ORDER_STATUSES)


class SupervisionOrder(models.Model):
    """A supervision order (督办, W9 限时办结) raised by a window on one open task of its jurisdiction.

    It carries its own date (a working day) and needs a written answer from the department that holds the
    task; while it waits for that answer it stays on top of the department's queue (``annotate_open_orders``).
    The window then accepts the answer (closed) or sends it back with a note (open again). At most one live
    order per task, guarded by a partial unique constraint; an order still unanswered after its date gets a
    red card of its own from the sweep.
    """

    task = models.ForeignKey(
        "casework.Task",
        verbose_name=_("办理任务"),
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("督办窗口"),
        on_delete=models.PROTECT,
        related_name="supervision_orders",
        help_text=_("发出督办的窗口；该窗口及其上级窗口可以确认答复。"),
    )
    content = models.TextField(_("督办要求"))
    due_date = models.DateField(_("答复期限"))
    status = models.CharField(_("状态"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("督办人"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("督办时间"))
    response = models.TextField(_("部门答复"), blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    review_note = models.TextField(_("窗口意见"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = SupervisionOrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["status", "due_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status__in=LIVE_ORDER_STATUSES),
                name="one_live_order_per_task",
                violation_error_message=_("该任务已有未办结的督办事项。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[OrderStatus.ANSWERED, OrderStatus.CLOSED])
                | (~Q(response="") & Q(responded_at__isnull=False)),
                name="answered_order_has_response",
                violation_error_message=_("已答复的督办事项必须有书面答复。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[OrderStatus.CLOSED, OrderStatus.WITHDRAWN])
                | Q(closed_at__isnull=False),
                name="closed_order_has_time",
                violation_error_message=_("办结或撤销的督办事项必须记录时间。"),
            ),
        ]

    def __str__(self):
        return f"督办 {self.task} → {self.due_date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("supervision:order", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_ORDER_STATUSES

    def is_overdue_on(self, today) -> bool:
        """Still waiting for the department's answer after the close of its date."""
        return self.status == OrderStatus.OPEN and today > self.due_date


def annotate_open_orders(tasks):
    """Add to a ``Task`` queryset ``has_open_order`` (a 督办 waits for the department's answer) and
    ``open_order_due_date`` (that order's date), so a queue can put those tasks first:

        annotate_open_orders(tasks).order_by("-has_open_order", "open_order_due_date", "deadline__due_date", …)

    Two correlated subqueries in the same statement: no extra query, whatever the page size.
    """
    waiting = SupervisionOrder.objects.filter(task=OuterRef("pk"), status=OrderStatus.OPEN)
    return tasks.annotate(
        has_open_order=Exists(waiting),
        open_order_due_date=Subquery(waiting.order_by("due_date").values("due_date")[:1]),
    )


# W9: a department's queue: tasks whose 督办 waits for an answer first (the order due soonest on top), then
# the soonest deadline.
QUEUE_ORDER = ("-has_open_order", "open_order_due_date", "deadline__due_date", "created_at", "id")


def in_queue_order(tasks):
    """A ``Task`` queryset in the order of a department's queue, annotated as ``annotate_open_orders``."""
    return annotate_open_orders(tasks).order_by(*QUEUE_ORDER)


def open_orders_by_task(task_ids) -> dict:
    """The order waiting for an answer on each of ``task_ids`` (one query): ``{task_id: order}``."""
    orders = SupervisionOrder.objects.filter(task_id__in=list(task_ids), status=OrderStatus.OPEN).order_by(
        "due_date", "id"
    )
    found = {}
    for order in orders:
        found.setdefault(order.task_id, order)
    return found


class OrderEvent(Event):
    """One step of a supervision order: who, when, from which state to which, and the words written."""

    order = models.ForeignKey(
        SupervisionOrder, verbose_name=_("督办事项"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=OrderAction.choices)
    from_status = models.CharField(_("原状态"), max_length=20, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=OrderStatus.choices)
    # None for what the system did by itself (the red card of an unanswered order).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.order_id} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class CardQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.supervision.access import cards_visible_to

        return cards_visible_to(self, user)


class Card(models.Model):
    """A yellow or red card (W9: 及时发现问题), issued by the periodic sweep, never by hand.

    Yellow: a running task (accepted or delegated) has ``HUICAI_YELLOW_CARD_DAYS`` working days or fewer
    left before its due date. Red: its due date has passed; or, with ``order`` set, a supervision order is
    still unanswered after its date. ``due_date`` is the date the card was judged against, so a task whose
    deadline is extended after a yellow card can earn a new one for the new date, but the same card is
    never issued twice: the partial unique constraints below are the guard every concurrent sweep meets.
    ``department`` is the department the card was issued to, kept even if the task later moves.

    With ``clock`` set, the card is a stage's (W9, W13, S12-2): the window's triage or reroute, a
    department's acceptance, the unit's supplement or informing ran past (red) or near (yellow) the
    stage's own limit. It is charged to the clock's holder; ``department`` is set only when that holder is
    a department, and ``task`` is empty for a triage (there is no task yet). ``application`` says which case
    every card concerns, so a window sees its jurisdiction's cards whether or not they have a task.
    """

    application = models.ForeignKey(
        "casework.Application",
        verbose_name=_("申办"),
        on_delete=models.PROTECT,
        related_name="supervision_cards",
    )
    task = models.ForeignKey(
        "casework.Task",
        verbose_name=_("办理任务"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_cards",
    )
    clock = models.ForeignKey(
        "casework.StageClock",
        verbose_name=_("环节时限"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cards",
    )
    order = models.ForeignKey(
        SupervisionOrder,
        verbose_name=_("督办事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cards",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_cards",
    )
    colour = models.CharField(_("类别"), max_length=10, choices=CardColour.choices)
    due_date = models.DateField(_("所依据的期限"))
    issued_on = models.DateField(_("亮牌日期"))
    issued_at = models.DateTimeField(_("亮牌时间"))
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        verbose_name = _("红黄牌")
        verbose_name_plural = _("红黄牌")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["department", "issued_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "colour", "due_date"],
                condition=Q(order__isnull=True, clock__isnull=True),
                name="one_task_card_per_colour_and_due_date",
                violation_error_message=_("该任务在此期限上已亮过同色牌。"),
            ),
            models.UniqueConstraint(
                fields=["order", "colour", "due_date"],
                condition=Q(order__isnull=False),
                name="one_order_card_per_colour_and_due_date",
                violation_error_message=_("该督办事项在此期限上已亮过牌。"),
            ),
            models.CheckConstraint(
                condition=Q(order__isnull=True) | Q(colour=CardColour.RED),
                name="order_cards_are_red",
                violation_error_message=_("督办事项只在逾期未答复时亮红牌。"),
            ),
            models.UniqueConstraint(
                fields=["clock", "colour", "due_date"],
                condition=Q(clock__isnull=False),
                name="one_stage_card_per_colour_and_due_date",
                violation_error_message=_("该环节在此期限上已亮过同色牌。"),
            ),
            # A task's own card (or an order's) is the department's; only a stage card may be charged to a
            # window or a unit, or concern an application before it has tasks.
            models.CheckConstraint(
                condition=Q(clock__isnull=False, order__isnull=True)
                | Q(clock__isnull=True, task__isnull=False, department__isnull=False),
                name="card_has_its_subject",
                violation_error_message=_("红黄牌须针对一个任务、督办事项或办理环节。"),
            ),
        ]

    def __str__(self):
        subject = self.clock or self.task
        return f"{self.get_colour_display()} {subject} {self.due_date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("supervision:card", args=[self.pk])

    @property
    def subject_number(self) -> str:
        """The task's number, or the application's for a triage card."""
        return self.task.number if self.task_id else self.application.number

    @property
    def charged_to(self) -> str:
        """The organisation the card is charged to: the department, or a stage's window or unit."""
        if self.clock_id:
            return self.clock.holder_name
        return self.department.name if self.department_id else ""


class RoundQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.supervision.access import rounds_visible_to

        return rounds_visible_to(self, user)


class Round(models.Model):
    """A scheduling round (调度, W8/W9 定期调度) opened by a window over its jurisdiction's open tasks.

    Opening takes a snapshot: one ``RoundEntry`` per task open at that moment, with its department, status
    and due date then. Each department answers per task; those that have not answered are chased once per
    working day; the window closes the round, and the report computed at closing is kept (``report``) so
    it reads the same later, whatever happens to the tasks. One open round per window at a time.
    """

    window = models.ForeignKey(
        "org.Window", verbose_name=_("调度窗口"), on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("调度主题"), max_length=100)
    note = models.TextField(_("调度要求"), blank=True)
    answer_due_date = models.DateField(_("答复期限"))
    status = models.CharField(_("状态"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("发起时间"))
    opened_on = models.DateField(_("发起日期"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结束人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # The working day the unanswered departments were last told (claimed by compare-and-swap).
    last_chased_on = models.DateField(_("最近催报日期"), null=True, blank=True)
    report = models.JSONField(_("调度报告"), default=dict, blank=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("调度")
        verbose_name_plural = _("调度")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["window"],
                condition=Q(status=RoundStatus.OPEN),
                name="one_open_round_per_window",
                violation_error_message=_("该窗口已有进行中的调度，请先结束后再发起。"),
            ),
            models.CheckConstraint(
                condition=Q(status=RoundStatus.OPEN, closed_at__isnull=True)
                | Q(status=RoundStatus.CLOSED, closed_at__isnull=False),
                name="closed_round_has_time",
                violation_error_message=_("已结束的调度必须记录结束时间。"),
            ),
            models.CheckConstraint(
                condition=Q(answer_due_date__gte=models.F("opened_on")),
                name="round_answer_due_after_opening",
                violation_error_message=_("答复期限不能早于发起日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.window} · {self.title}"

    def get_absolute_url(self):
        return reverse("supervision:round", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    def build_report(self, today) -> dict:
        """Per department: tasks in the round, answered, unanswered, overdue on ``today``, obstacles
        reported, and completed by then; with the totals. Two queries."""
        rows = {}
        entries = self.entries.select_related("department", "task__deadline", "task__application").order_by(
            "department_id", "id"
        )
        for entry in entries:
            row = rows.setdefault(
                entry.department_id,
                {
                    "department_id": entry.department_id,
                    "department": entry.department.name,
                    "tasks": 0,
                    "answered": 0,
                    "unanswered": 0,
                    "overdue": 0,
                    "obstacles": 0,
                    "completed": 0,
                },
            )
            row["tasks"] += 1
            row["answered" if entry.is_answered else "unanswered"] += 1
            row["overdue"] += int(entry.task.is_overdue_on(today))
            row["obstacles"] += int(bool(entry.obstacle.strip()))
            row["completed"] += int(entry.task.status == TaskStatus.COMPLETED)
        departments = list(rows.values())
        keys = ["tasks", "answered", "unanswered", "overdue", "obstacles", "completed"]
        totals = {key: sum(row[key] for row in departments) for key in keys}
        return {"as_of": today.isoformat(), "departments": departments, "totals": totals}


class RoundEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.supervision.access import entries_visible_to

        return entries_visible_to(self, user)


class RoundEntry(models.Model):
    """One open task in a round, as it stood at opening, and its department's answer (W8)."""

    round = models.ForeignKey(Round, verbose_name=_("调度"), on_delete=models.CASCADE, related_name="entries")
    task = models.ForeignKey(
        "casework.Task", verbose_name=_("办理任务"), on_delete=models.PROTECT, related_name="round_entries"
    )
    department = models.ForeignKey(
        "org.Department", verbose_name=_("主管部门"), on_delete=models.PROTECT, related_name="round_entries"
    )
    task_status = models.CharField(_("调度时状态"), max_length=30)
    due_date = models.DateField(_("调度时截止日期"), null=True, blank=True)
    progress = models.TextField(_("进展情况"), blank=True)
    obstacle = models.TextField(_("存在困难"), blank=True)
    expected_date = models.DateField(_("预计办结日期"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    objects = RoundEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("调度明细")
        verbose_name_plural = _("调度明细")
        ordering = ["department_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "task"],
                name="one_entry_per_task_per_round",
                violation_error_message=_("该任务已在本轮调度中。"),
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(progress=""),
                name="answered_entry_has_progress",
                violation_error_message=_("答复必须填写进展情况。"),
            ),
        ]

    def __str__(self):
        return f"{self.round_id} · {self.task}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def task_status_label(self) -> str:
        return (
            TaskStatus(self.task_status).label if self.task_status in TaskStatus.values else self.task_status
        )
