"""W9 限时办结: a window raises a 督办 on an open task of its jurisdiction with its own date; the department
answers in writing; the window accepts the answer or sends it back; the order stays on top of the
department's queue until answered, and turns red by itself when its date passes unanswered."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from huicai.casework import actions as casework
from huicai.casework.models import Task
from huicai.notifications.choices import DEADLINE_WARNING
from huicai.notifications.models import Notification
from huicai.supervision import actions
from huicai.supervision.choices import ORDER_NOTICE, CardColour, OrderAction, OrderStatus
from huicai.supervision.jobs import issue_cards
from huicai.supervision.models import (
    Card,
    SupervisionOrder,
    annotate_open_orders,
    open_orders_by_task,
)
from huicai.supervision.tests.conftest import accepted_task, local, submitted_task

TUESDAY = local(2026, 3, 3)
WEDNESDAY = local(2026, 3, 4)


@pytest.fixture
def order(case, task):
    return actions.raise_order(
        task,
        content="请说明办理进展和预计办结时间。",
        due_in_days=1,
        by=case.world.chen_jing,
        at=case.world.at,
    )


def answered(order, case, at=TUESDAY):
    return actions.respond_to_order(order, response="已完成审核，明日办结。", by=case.police, at=at)


def refusal(error):
    return error.value.messages[0]


# --- raising ----------------------------------------------------------------------------------------


def test_the_window_raises_an_order_with_a_date_in_working_days_and_the_department_is_told(
    case, task, police_head
):
    world = case.world

    order = actions.raise_order(task, content="请加快办理。", due_in_days=3, by=world.chen_jing, at=world.at)

    assert order.status == OrderStatus.OPEN
    assert order.due_date == datetime.date(2026, 3, 5)  # 3 working days after Monday 2026-03-02
    assert order.window == world.windows["兰山区"]
    assert list(order.events.values_list("action", "to_status", "by")) == [
        (OrderAction.RAISE, OrderStatus.OPEN, world.chen_jing.pk)
    ]
    told = set(Notification.objects.filter(kind=ORDER_NOTICE).values_list("recipient__username", flat=True))
    assert told == {"zhao_qiang", "police_head"}


def test_the_city_window_may_raise_an_order_in_a_county(case, task):
    world = case.world

    order = actions.raise_order(
        task, content="市级督办", due_date=datetime.date(2026, 3, 6), by=world.zhou_min, at=world.at
    )

    assert order.window == world.windows["临沂市"]
    assert order.due_date == datetime.date(2026, 3, 6)


def test_a_date_that_is_not_a_working_day_is_refused(case, task):
    with pytest.raises(actions.SupervisionError) as error:
        actions.raise_order(
            task,
            content="请加快",
            due_date=datetime.date(2026, 3, 7),
            by=case.world.chen_jing,
            at=case.world.at,
        )

    assert refusal(error) == "答复期限 2026-03-07 不是工作日，请选择工作日。"
    assert not SupervisionOrder.objects.exists()


@pytest.mark.parametrize(
    "due, message",
    [
        ({}, "请填写答复期限：工作日天数或具体日期，二者选其一。"),
        (
            {"due_in_days": 2, "due_date": datetime.date(2026, 3, 6)},
            "请填写答复期限：工作日天数或具体日期，二者选其一。",
        ),
        ({"due_in_days": 0}, "答复期限须至少为 1 个工作日。"),
        ({"due_in_days": 61}, "答复期限不能超过 60 个工作日。"),
        ({"due_date": datetime.date(2026, 2, 27)}, "答复期限不能早于今天。"),
    ],
)
def test_a_missing_or_impossible_date_is_refused(case, task, due, message):
    with pytest.raises(actions.SupervisionError) as error:
        actions.raise_order(task, content="请加快", by=case.world.chen_jing, at=case.world.at, **due)

    assert refusal(error) == message


def test_an_order_needs_written_content(case, task):
    with pytest.raises(actions.SupervisionError) as error:
        actions.raise_order(task, content="  ", due_in_days=2, by=case.world.chen_jing, at=case.world.at)

    assert refusal(error) == "请填写督办要求。"


@pytest.mark.parametrize("persona", ["zhao_qiang", "wang_fang", "sun_lei", "li_ming_user"])
def test_only_a_window_over_the_talent_may_raise_an_order(case, task, persona):
    with pytest.raises(actions.NotAllowed):
        actions.raise_order(
            task, content="请加快", due_in_days=2, by=getattr(case.world, persona), at=case.world.at
        )

    assert not SupervisionOrder.objects.exists()


def test_a_completed_task_cannot_be_supervised(case, task):
    casework.complete_task(task, result="handled", note="已办", by=case.police, at=TUESDAY)

    with pytest.raises(actions.InvalidTransition) as error:
        actions.raise_order(task, content="请加快", due_in_days=2, by=case.world.chen_jing, at=TUESDAY)

    assert refusal(error) == "任务当前状态为“已办结”，不能督办。"


def test_a_pending_task_can_be_supervised_too(case):
    task = submitted_task(case)

    order = actions.raise_order(
        task, content="请尽快受理", due_in_days=1, by=case.world.chen_jing, at=case.world.at
    )

    assert order.status == OrderStatus.OPEN


def test_a_second_live_order_on_one_task_is_refused(case, order):
    with pytest.raises(actions.SupervisionError) as error:
        actions.raise_order(
            order.task, content="再次督办", due_in_days=2, by=case.world.chen_jing, at=TUESDAY
        )

    assert refusal(error) == "该任务已有未办结的督办事项，请在原督办事项中跟进。"


def test_the_database_keeps_one_live_order_per_task(case, order):
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionOrder.objects.create(
            task=order.task,
            window=order.window,
            content="绕过动作",
            due_date=order.due_date,
            raised_by=case.world.chen_jing,
            raised_at=TUESDAY,
        )


# --- answering and reviewing ------------------------------------------------------------------------


def test_the_department_answers_in_writing_and_the_window_is_told(case, order):
    order = answered(order, case)

    assert order.status == OrderStatus.ANSWERED
    assert (order.response, order.responded_by, order.responded_at) == (
        "已完成审核，明日办结。",
        case.police,
        TUESDAY,
    )
    assert Notification.objects.filter(recipient=case.world.chen_jing, kind=ORDER_NOTICE).count() == 1
    assert order.events.last().action == OrderAction.RESPOND


def test_an_empty_answer_is_refused(case, order):
    with pytest.raises(actions.SupervisionError) as error:
        actions.respond_to_order(order, response="", by=case.police, at=TUESDAY)

    assert refusal(error) == "请填写书面答复。"


@pytest.mark.parametrize("persona", ["chen_jing", "wang_fang"])
def test_only_the_departments_commissioners_may_answer(case, order, persona):
    with pytest.raises(actions.NotAllowed):
        actions.respond_to_order(order, response="代答", by=getattr(case.world, persona), at=TUESDAY)


def test_another_departments_commissioner_may_not_answer(case, order):
    with pytest.raises(actions.NotAllowed):
        actions.respond_to_order(order, response="代答", by=case.housing_commissioner, at=TUESDAY)


def test_answering_an_answered_order_again_is_refused(case, order):
    answered(order, case)

    with pytest.raises(actions.InvalidTransition) as error:
        actions.respond_to_order(order, response="补充", by=case.police, at=TUESDAY)

    assert refusal(error) == "该督办事项已答复，正在等待窗口确认，不能重复答复。"


def test_answering_a_closed_order_is_refused(case, order):
    answered(order, case)
    actions.close_order(order, accept=True, by=case.world.chen_jing, at=TUESDAY)

    with pytest.raises(actions.InvalidTransition) as error:
        actions.respond_to_order(order, response="补充", by=case.police, at=WEDNESDAY)

    assert refusal(error) == "该督办事项已办结，不能再答复。"


def test_answering_a_withdrawn_order_is_refused(case, order):
    actions.withdraw_order(order, reason="误发", by=case.world.chen_jing, at=TUESDAY)

    with pytest.raises(actions.InvalidTransition) as error:
        actions.respond_to_order(order, response="补充", by=case.police, at=WEDNESDAY)

    assert refusal(error) == "该督办事项已撤销，不能再答复。"


def test_the_window_accepts_the_answer_and_the_order_is_closed(case, order):
    answered(order, case)

    order = actions.close_order(order, accept=True, note="同意", by=case.world.chen_jing, at=WEDNESDAY)

    assert order.status == OrderStatus.CLOSED
    assert (order.closed_by, order.closed_at, order.review_note) == (case.world.chen_jing, WEDNESDAY, "同意")
    assert Notification.objects.filter(
        recipient=case.police, kind=ORDER_NOTICE, title__startswith="督办已办结"
    ).exists()


def test_the_window_sends_the_answer_back_with_a_note_and_a_new_date(case, order):
    answered(order, case)

    order = actions.close_order(
        order, accept=False, note="请写明具体办结日期。", due_in_days=2, by=case.world.chen_jing, at=WEDNESDAY
    )

    assert order.status == OrderStatus.OPEN
    assert order.due_date == datetime.date(2026, 3, 6)
    assert order.review_note == "请写明具体办结日期。"
    assert list(order.events.values_list("action", flat=True)) == ["raise", "respond", "reopen"]
    again = actions.respond_to_order(order, response="3月5日办结。", by=case.police, at=WEDNESDAY)
    assert again.status == OrderStatus.ANSWERED


def test_sending_back_needs_a_note(case, order):
    answered(order, case)

    with pytest.raises(actions.SupervisionError) as error:
        actions.close_order(order, accept=False, note=" ", by=case.world.chen_jing, at=WEDNESDAY)

    assert refusal(error) == "退回重办须写明意见。"
    order.refresh_from_db()
    assert order.status == OrderStatus.ANSWERED


def test_an_unanswered_order_cannot_be_accepted(case, order):
    with pytest.raises(actions.InvalidTransition) as error:
        actions.close_order(order, accept=True, by=case.world.chen_jing, at=WEDNESDAY)

    assert refusal(error) == "督办事项当前状态为“待答复”，只有已答复的督办事项可以确认或退回。"


@pytest.mark.parametrize("persona", ["zhao_qiang", "sun_lei"])
def test_only_the_raising_window_or_one_above_may_review(case, order, persona):
    answered(order, case)

    with pytest.raises(actions.NotAllowed):
        actions.close_order(order, accept=True, by=getattr(case.world, persona), at=WEDNESDAY)


def test_the_city_window_may_review_a_county_order(case, order):
    answered(order, case)

    order = actions.close_order(order, accept=True, by=case.world.zhou_min, at=WEDNESDAY)

    assert order.status == OrderStatus.CLOSED


def test_a_closed_order_cannot_be_withdrawn(case, order):
    answered(order, case)
    actions.close_order(order, accept=True, by=case.world.chen_jing, at=WEDNESDAY)

    with pytest.raises(actions.InvalidTransition) as error:
        actions.withdraw_order(order, reason="不需要了", by=case.world.chen_jing, at=WEDNESDAY)

    assert refusal(error) == "督办事项当前状态为“已办结”，不能撤销。"


# --- red when late, and the top of the queue -------------------------------------------------------


def test_an_order_unanswered_past_its_date_turns_red_once(case, order, police_head):
    # Due Tuesday 2026-03-03 (1 working day after Monday); unanswered on Wednesday.
    tuesday = issue_cards(at=TUESDAY)
    wednesday = issue_cards(at=WEDNESDAY)
    again = issue_cards(at=WEDNESDAY + datetime.timedelta(hours=3))

    card = Card.objects.get(order=order)
    assert tuesday["order_red"] == 0 and wednesday["order_red"] == 1 and again["order_red"] == 0
    assert (card.colour, card.due_date, card.issued_on) == (
        CardColour.RED,
        datetime.date(2026, 3, 3),
        WEDNESDAY.date(),
    )
    assert order.events.filter(action=OrderAction.OVERDUE, by=None).count() == 1
    told = Notification.objects.filter(kind=DEADLINE_WARNING, title__contains="督办事项逾期未答复")
    assert set(told.values_list("recipient__username", flat=True)) == {
        "zhao_qiang",
        "police_head",
        "chen_jing",
    }


def test_an_answered_order_does_not_turn_red(case, order):
    answered(order, case)

    issue_cards(at=WEDNESDAY)

    assert not Card.objects.filter(order=order).exists()


def test_a_reopened_order_with_a_new_date_can_turn_red_again(case, order):
    issue_cards(at=WEDNESDAY)
    answered(order, case, at=WEDNESDAY)
    actions.close_order(
        order, accept=False, note="不够具体", due_in_days=1, by=case.world.chen_jing, at=WEDNESDAY
    )

    issue_cards(at=local(2026, 3, 6))

    assert list(
        Card.objects.filter(order=order).order_by("issued_at").values_list("due_date", flat=True)
    ) == [
        datetime.date(2026, 3, 3),
        datetime.date(2026, 3, 5),
    ]


def test_tasks_with_an_order_waiting_for_an_answer_go_first_in_the_queue(case, task):
    world = case.world
    later_due = accepted_task(case, items=[case.housing])  # due later than ``task``
    sooner = list(Task.objects.filter(pk__in=[task.pk, later_due.pk]).order_by("deadline__due_date"))
    assert sooner == [task, later_due]
    order = actions.raise_order(later_due, content="请加快", due_in_days=2, by=world.chen_jing, at=world.at)

    def queue():
        return list(
            annotate_open_orders(Task.objects.filter(pk__in=[task.pk, later_due.pk])).order_by(
                "-has_open_order", "open_order_due_date", "deadline__due_date", "id"
            )
        )

    assert queue() == [later_due, task]
    assert queue()[0].open_order_due_date == order.due_date
    actions.respond_to_order(order, response="本周办结", by=case.housing_commissioner, at=TUESDAY)
    assert queue() == [task, later_due]
    actions.close_order(order, accept=False, note="重办", by=world.chen_jing, at=TUESDAY)
    assert queue() == [later_due, task]


def test_open_orders_by_task_finds_the_waiting_order_in_one_query(
    case, task, order, django_assert_num_queries
):
    other = accepted_task(case, items=[case.housing])

    with django_assert_num_queries(1):
        found = open_orders_by_task([task.pk, other.pk])

    assert found == {task.pk: order}
