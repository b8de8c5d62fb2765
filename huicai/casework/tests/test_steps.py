"""The step tables of the task and of the application agree with their actions: every step, from every
state, is refused by the action exactly when the table (which the pages and the API's ``allowed_steps``
read) does not list that state."""

import datetime

import pytest
from django.db import transaction

from huicai.casework import actions
from huicai.casework.access import APPLICATION_STEPS, TASK_STEPS
from huicai.casework.choices import (
    ApplicationStatus,
    ExplainedVia,
    InformChannel,
    Result,
    SuspensionReason,
    TaskStatus,
)
from huicai.casework.models import Application, Task
from huicai.casework.steps import STEPS_BY_NAME, available_steps
from huicai.casework.tests.conftest import prepare
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.core.transitions import NotAllowed
from huicai.org.models import UndertakingOrg
from huicai.testing import make_user
from huicai.workdays import calendar

# Tuesday 3 March 2026, 10:00 in Linyi: the morning after the world's tasks were set up.
MON = datetime.datetime(2026, 3, 3, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def station(case):
    """An undertaking institution of 市公安局, the department of the task."""
    world = case.world
    station = UndertakingOrg.objects.create(
        name="临沂市公安局户政服务中心",
        department=world.departments["市公安局"],
        division=world.divisions["临沂市"],
    )
    # The institution's own commissioner reports back (the system administrator is no institution).
    station.commissioner = make_user("hu_zx", "胡中心")
    appoint_commissioner(
        user=station.commissioner,
        kind=PostKind.UNDERTAKING,
        organisation=station,
        by=world.admin,
        at=world.at,
    )
    return station


def step_data(case, station):
    world = case.world
    return {
        "request-materials": {"items": [{"name": "户口簿复印件"}]},
        "accept": {},
        "return": {"reason": "非本部门事项"},
        "resubmit": {},
        "reroute": {"department": world.departments["市教育局"]},
        "delegate": {"undertaking_org": station},
        "report-back": {"note": "已办理"},
        "suspend": {"reason": SuspensionReason.HEARING, "legal_basis": "行政许可法第45条"},
        "resume": {},
        "extend": {
            "new_due_date": datetime.date(2026, 4, 30),
            "reason": "需要核实",
            "explanation": "已电话说明",
            "explained_via": ExplainedVia.DIRECT,
        },
        "complete": {"result": Result.HANDLED},
        "inform": {"via": InformChannel.PHONE},
        "withdraw": {"reason": "人才已另行办理"},
    }


def task_in(case, status, station):
    """A task brought to ``status`` by the real actions, as the product would bring it there."""
    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    police = case.police
    if status == TaskStatus.MATERIALS_REQUESTED:
        actions.request_materials(task, items=[{"name": "户口簿"}], by=police, at=world.at)
    elif status == TaskStatus.RETURNED:
        actions.return_task(task, reason="非本部门事项", by=police, at=world.at)
    elif status == TaskStatus.WITHDRAWN:
        actions.withdraw_task(task, reason="不再需要", by=world.wang_fang, at=world.at)
    elif status != TaskStatus.PENDING:
        actions.accept_task(task, by=police, at=world.at)
    if status == TaskStatus.DELEGATED:
        actions.delegate_task(task, undertaking_org=station, by=police, at=world.at)
    elif status == TaskStatus.SUSPENDED:
        actions.suspend_task(
            task, reason=SuspensionReason.HEARING, legal_basis="听证", by=police, at=world.at
        )
    elif status == TaskStatus.COMPLETED:
        actions.complete_task(task, result=Result.HANDLED, by=police, at=world.at)
    task = Task.objects.get(pk=task.pk)
    assert task.status == status
    return task


def actor(case, step, station):
    """Someone the table says may take the step, so that only the state decides."""
    world = case.world
    if step in ("resubmit", "inform", "withdraw"):
        return world.wang_fang
    if step == "reroute":
        return world.chen_jing
    if step == "report-back":
        return station.commissioner
    return case.police


# The acknowledgement of an extension is open in every state while an extension waits for it: whether it
# is offered depends on that, not on the state (tests/test_api_allowed_steps.py walks it with the others).
# So are the approval and refusal of a delay past the cap, while one waits for the window.
EXTENSION_DECISIONS = ("acknowledge-extension", "approve-extension", "refuse-extension")


@pytest.mark.parametrize("status", TaskStatus.values)
@pytest.mark.parametrize("step", [step.name for step in TASK_STEPS if step.name not in EXTENSION_DECISIONS])
def test_the_action_refuses_a_step_from_exactly_the_states_its_table_does_not_list(
    case, station, step, status
):
    task = task_in(case, status, station)
    by = actor(case, step, station)
    events = task.events.count()
    listed = status in TASK_STEPS[step].statuses
    refusal = TASK_STEPS[step].refusal or (
        f"任务当前状态为“{TaskStatus(status).label}”，不能执行此操作（可能已被他人处理，请刷新）。"
    )

    try:
        with transaction.atomic():
            data = step_data(case, station)[step]
            if step == "extend" and task.deadline_id:
                # Within the 12345 cap, so that the delay needs no approval and the step stays open after it.
                data = {**data, "new_due_date": calendar.add_working_days(task.deadline.due_date, 3)}
            STEPS_BY_NAME[step].run(task, data, by=by, at=MON, expected_version=None)
        refused = None
    except actions.InvalidTransition as error:
        refused = error.messages[0]
    except NotAllowed:
        refused = NotAllowed
    except Exception:  # noqa: BLE001 — a listed state may still fail on another rule; not the state guard
        refused = None

    if step == "report-back" and task.undertaking_org_id is None:
        # Only the institution a task was handed to reports back: on a task never delegated nobody may.
        assert refused is NotAllowed
    else:
        assert (refused == str(refusal)) is not listed
    assert (step in [s.name for s in available_steps(by, task)]) is listed
    if not listed:
        task.refresh_from_db()
        assert task.status == status
        assert task.events.count() == events


def application_in(case, status):
    """An application of two items (so that it waits for the window's split) brought to ``status``."""
    world = case.world
    items = [case.hukou] if status == ApplicationStatus.CLOSED else [case.hukou, case.housing]
    application = prepare(case, items)
    if status != ApplicationStatus.DRAFT:
        actions.submit_application(application, by=world.wang_fang, at=world.at)
    if status == ApplicationStatus.IN_PROGRESS:
        routes = actions.suggested_routes(application)
        actions.split_application(application, routes=routes, by=world.chen_jing, at=world.at)
    elif status == ApplicationStatus.CLOSED:
        task = actions.accept_task(application.tasks.get(), by=case.police, at=world.at)
        actions.complete_task(task, result=Result.HANDLED, by=case.police, at=MON)
    elif status == ApplicationStatus.WITHDRAWN:
        actions.withdraw_application(application, reason="不再需要", by=world.wang_fang, at=world.at)
    application = Application.objects.get(pk=application.pk)
    assert application.status == status
    return application


def take_application_step(case, step, application):
    world = case.world
    if step == "consent":
        return actions.record_consent(application, method="signed", by=world.wang_fang, at=MON)
    if step == "submit":
        return actions.submit_application(application, by=world.wang_fang, at=MON)
    if step == "split":
        routes = actions.suggested_routes(application)
        return actions.split_application(application, routes=routes, by=world.chen_jing, at=MON)
    return actions.withdraw_application(application, reason="人才已另行办理", by=world.wang_fang, at=MON)


@pytest.mark.parametrize("status", ApplicationStatus.values)
# "route" is the hotline orders' split, refused for a unit's application whatever its state.
@pytest.mark.parametrize("step", [step.name for step in APPLICATION_STEPS if step.name != "route"])
def test_an_application_step_is_taken_from_exactly_the_states_its_table_lists(case, step, status):
    application = application_in(case, status)
    events = application.events.count()
    listed = status in APPLICATION_STEPS[step].statuses

    if listed:
        take_application_step(case, step, application)
    else:
        with pytest.raises(actions.InvalidTransition) as refused:
            take_application_step(case, step, application)

    if not listed:
        assert refused.value.messages == [str(APPLICATION_STEPS[step].refusal)]
        assert Application.objects.get(pk=application.pk).status == status
        assert application.events.count() == events
