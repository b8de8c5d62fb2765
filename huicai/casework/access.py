"""Who may see and act on applications and tasks. Unseen is 404; seen but not yours to change is 403.

Seeing:
- the talent sees their own applications;
- the talent's current unit commissioner sees the talent's applications (S11);
- a window sees applications of talents whose home window lies in its subtree (W3, S14);
- a department commissioner sees the applications with a task of their department, and those tasks
  (S12); an undertaking commissioner those with a task handed to their institution (S13).

Seeing an application is not seeing all of it: a department or an institution sees only its own part
(``application_part_for``, ``materials_visible_to``: need-to-know, issue 13).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from huicai.accounts.roles import any_of, get_scope, window_condition
from huicai.casework.choices import (
    OPEN_TASK_STATUSES,
    RUNNING_STATUSES,
    ApplicationStatus,
    CaseAction,
    ExtensionStatus,
    TaskStatus,
)
from huicai.casework.models import Application, Task
from huicai.commissioners.access import unit_talent_ids
from huicai.core.transitions import Step, StepTable


def applications_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = []
    # A talent sees their own applications.
    if scope.talent_id:
        conditions.append(Q(talent_id=scope.talent_id))
    # The talent's current unit commissioner sees them.
    if scope.unit_post_ids:
        conditions.append(Q(talent_id__in=unit_talent_ids(scope)))
    # A window sees applications of talents at home in its subtree.
    by_window = window_condition(scope, "talent__home_window__path")
    if by_window is not None:
        conditions.append(by_window)
    # A department or undertaking commissioner sees the applications with a task they hold (only their
    # part of each: application_part_for).
    holds = any_of(task_holder_conditions(scope, ""))
    if holds is not None:
        conditions.append(Q(pk__in=Task.objects.filter(holds).values("application_id")))
    combined = any_of(conditions)
    return queryset.filter(combined) if combined is not None else queryset.none()


def tasks_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = []
    # A talent sees the tasks of their own applications.
    if scope.talent_id:
        conditions.append(Q(application__talent_id=scope.talent_id))
    # The talent's current unit commissioner sees them.
    if scope.unit_post_ids:
        conditions.append(Q(application__talent_id__in=unit_talent_ids(scope)))
    # A window sees every task of applications in its jurisdiction.
    by_window = window_condition(scope, "application__talent__home_window__path")
    if by_window is not None:
        conditions.append(by_window)
    # A department commissioner sees their department's tasks (only those); an undertaking commissioner
    # the tasks handed to their institution.
    conditions += task_holder_conditions(scope, "")
    combined = any_of(conditions)
    return queryset.filter(combined) if combined is not None else queryset.none()


def talents_named_in_tasks(scope):
    """Extra talent visibility for department and undertaking commissioners (registered in apps.py)."""
    holds = any_of(task_holder_conditions(scope, ""))
    if holds is None:
        return None
    return Q(pk__in=Task.objects.filter(holds).values("application__talent_id"))


def get_application_for_user(user, pk):
    application = (
        Application.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("talent__home_window", "talent__employer", "unit_post__user", "window")
        .first()
    )
    if application is None:
        raise Http404
    return application


def get_task_for_user(user, pk):
    task = (
        Task.objects.visible_to(user)
        .filter(pk=pk)
        .select_related(
            "application__talent__home_window",
            "application__unit_post__user",
            "department",
            "deadline",
            "undertaking_org",
        )
        .first()
    )
    if task is None:
        raise Http404
    return task


# --- Who may act (403 when they can see but not act). Each returns a bool. ---


def is_unit_commissioner_of(user, talent) -> bool:
    """The talent's current one-to-one unit commissioner (S11)."""
    scope = get_scope(user)
    return (
        bool(scope.unit_post_ids)
        and talent.unit_assignments.open().filter(post_id__in=scope.unit_post_ids).exists()
    )


# The system administrator sees every case but is no window, department or institution: a step is taken
# by whoever holds that organisation's post, and the event names them (a superuser who also holds a post
# acts through that post, like anyone else).


def is_window_over(user, talent) -> bool:
    """A window commissioner whose jurisdiction includes the talent's home window (S14)."""
    scope = get_scope(user)
    return any(talent.home_window.path.startswith(path) for path in scope.window_paths)


def is_department_commissioner_of(user, task) -> bool:
    """A commissioner of the task's department (S12)."""
    scope = get_scope(user)
    return task.department_id in scope.department_ids


def is_undertaking_commissioner_of(user, task) -> bool:
    """An undertaking commissioner of the institution the task was handed to (S13)."""
    scope = get_scope(user)
    return task.undertaking_org_id is not None and task.undertaking_org_id in scope.undertaking_org_ids


def is_talent(user, talent) -> bool:
    return get_scope(user).talent_id == talent.pk


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


# --- Need-to-know inside one application (issue 13) ---------------------------------------------------
#
# Seeing an application is not seeing all of it. The talent, their unit commissioner and the window chain
# over the talent (county window, city, system administrator) see the whole application. A department
# commissioner sees it only because it holds one of its tasks, an undertaking commissioner because one was
# handed to their institution: they see the header, their own tasks, the items of those tasks and the
# materials filed for those items (each item files its own copy of a shared document such as the ID card,
# so a department sees that document only when its own item lists it), the events of their tasks, and
# the application's milestones with their notes withheld. Pages, API, timeline and downloads all read
# the part through ``application_part_for`` and ``materials_visible_to`` below, so they cannot disagree.

# Application-level steps (no task) that a task holder sees in the timeline, note and data withheld: they
# date the application (created, submitted, split, routed, withdrawn, closed) but their notes can speak of
# every item (the window's split note, the hotline text) and their data lists every item and route.
# Uploads before the split name each item's materials and are left out.
MILESTONE_ACTIONS = frozenset(
    {
        CaseAction.CREATE,
        CaseAction.HOTLINE,
        CaseAction.SUBMIT,
        CaseAction.SPLIT,
        CaseAction.ROUTE,
        CaseAction.WITHDRAW,
        CaseAction.CLOSE,
    }
)


@dataclass(frozen=True)
class ApplicationPart:
    """The part of one application that one user may see: all of it (``full``), or the tasks they hold
    and the items of those tasks. Filters querysets and answers for rows already loaded (prefetches)."""

    full: bool
    task_ids: frozenset = frozenset()
    item_ids: frozenset = frozenset()

    def sees_task(self, task) -> bool:
        return self.full or task.pk in self.task_ids

    def sees_item(self, item) -> bool:
        return self.full or item.pk in self.item_ids

    def sees_material(self, material) -> bool:
        return self.full or material.application_item_id in self.item_ids

    def sees_event(self, event) -> bool:
        return (
            self.full
            or event.task_id in self.task_ids
            or (event.task_id is None and event.action in MILESTONE_ACTIONS)
        )

    def tasks(self, queryset):
        return queryset if self.full else queryset.filter(pk__in=self.task_ids)

    def items(self, queryset):
        return queryset if self.full else queryset.filter(pk__in=self.item_ids)

    def materials(self, queryset):
        return queryset if self.full else queryset.filter(application_item_id__in=self.item_ids)

    def events(self, queryset) -> list:
        """The events this user may read, as a list: for a task holder, the milestones without their
        note and data (the rows are read-only here; events are never saved after they are written)."""
        if not self.full:
            queryset = queryset.filter(
                # Every event of a task they hold, its notes included.
                Q(task_id__in=self.task_ids)
                # The application's milestones, to date it.
                | Q(task__isnull=True, action__in=MILESTONE_ACTIONS)
            )
        events = list(queryset)
        if not self.full:
            for event in events:
                if event.task_id is None:
                    event.note = ""
                    event.data = {}
        return events


FULL_PART = ApplicationPart(full=True)


def application_part_for(user, application) -> ApplicationPart:
    """What of ``application`` (which ``user`` may see: fetched through ``get_application_for_user`` or
    ``visible_to``) the user may see. At most two queries."""
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return FULL_PART
    # The talent sees their own application.
    if scope.talent_id and application.talent_id == scope.talent_id:
        return FULL_PART
    # The window chain over the talent's home window sees the whole application (W13: it splits it).
    if scope.window_paths and is_window_over(user, application.talent):
        return FULL_PART
    # The talent's current unit commissioner prepared it and passes every result on (S11).
    if scope.unit_post_ids and is_unit_commissioner_of(user, application.talent):
        return FULL_PART
    # Anyone else sees it through the tasks they hold (a department's, or one handed to an institution).
    rows = (
        Task.objects.filter(application=application)
        .filter(any_of(task_holder_conditions(scope, "")) or Q(pk__in=[]))
        .values_list("pk", "items__pk")
    )
    task_ids, item_ids = set(), set()
    for task_id, item_id in rows:
        task_ids.add(task_id)
        if item_id is not None:
            item_ids.add(item_id)
    return ApplicationPart(full=False, task_ids=frozenset(task_ids), item_ids=frozenset(item_ids))


def task_holder_conditions(scope, task_path) -> list:
    """Q conditions for rows whose task (reached through ``task_path``, "" for a Task itself, else a
    lookup ending in ``__``) is held by the user: their department's, or handed to their institution."""
    conditions = []
    # A department commissioner holds their department's tasks.
    if scope.department_ids:
        conditions.append(Q(**{f"{task_path}department_id__in": scope.department_ids}))
    # An undertaking commissioner holds the tasks handed to their institution.
    if scope.undertaking_org_ids:
        conditions.append(Q(**{f"{task_path}undertaking_org_id__in": scope.undertaking_org_ids}))
    return conditions


def materials_visible_to(queryset, user):
    """The materials a user may download: every material of an application they see whole, and of the
    others only those filed for an item of a task they hold (the same rule as ``application_part_for``)."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = []
    # A talent sees the materials of their own applications.
    if scope.talent_id:
        conditions.append(Q(application__talent_id=scope.talent_id))
    # The talent's current unit commissioner sees them (they filed them).
    if scope.unit_post_ids:
        conditions.append(Q(application__talent_id__in=unit_talent_ids(scope)))
    # A window sees every material of applications in its jurisdiction.
    by_window = window_condition(scope, "application__talent__home_window__path")
    if by_window is not None:
        conditions.append(by_window)
    # A task holder sees the materials filed for the items of their tasks, and no sibling's.
    conditions += task_holder_conditions(scope, "application_item__task__")
    combined = any_of(conditions)
    return queryset.filter(combined) if combined is not None else queryset.none()


# --- the task's steps --------------------------------------------------------------------------------
# One table for the task: the action's state guard (actions._refuse_unless), the pages' step forms and the
# API's ``allowed_steps`` all read it, so what a page offers is what the action allows (tests/test_steps.py).


def _department(user, task):
    return is_department_commissioner_of(user, task)


def _unit(user, task):
    return is_unit_commissioner_of(user, task.application.talent)


def _window(user, task):
    return is_window_over(user, task.application.talent)


def _undertaking(user, task):
    return is_undertaking_commissioner_of(user, task)


def _unit_or_talent(user, task):
    return _unit(user, task) or is_talent(user, task.application.talent)


def _uninformed_unit(user, task):
    return task.informed_at is None and _unit(user, task)


def _window_with_extension_to_acknowledge(user, task):
    # W13: the window acknowledges each delay a department files; offered while one waits for it.
    return _window(user, task) and any(
        x.status == ExtensionStatus.FILED and x.acknowledged_at is None for x in task.extensions.all()
    )


def _department_without_delay_to_decide(user, task):
    # A department files no further delay while one past the cap waits for the window (the action refuses).
    return _department(user, task) and not any(
        x.status == ExtensionStatus.AWAITING_APPROVAL for x in task.extensions.all()
    )


def _window_with_extension_to_decide(user, task):
    # The 12345 cap: a delay past it waits for the window's approval or refusal; offered while one waits.
    return _window(user, task) and any(
        x.status == ExtensionStatus.AWAITING_APPROVAL for x in task.extensions.all()
    )


TASK_STEPS = StepTable(
    [
        Step("request-materials", _("一次性告知补正材料"), (TaskStatus.PENDING,), _department),
        Step("accept", _("受理"), (TaskStatus.PENDING,), _department),
        Step(
            "return",
            _("退回窗口（非本部门事项）"),
            (TaskStatus.PENDING, TaskStatus.MATERIALS_REQUESTED),
            _department,
        ),
        Step("resubmit", _("补正后重新提交"), (TaskStatus.MATERIALS_REQUESTED,), _unit),
        Step("reroute", _("改派部门"), (TaskStatus.RETURNED,), _window),
        Step("delegate", _("交承办机构办理"), (TaskStatus.ACCEPTED,), _department),
        Step("report-back", _("向部门专员反馈"), (TaskStatus.DELEGATED,), _undertaking),
        Step("suspend", _("中止计时"), tuple(RUNNING_STATUSES), _department),
        Step("resume", _("恢复计时"), (TaskStatus.SUSPENDED,), _department),
        Step("extend", _("延期办理"), tuple(RUNNING_STATUSES), _department_without_delay_to_decide),
        Step("complete", _("办结"), tuple(RUNNING_STATUSES), _department),
        # In any state: a delay filed before completion is still acknowledged after it. The page offers it
        # on each extension's row (casework:extension_acknowledge), not as a step form.
        Step(
            "acknowledge-extension",
            _("确认延期备案"),
            tuple(TaskStatus.values),
            _window_with_extension_to_acknowledge,
        ),
        Step(
            "approve-extension",
            _("批准超长延期"),
            tuple(TaskStatus.values),
            _window_with_extension_to_decide,
        ),
        Step(
            "refuse-extension",
            _("不批准超长延期"),
            tuple(TaskStatus.values),
            _window_with_extension_to_decide,
        ),
        Step(
            "inform",
            _("记录已告知人才"),
            (TaskStatus.COMPLETED,),
            _uninformed_unit,
            refusal=_("任务尚未办结，还没有可告知的结果。"),
        ),
        Step(
            "withdraw",
            _("撤回"),
            tuple(OPEN_TASK_STATUSES),
            _unit_or_talent,
            refusal=_("任务已办结或已撤回，不能撤回。"),
        ),
    ],
    refusal=_("任务当前状态为“%(status)s”，不能执行此操作（可能已被他人处理，请刷新）。"),
)


# --- the application's steps ------------------------------------------------------------------------
# The same for the application as a whole: the actions' state guard (actions._refuse_application_unless)
# and the application page read it. Hotline orders are routed, unit applications split: the source decides
# which, before the state does.


def _unit_of_application(user, application):
    return is_unit_commissioner_of(user, application.talent)


def _unit_or_talent_of_application(user, application):
    return is_unit_commissioner_of(user, application.talent) or is_talent(user, application.talent)


def _window_of_application(user, application):
    return is_window_over(user, application.talent)


APPLICATION_STEPS = StepTable(
    [
        Step(
            "consent",
            _("记录人才同意"),
            (ApplicationStatus.DRAFT,),
            _unit_or_talent_of_application,
            refusal=_("申办已提交，不能再修改同意记录。"),
        ),
        Step(
            "submit",
            _("提交申办"),
            (ApplicationStatus.DRAFT,),
            _unit_of_application,
            refusal=_("该申办已经提交。"),
        ),
        Step(
            "split",
            _("梳理分办"),
            (ApplicationStatus.SUBMITTED,),
            _window_of_application,
            refusal=_("该申办不在待梳理状态，不能分办（可能已被他人分办，请刷新）。"),
        ),
        Step(
            "route",
            _("指派部门"),
            (ApplicationStatus.SUBMITTED,),
            _window_of_application,
            refusal=_("该工单不在待指派状态（可能已被他人指派，请刷新）。"),
        ),
        Step(
            "withdraw",
            _("撤回申办"),
            (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.IN_PROGRESS),
            _unit_or_talent_of_application,
            refusal=_("该申办已办结或已撤回。"),
        ),
    ]
)


# --- an extension's steps (W13, the 12345 cap) ----------------------------------------------------------
# Who may take each window step on a filed extension, and from which of the extension's states: the actions'
# guard (actions.acknowledge_extension, approve_extension, refuse_extension) and the task page read it.


def _window_of_extension(user, extension):
    return is_window_over(user, extension.task.application.talent)


EXTENSION_STEPS = StepTable(
    [
        Step(
            "acknowledge",
            _("确认延期备案"),
            (ExtensionStatus.FILED,),
            _window_of_extension,
            refusal=_("该延期为“%(status)s”，无需确认备案。"),
        ),
        Step(
            "approve",
            _("批准超长延期"),
            (ExtensionStatus.AWAITING_APPROVAL,),
            _window_of_extension,
            refusal=_("该延期为“%(status)s”，不在待审批状态（可能已被他人处理，请刷新）。"),
        ),
        Step(
            "refuse",
            _("不批准超长延期"),
            (ExtensionStatus.AWAITING_APPROVAL,),
            _window_of_extension,
            refusal=_("该延期为“%(status)s”，不在待审批状态（可能已被他人处理，请刷新）。"),
        ),
    ]
)
