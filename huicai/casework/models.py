"""Applications and their tasks: 专员接件、并联办理 (W13, S17) and the records they leave (W14, S18).

An ``Application`` is prepared by the talent's unit commissioner with one or more by-application items.
One item goes straight to its competent department; several go to the window of the talent's home window,
which splits them into one ``Task`` per department. Each task runs against a ``workdays.Deadline`` opened
when the department accepts it. Every change of state is one function in ``actions.py`` and leaves a
``CaseEvent`` (who, when, from, to, why) in the same transaction: the timeline that everyone who may see
the application reads, the talent included.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from huicai.casework.choices import (
    OPEN_TASK_STATUSES,
    ApplicationStatus,
    CaseAction,
    ConsentMethod,
    ExplainedVia,
    ExtensionStatus,
    Holder,
    InformChannel,
    Result,
    Route,
    Source,
    Stage,
    SuspensionReason,
    TaskStatus,
)
from huicai.core.models import Event


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.casework.access import applications_visible_to

        return applications_visible_to(self, user)


class Application(models.Model):
    """A talent's request for one or more by-application green-channel items (申办)."""

    number = models.CharField(_("申办编号"), max_length=30, unique=True)
    talent = models.ForeignKey(
        "talents.Talent", verbose_name=_("人才"), on_delete=models.PROTECT, related_name="applications"
    )
    unit_post = models.ForeignKey(
        "commissioners.Post",
        verbose_name=_("经办单位专员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
        help_text=_("单位专员申办时必填；热线工单为人才当时的单位专员（如有）。"),
    )
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices, default=Source.UNIT)
    external_ref = models.CharField(_("热线工单号"), max_length=64, blank=True)
    external_due_date = models.DateField(_("热线要求办结日期"), null=True, blank=True)
    content = models.TextField(_("诉求内容"), blank=True)
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("属地窗口"),
        on_delete=models.PROTECT,
        related_name="applications",
        help_text=_("人才属地窗口：多事项申办由该窗口梳理分办。"),
    )
    route = models.CharField(_("报送方式"), max_length=20, choices=Route.choices, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    consent_at = models.DateTimeField(_("人才同意时间"), null=True, blank=True)
    consent_method = models.CharField(_("同意方式"), max_length=20, choices=ConsentMethod.choices, blank=True)
    consent_note = models.CharField(_("同意说明"), max_length=200, blank=True)
    note = models.TextField(_("申办说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    withdraw_reason = models.CharField(_("撤回原因"), max_length=300, blank=True)
    # Bumped by every action, so a form or API call made on a stale copy is refused (409), not applied.
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("申办")
        verbose_name_plural = _("申办")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "window"])]
        constraints = [
            # Hotline orders carry no consent step: the talent called the hotline themself. A draft
            # withdrawn before it was submitted never asked for consent, so it needs none either.
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.DRAFT)
                | Q(status=ApplicationStatus.WITHDRAWN, submitted_at__isnull=True)
                | ~Q(source=Source.UNIT)
                | Q(submitted_at__isnull=False, consent_at__isnull=False),
                name="submitted_application_has_consent",
                violation_error_message=_("提交的申办必须记录人才同意。"),
            ),
            models.CheckConstraint(
                condition=~Q(source=Source.UNIT) | Q(unit_post__isnull=False),
                name="unit_application_has_unit_commissioner",
                violation_error_message=_("单位专员申办必须记录经办的单位专员。"),
            ),
            models.UniqueConstraint(
                fields=["source", "external_ref"],
                condition=~Q(external_ref=""),
                name="one_case_per_hotline_order",
                violation_error_message=_("该热线工单已经转办。"),
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("casework:application", args=[self.pk])

    def open_steps(self, tasks=None) -> list["OpenStep"]:
        """Every step of the case still open, with who holds it and until when, soonest first: the open
        stage clocks (triage, acceptance, reroute, supplement, informing) and each running task's own
        limit. What the talent and the unit commissioner are shown (W13, W16 进度反馈).

        Reads ``open_stage_clocks`` when a list has prefetched it (``open_stage_clocks_prefetch``), and the
        ``tasks`` given or prefetched, so a page of applications costs no extra query per row; the tasks
        need their ``deadline``, ``department`` and ``undertaking_org`` loaded.
        """
        from huicai.casework.choices import RUNNING_STATUSES

        clocks = getattr(self, "open_stage_clocks", None)
        if clocks is None:
            clocks = list(
                StageClock.objects.open()
                .filter(application=self)
                .select_related(*OPEN_CLOCK_RELATED)
                .order_by("deadline__due_date", "id")
            )
        steps = [
            OpenStep(
                label=clock.get_stage_display(),
                task=clock.task,
                holder=clock.get_holder_display(),
                holder_name=clock.holder_name,
                person=clock.unit_post.user.get_full_name() if clock.unit_post_id else "",
                due_date=clock.due_date,
                provisional=clock.deadline.is_provisional,
            )
            for clock in clocks
        ]
        for task in self.tasks.all() if tasks is None else tasks:
            if task.status in RUNNING_STATUSES and task.deadline_id:
                delegated = task.undertaking_org_id and task.status == TaskStatus.DELEGATED
                steps.append(
                    OpenStep(
                        label=str(_("部门办理")),
                        task=task,
                        holder=str(_("承办机构") if delegated else _("主管部门")),
                        holder_name=task.undertaking_org.name if delegated else task.department.name,
                        person="",
                        due_date=task.judged_due_date,
                        provisional=task.deadline.is_provisional,
                    )
                )
        return sorted(steps, key=lambda step: step.due_date)


class ApplicationItem(models.Model):
    """One by-application item in an application, pinned to the catalogue version it was asked under, so
    later catalogue changes do not move its limit or its list of materials."""

    application = models.ForeignKey(
        Application, verbose_name=_("申办"), on_delete=models.CASCADE, related_name="items"
    )
    service_item = models.ForeignKey(
        "catalogue.ServiceItem", verbose_name=_("服务事项"), on_delete=models.PROTECT, related_name="+"
    )
    item_version = models.ForeignKey(
        "catalogue.ServiceItemVersion", verbose_name=_("事项版本"), on_delete=models.PROTECT, related_name="+"
    )
    task = models.ForeignKey(
        "casework.Task",
        verbose_name=_("办理任务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
    )

    class Meta:
        verbose_name = _("申办事项")
        verbose_name_plural = _("申办事项")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "service_item"],
                name="one_line_per_item_per_application",
                violation_error_message=_("同一申办中不能重复选择同一事项。"),
            )
        ]

    def __str__(self):
        return f"{self.application} · {self.item_version.name}"

    @property
    def materials_required(self) -> list[dict]:
        return [m for m in self.item_version.data.get("materials", []) if m.get("required", True)]


def material_path(instance, filename):
    # Never the uploaded name: a random name under a date folder, outside the web root (MEDIA_ROOT).
    return f"materials/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class MaterialQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Need-to-know: a department sees the materials of its own items only, not the application's.
        from huicai.casework.access import materials_visible_to

        return materials_visible_to(self, user)


class Material(models.Model):
    """An uploaded material for one item of an application (PDF, JPG or PNG, checked by content)."""

    application = models.ForeignKey(
        Application, verbose_name=_("申办"), on_delete=models.CASCADE, related_name="materials"
    )
    application_item = models.ForeignKey(
        ApplicationItem, verbose_name=_("申办事项"), on_delete=models.CASCADE, related_name="materials"
    )
    key = models.CharField(_("材料编号"), max_length=40)
    name = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=material_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=120)
    content_type = models.CharField(_("文件类型"), max_length=40)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))
    request = models.ForeignKey(
        "casework.MaterialRequest",
        verbose_name=_("补正通知"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="materials",
    )

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("申办材料")
        verbose_name_plural = _("申办材料")
        ordering = ["application_item_id", "key", "uploaded_at"]

    def __str__(self):
        return f"{self.name}（{self.original_name}）"

    def get_absolute_url(self):
        return reverse("casework:material", args=[self.pk])


class TaskQuerySet(models.QuerySet):
    def visible_to(self, user):
        # A real cycle: access.py builds on these models.
        from huicai.casework.access import tasks_visible_to

        return tasks_visible_to(self, user)

    def open(self):
        return self.filter(status__in=OPEN_TASK_STATUSES)

    def with_extension_flags(self):
        """Annotate ``long_extension`` (an extension past the cap was approved: 超长延期) and
        ``extension_awaiting_approval`` (one waits for the window), for the boards and task lists: two
        subqueries in the list's own query, none per row."""
        over_cap = Extension.objects.filter(task=models.OuterRef("pk"))
        return self.annotate(
            long_extension=models.Exists(over_cap.filter(status=ExtensionStatus.APPROVED)),
            extension_awaiting_approval=models.Exists(
                over_cap.filter(status=ExtensionStatus.AWAITING_APPROVAL)
            ),
        )


def result_document_path(instance, filename):
    # Never the uploaded name: a random name under a date folder, outside the web root (MEDIA_ROOT). The
    # original name is kept in ``result_document_name`` for the download's Content-Disposition.
    suffix = instance.result_document_extension or ""
    return f"results/{instance.completed_at:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Task(models.Model):
    """The items of one application that one department handles (W13: one task per department).

    The clock starts when the department accepts the task: ``deadline`` counts the longest committed limit
    of its items in working days. A task hands over to an undertaking institution (S12-3) without changing
    its deadline; suspensions and extensions move the deadline through ``workdays`` and leave both dates in
    the history.
    """

    application = models.ForeignKey(
        Application, verbose_name=_("申办"), on_delete=models.PROTECT, related_name="tasks"
    )
    number = models.CharField(_("任务编号"), max_length=40, unique=True)
    department = models.ForeignKey(
        "org.Department", verbose_name=_("主管部门"), on_delete=models.PROTECT, related_name="tasks"
    )
    status = models.CharField(
        _("状态"), max_length=30, choices=TaskStatus.choices, default=TaskStatus.PENDING
    )
    # While suspended, the status to go back to on resumption.
    resume_status = models.CharField(max_length=30, choices=TaskStatus.choices, blank=True)
    committed_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"))
    deadline = models.OneToOneField(
        "workdays.Deadline",
        verbose_name=_("办结时限"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="task",
    )
    undertaking_org = models.ForeignKey(
        "org.UndertakingOrg",
        verbose_name=_("承办机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    created_at = models.DateTimeField(_("分派时间"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    materials_request_count = models.PositiveSmallIntegerField(_("补正次数"), default=0)
    flagged_to_window = models.BooleanField(_("已提示窗口"), default=False)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    hops = models.PositiveSmallIntegerField(_("改派次数"), default=0)
    result = models.CharField(_("办理结果"), max_length=20, choices=Result.choices, blank=True)
    result_note = models.TextField(_("结果说明"), blank=True)
    result_document = models.FileField(
        _("结果文书"), upload_to=result_document_path, blank=True, max_length=200
    )
    result_document_name = models.CharField(_("结果文书原文件名"), max_length=120, blank=True)
    result_document_type = models.CharField(_("结果文书类型"), max_length=40, blank=True)
    result_document_extension = models.CharField(max_length=8, blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    informed_at = models.DateTimeField(_("告知人才时间"), null=True, blank=True)
    informed_via = models.CharField(_("告知方式"), max_length=20, choices=InformChannel.choices, blank=True)
    informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdraw_reason = models.CharField(_("撤回原因"), max_length=300, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("办理任务")
        verbose_name_plural = _("办理任务")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["department", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(committed_days__gte=1),
                name="task_limit_at_least_one_day",
                violation_error_message=_("承诺时限须至少为 1 个工作日。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.COMPLETED) | Q(completed_at__isnull=False) & ~Q(result=""),
                name="completed_task_has_result",
                violation_error_message=_("办结的任务必须有办理结果。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[TaskStatus.ACCEPTED, TaskStatus.DELEGATED, TaskStatus.SUSPENDED])
                | Q(deadline__isnull=False),
                name="running_task_has_deadline",
                violation_error_message=_("已受理的任务必须有办结时限。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.DELEGATED) | Q(undertaking_org__isnull=False),
                name="delegated_task_has_institution",
                violation_error_message=_("交办的任务必须指定承办机构。"),
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("casework:task", args=[self.pk])

    @property
    def due_date(self):
        return self.deadline.due_date if self.deadline_id else None

    @property
    def judged_due_date(self):
        """The date the card sweep judges the task by: its deadline, but never later than the date a
        hotline order gave (S12-2: the task made from an order is due no later than the hotline's date,
        and an extension by the department does not move the hotline's date)."""
        if not self.deadline_id:
            return None
        due = self.deadline.due_date
        external = self.application.external_due_date
        return min(due, external) if external else due

    def is_overdue_on(self, today) -> bool:
        """Running past the close of the date it is judged by (``judged_due_date``; needs the deadline and
        the application loaded)."""
        return (
            bool(self.deadline_id)
            and self.status in (TaskStatus.ACCEPTED, TaskStatus.DELEGATED)
            and (today > self.judged_due_date)
        )


class CaseEvent(Event):
    """One step in an application's timeline: who did what, when, from which state to which, and why."""

    application = models.ForeignKey(
        Application, verbose_name=_("申办"), on_delete=models.CASCADE, related_name="events"
    )
    task = models.ForeignKey(
        Task, verbose_name=_("任务"), null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=30, choices=CaseAction.choices)
    data = models.JSONField(_("附加信息"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.application} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"

    def status_label(self, value):
        for choices in (TaskStatus, ApplicationStatus):
            if value in choices.values:
                return choices(value).label
        return value

    @property
    def from_label(self):
        return self.status_label(self.from_status)

    @property
    def to_label(self):
        return self.status_label(self.to_status)


class MaterialRequest(models.Model):
    """一次性告知 (W13): every missing material named at once, before acceptance: the materials notice.

    ``items`` is the list the department wrote, each ``{"key", "name", "note"}``: ``key`` is a material of
    the item's guide, or empty for one the department named in its own words. Each item is addressed by its
    place in the list, ``R1``, ``R2`` … (``rows()``), by the pages, the API and the uploads. An item is
    supplied by an upload against this notice (``Material.request``) or, when the commissioner handed the
    paper over in person, by a handover recorded at resubmission (``handovers``: ``[{"ref", "note"}]``).
    Uploads after the notice was fulfilled (an early resubmission) still attach to it while the task is
    open: the department is told of each (``actions.upload_material``).
    """

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="material_requests"
    )
    items = models.JSONField(_("需补正的材料"))
    note = models.TextField(_("说明"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("告知时间"))
    fulfilled_at = models.DateTimeField(_("补正时间"), null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("补正提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handovers = models.JSONField(_("当面递交的材料"), default=list, blank=True)

    class Meta:
        verbose_name = _("补正材料告知")
        verbose_name_plural = _("补正材料告知")
        ordering = ["requested_at", "id"]

    def __str__(self):
        return f"{self.task} · {self.requested_at:%Y-%m-%d}"

    def rows(self) -> list[dict]:
        """The notice's items in order, each with its reference ``R<n>`` and the key an upload for it
        carries (the guide's key, or the reference for a material the department named itself)."""
        return [
            {
                "ref": f"R{n}",
                "key": item.get("key", ""),
                "upload_key": item.get("key") or f"R{n}",
                "name": item["name"],
                "note": item.get("note", ""),
            }
            for n, item in enumerate(self.items, start=1)
        ]

    def supplied(self, materials=None) -> dict[str, list]:
        """Each reference → the materials uploaded against this notice for it (``materials``: this
        notice's materials when already loaded)."""
        if materials is None:
            materials = list(self.materials.all())
        return {
            row["ref"]: [m for m in materials if m.key in (row["upload_key"], row["ref"])]
            for row in self.rows()
        }

    @property
    def handed_over_refs(self) -> set[str]:
        return {entry["ref"] for entry in self.handovers or []}


class Suspension(models.Model):
    """A period the law excludes from the limit; the ledger that lets anyone audit the remaining days.

    Convention, matching the calendar's: the day of suspension counts as a day of the limit, and the
    working days after it up to and including the day of resumption do not (``paused_days``).
    """

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="suspensions"
    )
    reason = models.CharField(_("中止事由"), max_length=20, choices=SuspensionReason.choices)
    legal_basis = models.CharField(_("法律依据"), max_length=300)
    started_on = models.DateField(_("中止日期"))
    ended_on = models.DateField(_("恢复日期"), null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField(_("不计入时限的工作日"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("中止计时")
        verbose_name_plural = _("中止计时")
        ordering = ["started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(ended_on__isnull=True),
                name="one_open_suspension_per_task",
                violation_error_message=_("该任务已在中止计时中。"),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="suspension_ends_after_start",
                violation_error_message=_("恢复日期不能早于中止日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.task} {self.get_reason_display()}"


class Extension(models.Model):
    """W13: a task that cannot finish on time — the explanation to the talent, the filing with the window
    commissioner, and the new completion date. Both dates stay on record."""

    task = models.ForeignKey(
        Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="extensions"
    )
    reason = models.TextField(_("延期原因"))
    old_due_date = models.DateField(_("原截止日期"))
    new_due_date = models.DateField(_("新办结日期"))
    explanation = models.TextField(_("向人才的说明"))
    explained_via = models.CharField(_("说明方式"), max_length=20, choices=ExplainedVia.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("窗口确认时间"), null=True, blank=True)
    # The working days this extension adds to the limit; the task's counted extensions (filed or
    # approved) add up against the cap (settings HUICAI_EXTENSION_CAP_DAYS).
    working_days = models.PositiveSmallIntegerField(_("延长工作日"), default=0)
    status = models.CharField(
        _("状态"), max_length=20, choices=ExtensionStatus.choices, default=ExtensionStatus.FILED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.CharField(_("审批意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("延期备案")
        verbose_name_plural = _("延期备案")
        ordering = ["requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_due_date__gt=models.F("old_due_date")),
                name="extension_moves_later",
                violation_error_message=_("新的办结日期须晚于原截止日期。"),
            ),
            models.UniqueConstraint(
                fields=["task"],
                condition=Q(status=ExtensionStatus.AWAITING_APPROVAL),
                name="one_extension_awaiting_approval_per_task",
                violation_error_message=_("该任务已有一项超长延期在等待窗口审批。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=[ExtensionStatus.FILED, ExtensionStatus.AWAITING_APPROVAL])
                | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="decided_extension_names_who_and_when",
                violation_error_message=_("批准或不批准的延期必须记录审批人和时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.task} → {self.new_due_date}"

    @property
    def is_over_cap(self) -> bool:
        """Needed the window's approval (超长延期), whatever the window decided."""
        return self.status in (
            ExtensionStatus.AWAITING_APPROVAL,
            ExtensionStatus.APPROVED,
            ExtensionStatus.REFUSED,
        )


@dataclass(frozen=True)
class OpenStep:
    """One open step of a case as the talent and the unit see it: what, on which task, held by whom, until
    when (the close of ``due_date``)."""

    label: str
    task: "Task | None"
    holder: str
    holder_name: str
    person: str
    due_date: object
    provisional: bool = False

    def is_overdue_on(self, today) -> bool:
        return today > self.due_date


OPEN_CLOCK_RELATED = ("deadline", "task", "window", "department", "employer", "unit_post__user")


def open_stage_clocks_prefetch(lookup="stage_clocks"):
    """Prefetch each application's open stage clocks into ``open_stage_clocks`` (one query a page)."""
    return Prefetch(
        lookup,
        queryset=StageClock.objects.open()
        .select_related(*OPEN_CLOCK_RELATED)
        .order_by("deadline__due_date", "id"),
        to_attr="open_stage_clocks",
    )


class StageClockQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class StageClock(models.Model):
    """The clock of one step of a case that someone holds: the window's triage, a department's acceptance,
    the window's reroute, the unit's supplement of materials and the unit's informing of the talent
    (W9 限时办结, W13, S12-2).

    Opened and closed inside the casework action that starts and ends the step, in the same transaction,
    so a step can never leave its clock open. ``deadline`` counts the stage's working days (settings
    ``HUICAI_STAGE_*_DAYS``) on the official calendar, so a change of the calendar moves it like any other
    limit. The holder is the organisation that must act and is carded when it does not: a window, a
    department, or the talent's employing unit (supplement and informing count against the unit, not the
    department). One open clock per stage and object, guarded in the database.
    """

    application = models.ForeignKey(
        Application, verbose_name=_("申办"), on_delete=models.CASCADE, related_name="stage_clocks"
    )
    task = models.ForeignKey(
        Task,
        verbose_name=_("任务"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stage_clocks",
    )
    stage = models.CharField(_("环节"), max_length=20, choices=Stage.choices)
    holder = models.CharField(_("责任方类别"), max_length=20, choices=Holder.choices)
    window = models.ForeignKey(
        "org.Window",
        verbose_name=_("责任窗口"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stage_clocks",
    )
    department = models.ForeignKey(
        "org.Department",
        verbose_name=_("责任部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stage_clocks",
    )
    employer = models.ForeignKey(
        "org.Employer",
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stage_clocks",
    )
    # The unit commissioner who holds a unit's step (the one told when it runs late).
    unit_post = models.ForeignKey(
        "commissioners.Post",
        verbose_name=_("单位专员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stage_clocks",
    )
    deadline = models.OneToOneField(
        "workdays.Deadline", verbose_name=_("时限"), on_delete=models.PROTECT, related_name="stage_clock"
    )
    started_at = models.DateTimeField(_("开始时间"))
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结束人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = StageClockQuerySet.as_manager()

    class Meta:
        verbose_name = _("环节时限")
        verbose_name_plural = _("环节时限")
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["closed_at", "stage"])]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "stage"],
                condition=Q(closed_at__isnull=True, task__isnull=False),
                name="one_open_stage_clock_per_task",
                violation_error_message=_("该任务的此环节已在计时中。"),
            ),
            models.UniqueConstraint(
                fields=["application", "stage"],
                condition=Q(closed_at__isnull=True, task__isnull=True),
                name="one_open_stage_clock_per_application",
                violation_error_message=_("该申办的此环节已在计时中。"),
            ),
            # Triage happens before there is a task; every other stage is a task's.
            models.CheckConstraint(
                condition=Q(stage=Stage.TRIAGE, task__isnull=True)
                | (~Q(stage=Stage.TRIAGE) & Q(task__isnull=False)),
                name="stage_clock_task_matches_stage",
                violation_error_message=_("梳理分办环节属于申办，其他环节属于任务。"),
            ),
            # Exactly the organisation of the holder's kind is recorded.
            models.CheckConstraint(
                condition=Q(
                    holder=Holder.WINDOW, window__isnull=False, department__isnull=True, employer__isnull=True
                )
                | Q(
                    holder=Holder.DEPARTMENT,
                    window__isnull=True,
                    department__isnull=False,
                    employer__isnull=True,
                )
                | Q(holder=Holder.UNIT, window__isnull=True, department__isnull=True, employer__isnull=False),
                name="stage_clock_holder_matches_kind",
                violation_error_message=_("环节的责任方与其类别不符。"),
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=models.F("started_at")),
                name="stage_clock_closes_after_start",
                violation_error_message=_("环节结束时间不能早于开始时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.task or self.application} {self.get_stage_display()}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def due_date(self):
        return self.deadline.due_date

    @property
    def holder_org(self):
        """The window, department or employing unit that holds the step."""
        return self.window or self.department or self.employer

    @property
    def holder_name(self) -> str:
        org = self.holder_org
        return org.name if org is not None else ""

    def is_overdue_on(self, today) -> bool:
        return self.is_open and today > self.deadline.due_date
