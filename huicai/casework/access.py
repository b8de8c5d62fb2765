"""Who may see and act on applications and tasks. Unseen is 404; seen but not yours to change is 403.

Seeing:
- the talent sees their own applications;
- the talent's current unit commissioner sees the talent's applications (S11);
- a window sees applications of talents whose home window lies in its subtree (W3, S14);
- a department commissioner sees the applications with a task of their department, and those tasks
  (S12); an undertaking commissioner those with a task handed to their institution (S13).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from huicai.accounts.roles import any_of, get_scope, unit_talent_ids, window_condition
from huicai.casework.choices import OPEN_TASK_STATUSES, RUNNING_STATUSES, ApplicationStatus, TaskStatus
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
    # A department commissioner sees applications with a task of their department.
    if scope.department_ids:
        from huicai.casework.models import Task

        conditions.append(
            Q(pk__in=Task.objects.filter(department_id__in=scope.department_ids).values("application_id"))
        )
    # An undertaking commissioner sees applications with a task handed to their institution.
    if scope.undertaking_org_ids:
        from huicai.casework.models import Task

        conditions.append(
            Q(
                pk__in=Task.objects.filter(undertaking_org_id__in=scope.undertaking_org_ids).values(
                    "application_id"
                )
            )
        )
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
    # A department commissioner sees their department's tasks (only those).
    if scope.department_ids:
        conditions.append(Q(department_id__in=scope.department_ids))
    # An undertaking commissioner sees the tasks handed to their institution.
    if scope.undertaking_org_ids:
        conditions.append(Q(undertaking_org_id__in=scope.undertaking_org_ids))
    combined = any_of(conditions)
    return queryset.filter(combined) if combined is not None else queryset.none()


def talents_named_in_tasks(scope):
    """Extra talent visibility for department and undertaking commissioners (registered in apps.py)."""
    from huicai.casework.models import Task

    conditions = []
    if scope.department_ids:
        conditions.append(
            Q(
                pk__in=Task.objects.filter(department_id__in=scope.department_ids).values(
                    "application__talent_id"
                )
            )
        )
    if scope.undertaking_org_ids:
        conditions.append(
            Q(
                pk__in=Task.objects.filter(undertaking_org_id__in=scope.undertaking_org_ids).values(
                    "application__talent_id"
                )
            )
        )
    return any_of(conditions)


def get_application_for_user(user, pk):
    from huicai.casework.models import Application

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
    from huicai.casework.models import Task

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


def is_window_over(user, talent) -> bool:
    """A window commissioner whose jurisdiction includes the talent's home window (S14)."""
    scope = get_scope(user)
    return scope.is_superuser or any(talent.home_window.path.startswith(path) for path in scope.window_paths)


def is_department_commissioner_of(user, task) -> bool:
    scope = get_scope(user)
    return scope.is_superuser or task.department_id in scope.department_ids


def is_undertaking_commissioner_of(user, task) -> bool:
    scope = get_scope(user)
    return scope.is_superuser or (
        task.undertaking_org_id is not None and task.undertaking_org_id in scope.undertaking_org_ids
    )


def is_talent(user, talent) -> bool:
    return get_scope(user).talent_id == talent.pk


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


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
        Step("extend", _("延期办理"), tuple(RUNNING_STATUSES), _department),
        Step("complete", _("办结"), tuple(RUNNING_STATUSES), _department),
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
