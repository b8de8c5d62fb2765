"""The table of task steps shared by the pages and the API: who may take each step, from which states,
and which action it runs. Pages bind a form to a step, the API a serializer; both end in the same action.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from huicai.casework import access, actions
from huicai.casework.choices import OPEN_TASK_STATUSES, RUNNING_STATUSES, TaskStatus


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    statuses: tuple
    may: Callable  # (user, task) -> bool
    run: Callable  # (task, data, *, by, at, expected_version) -> object

    def available(self, user, task) -> bool:
        return task.status in self.statuses and self.may(user, task)


def _department(user, task):
    return access.is_department_commissioner_of(user, task)


def _unit(user, task):
    return access.is_unit_commissioner_of(user, task.application.talent)


def _window(user, task):
    return access.is_window_over(user, task.application.talent)


def _undertaking(user, task):
    return access.is_undertaking_commissioner_of(user, task)


def _unit_or_talent(user, task):
    return _unit(user, task) or access.is_talent(user, task.application.talent)


def _uninformed_unit(user, task):
    return task.informed_at is None and _unit(user, task)


STEPS = [
    Step(
        "request-materials",
        _("一次性告知补正材料"),
        (TaskStatus.PENDING,),
        _department,
        lambda task, d, **kw: actions.request_materials(task, items=d["items"], note=d.get("note", ""), **kw),
    ),
    Step(
        "accept",
        _("受理"),
        (TaskStatus.PENDING,),
        _department,
        lambda task, d, **kw: actions.accept_task(task, note=d.get("note", ""), **kw),
    ),
    Step(
        "return",
        _("退回窗口（非本部门事项）"),
        (TaskStatus.PENDING, TaskStatus.MATERIALS_REQUESTED),
        _department,
        lambda task, d, **kw: actions.return_task(task, reason=d["reason"], **kw),
    ),
    Step(
        "resubmit",
        _("补正后重新提交"),
        (TaskStatus.MATERIALS_REQUESTED,),
        _unit,
        lambda task, d, **kw: actions.resubmit_task(task, note=d.get("note", ""), **kw),
    ),
    Step(
        "reroute",
        _("改派部门"),
        (TaskStatus.RETURNED,),
        _window,
        lambda task, d, **kw: actions.reroute_task(
            task, department=d["department"], note=d.get("note", ""), **kw
        ),
    ),
    Step(
        "delegate",
        _("交承办机构办理"),
        (TaskStatus.ACCEPTED,),
        _department,
        lambda task, d, **kw: actions.delegate_task(
            task, undertaking_org=d["undertaking_org"], note=d.get("note", ""), **kw
        ),
    ),
    Step(
        "report-back",
        _("向部门专员反馈"),
        (TaskStatus.DELEGATED,),
        _undertaking,
        lambda task, d, **kw: actions.report_back(task, note=d["note"], **kw),
    ),
    Step(
        "suspend",
        _("中止计时"),
        tuple(RUNNING_STATUSES),
        _department,
        lambda task, d, **kw: actions.suspend_task(
            task, reason=d["reason"], legal_basis=d["legal_basis"], **kw
        ),
    ),
    Step(
        "resume",
        _("恢复计时"),
        (TaskStatus.SUSPENDED,),
        _department,
        lambda task, d, **kw: actions.resume_task(task, note=d.get("note", ""), **kw),
    ),
    Step(
        "extend",
        _("延期办理"),
        tuple(RUNNING_STATUSES),
        _department,
        lambda task, d, **kw: actions.extend_task(
            task,
            new_due_date=d["new_due_date"],
            reason=d["reason"],
            explanation=d["explanation"],
            explained_via=d["explained_via"],
            **kw,
        ),
    ),
    Step(
        "complete",
        _("办结"),
        tuple(RUNNING_STATUSES),
        _department,
        lambda task, d, **kw: actions.complete_task(
            task, result=d["result"], note=d.get("note", ""), document=d.get("document"), **kw
        ),
    ),
    Step(
        "inform",
        _("记录已告知人才"),
        (TaskStatus.COMPLETED,),
        _uninformed_unit,
        lambda task, d, **kw: actions.inform_talent(task, via=d["via"], note=d.get("note", ""), **kw),
    ),
    Step(
        "withdraw",
        _("撤回"),
        tuple(OPEN_TASK_STATUSES),
        _unit_or_talent,
        lambda task, d, **kw: actions.withdraw_task(task, reason=d["reason"], **kw),
    ),
]
STEPS_BY_NAME = {step.name: step for step in STEPS}


def available_steps(user, task):
    return [step for step in STEPS if step.available(user, task)]
