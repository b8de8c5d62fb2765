"""The supervision order's step table and its actions agree: from every state, each step is refused by its
action exactly when the table (which the order page and the API read) does not list the state, and taken
when it does."""

import pytest

from huicai.supervision import actions
from huicai.supervision.access import ORDER_STEPS
from huicai.supervision.choices import OrderStatus
from huicai.supervision.models import SupervisionOrder
from huicai.supervision.tests.conftest import local

TUESDAY = local(2026, 3, 3)
WEDNESDAY = local(2026, 3, 4)


def take(step, order, case, *, at=WEDNESDAY):
    window = case.world.chen_jing
    if step == "respond":
        return actions.respond_to_order(order, response="已完成审核，明日办结。", by=case.police, at=at)
    if step == "close":
        return actions.close_order(order, accept=True, note="同意", by=window, at=at)
    return actions.withdraw_order(order, reason="误发", by=window, at=at)


def order_in(case, task, status):
    """An order on li_ming's task brought to ``status`` by the real actions."""
    order = actions.raise_order(
        task, content="请说明办理进展。", due_in_days=1, by=case.world.chen_jing, at=case.world.at
    )
    if status in (OrderStatus.ANSWERED, OrderStatus.CLOSED):
        take("respond", order, case, at=TUESDAY)
    if status == OrderStatus.CLOSED:
        take("close", order, case, at=TUESDAY)
    elif status == OrderStatus.WITHDRAWN:
        take("withdraw", order, case, at=TUESDAY)
    order = SupervisionOrder.objects.get(pk=order.pk)
    assert order.status == status
    return order


@pytest.mark.parametrize("status", OrderStatus.values)
@pytest.mark.parametrize("step", [step.name for step in ORDER_STEPS])
def test_the_action_takes_a_step_from_exactly_the_states_its_table_lists(case, task, step, status):
    order = order_in(case, task, status)
    events = order.events.count()
    listed = status in ORDER_STEPS[step].statuses

    if listed:
        take(step, order, case)
    else:
        with pytest.raises(actions.InvalidTransition):
            take(step, order, case)

    if not listed:
        assert SupervisionOrder.objects.get(pk=order.pk).status == status
        assert order.events.count() == events
