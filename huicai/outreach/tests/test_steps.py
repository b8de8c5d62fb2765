"""The difficulty's step table and its actions agree: from every state, each step is refused by its action
exactly when the table (which the detail page and the API's ``allowed_steps`` read) does not list the state,
and taken when it does."""

import pytest

from huicai.core.transitions import NotAllowed
from huicai.outreach import actions, views
from huicai.outreach.access import DIFFICULTY_STEPS, allowed_steps
from huicai.outreach.choices import DifficultyStatus
from huicai.outreach.models import Difficulty
from huicai.outreach.tests.conftest import record


def difficulty_in(world, status):
    """A difficulty brought to ``status`` by the real actions, held by wang_fang or the 兰山区 window."""
    difficulty = record(world)
    if status == DifficultyStatus.IN_PROGRESS:
        actions.start_difficulty(difficulty, by=world.wang_fang, at=world.at)
    elif status == DifficultyStatus.ESCALATED:
        actions.escalate_difficulty(difficulty, note="请窗口协调。", by=world.wang_fang, at=world.at)
    elif status in (DifficultyStatus.RESPONDED, DifficultyStatus.RESOLVED, DifficultyStatus.CLOSED):
        resolved = status != DifficultyStatus.RESPONDED
        actions.respond_to_difficulty(
            difficulty, response="已协调。", resolved=resolved, by=world.wang_fang, at=world.at
        )
    if status == DifficultyStatus.CLOSED:
        actions.close_difficulty(difficulty, by=world.li_ming_user, at=world.at)
    difficulty = Difficulty.objects.get(pk=difficulty.pk)
    assert difficulty.status == status
    return difficulty


def step_data(case, step):
    return {
        "escalate": {"note": "请上级协调。"},
        "respond": {"response": "已答复。", "resolved": False},
        "link-catalogue": {"item": case.hukou, "note": "新增绿色通道。"},
    }.get(step, {"note": ""})


def actor(world, step, difficulty):
    """Someone the table lets take the step on this difficulty (its holder, the window over it, or the
    talent), so that only the state decides; None when nobody may in this state (the system administrator
    is no unit, department or window)."""
    candidates = [world.wang_fang, world.chen_jing, world.zhou_min, world.li_ming_user]
    return next((user for user in candidates if DIFFICULTY_STEPS[step].may(user, difficulty)), None)


@pytest.mark.parametrize("status", DifficultyStatus.values)
@pytest.mark.parametrize("step", [step.name for step in DIFFICULTY_STEPS])
def test_the_action_takes_a_step_from_exactly_the_states_its_table_lists(case, step, status):
    world = case.world
    difficulty = difficulty_in(world, status)
    events = difficulty.events.count()
    listed = status in DIFFICULTY_STEPS[step].statuses
    by = actor(world, step, difficulty)

    if listed:
        views._run_step(step, difficulty, step_data(case, step), by=by, at=world.at)
    elif by is None:
        # Nobody holds the difficulty in this state: whoever tries is refused before the state is read.
        with pytest.raises((actions.InvalidTransition, NotAllowed)):
            views._run_step(step, difficulty, step_data(case, step), by=world.chen_jing, at=world.at)
    else:
        with pytest.raises(actions.InvalidTransition):
            views._run_step(step, difficulty, step_data(case, step), by=by, at=world.at)

    if by is not None:
        assert (step in allowed_steps(by, difficulty)) is listed
    if not listed:
        assert Difficulty.objects.get(pk=difficulty.pk).status == status
        assert difficulty.events.count() == events
