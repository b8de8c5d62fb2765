"""The rectification's step table and its actions agree: from every state, each step is refused by its
action exactly when the table (which the detail page and the API read) does not list the state, and taken
when it does."""

import pytest

from huicai.ratings import actions
from huicai.ratings.access import RECTIFICATION_STEPS
from huicai.ratings.choices import RectificationStatus, ResponseKind
from huicai.ratings.models import Rectification
from huicai.ratings.tests.conftest import later, rate_badly


def take(step, rectification, world):
    department, window = world.zhao_qiang, world.chen_jing
    if step == "respond":
        return actions.respond_rectification(
            rectification,
            kind=ResponseKind.IMMEDIATE,
            note="已当面致歉。",
            by=department,
            at=later(world, days=2),
        )
    if step == "appeal":
        return actions.appeal_rectification(
            rectification,
            reason="评价与事实不符。",
            evidence="叫号记录。",
            by=department,
            at=later(world, days=2),
        )
    if step == "callback":
        return actions.record_callback(
            rectification, satisfied=True, note="人才满意。", by=window, at=later(world, days=3)
        )
    return actions.rule_on_appeal(
        rectification, upheld=True, note="属实。", by=window, at=later(world, days=3)
    )


def rectification_in(world, task, status):
    """A rectification brought to ``status`` by the real actions, from li_ming's bad rating."""
    rectification = rate_badly(task, by=world.li_ming_user, at=later(world, days=1)).rectification
    if status in (RectificationStatus.RESPONDED, RectificationStatus.CLOSED):
        take("respond", rectification, world)
    if status in (RectificationStatus.APPEALED, RectificationStatus.VOIDED):
        take("appeal", rectification, world)
    if status == RectificationStatus.CLOSED:
        take("callback", rectification, world)
    if status == RectificationStatus.VOIDED:
        take("rule", rectification, world)
    rectification = Rectification.objects.get(pk=rectification.pk)
    assert rectification.status == status
    return rectification


@pytest.mark.parametrize("status", RectificationStatus.values)
@pytest.mark.parametrize("step", [step.name for step in RECTIFICATION_STEPS])
def test_the_action_takes_a_step_from_exactly_the_states_its_table_lists(case, task, step, status):
    world = case.world
    rectification = rectification_in(world, task, status)
    events = rectification.events.count()
    listed = status in RECTIFICATION_STEPS[step].statuses

    if listed:
        take(step, rectification, world)
    else:
        with pytest.raises(actions.InvalidTransition) as refused:
            take(step, rectification, world)

    if not listed:
        assert refused.value.messages == [
            f"整改当前状态为“{RectificationStatus(status).label}”，不能执行此操作（可能已被他人处理，请刷新）。"
        ]
        assert Rectification.objects.get(pk=rectification.pk).status == status
        assert rectification.events.count() == events
