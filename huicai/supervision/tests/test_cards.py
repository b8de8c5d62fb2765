"""W9 及时发现问题: the sweep shows a yellow card one working day before a deadline and a red card on the
first working day past it, once per card, told to the department's commissioners and head and to the
talent's window — on working days within working hours only, on the real 2026 calendar."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from huicai.casework import actions as casework
from huicai.notifications.choices import DEADLINE_WARNING
from huicai.notifications.models import Notification
from huicai.supervision import actions
from huicai.supervision.choices import CardColour
from huicai.supervision.jobs import issue_cards
from huicai.supervision.models import Card
from huicai.supervision.tests.conftest import accepted_task, local

TUESDAY = local(2026, 3, 3)
WEDNESDAY = local(2026, 3, 4)
THURSDAY = local(2026, 3, 5)
FRIDAY = local(2026, 3, 6)


def warnings_to(user):
    return Notification.objects.filter(recipient=user, kind=DEADLINE_WARNING)


def test_one_working_day_before_the_deadline_the_task_gets_a_yellow_card(case, task, police_head):
    world = case.world

    outcome = issue_cards(at=WEDNESDAY)

    card = Card.objects.get()
    assert outcome == {"yellow": 1, "red": 0, "order_red": 0, "stage_yellow": 0, "stage_red": 0}
    assert (card.task, card.colour, card.due_date, card.issued_on) == (
        task,
        CardColour.YELLOW,
        datetime.date(2026, 3, 5),
        datetime.date(2026, 3, 4),
    )
    assert card.department == world.departments["市公安局"]
    assert card.notified_at == WEDNESDAY
    told = set(
        Notification.objects.filter(kind=DEADLINE_WARNING).values_list("recipient__username", flat=True)
    )
    assert told == {"zhao_qiang", "police_head", "chen_jing"}
    notice = warnings_to(world.zhao_qiang).get()
    assert notice.title == f"黄牌预警：任务{task.number}将于2026-03-05到期"
    assert "还剩1个工作日" in notice.body
    assert notice.link == card.get_absolute_url()


def test_two_working_days_before_the_deadline_there_is_no_card_yet(task):
    outcome = issue_cards(at=TUESDAY)

    assert outcome == {"yellow": 0, "red": 0, "order_red": 0, "stage_yellow": 0, "stage_red": 0}
    assert not Card.objects.exists()


def test_the_first_working_day_past_the_deadline_brings_a_red_card(case, task):
    outcome = issue_cards(at=FRIDAY)

    card = Card.objects.get()
    assert outcome["red"] == 1
    assert (card.colour, card.due_date, card.issued_on) == (
        CardColour.RED,
        datetime.date(2026, 3, 5),
        datetime.date(2026, 3, 6),
    )
    notice = warnings_to(case.world.chen_jing).get()
    assert notice.title == f"红牌：任务{task.number}已超过办结期限（2026-03-05）"


def test_a_yellow_card_is_followed_by_a_red_one_when_the_deadline_passes(task):
    issue_cards(at=WEDNESDAY)
    issue_cards(at=THURSDAY)  # due today: still the yellow card of this date, not a second one

    issue_cards(at=FRIDAY)

    assert list(Card.objects.order_by("issued_at").values_list("colour", "issued_on")) == [
        (CardColour.YELLOW, datetime.date(2026, 3, 4)),
        (CardColour.RED, datetime.date(2026, 3, 6)),
    ]


def test_a_suspended_task_gets_no_card(case, task):
    casework.suspend_task(
        task, reason="expert_review", legal_basis="行政许可法第四十五条", by=case.police, at=TUESDAY
    )

    issue_cards(at=WEDNESDAY)
    issue_cards(at=FRIDAY)

    assert not Card.objects.exists()


def test_a_completed_or_pending_task_gets_no_card_of_its_own_limit(case, task):
    from huicai.supervision.tests.conftest import submitted_task

    submitted_task(case, [case.housing])  # pending: no deadline yet
    casework.complete_task(task, result="handled", note="已办", by=case.police, at=TUESDAY)

    issue_cards(at=FRIDAY)

    # Their stages (the department's acceptance, the unit's informing) are carded by their own clocks.
    assert not Card.objects.filter(clock__isnull=True).exists()


def test_repeated_sweeps_issue_each_card_and_tell_each_person_once(case, task, police_head):
    for at in (WEDNESDAY, WEDNESDAY + datetime.timedelta(hours=1), THURSDAY):
        issue_cards(at=at)
    issue_cards(at=FRIDAY)
    second = issue_cards(at=FRIDAY + datetime.timedelta(hours=2))

    assert second == {"yellow": 0, "red": 0, "order_red": 0, "stage_yellow": 0, "stage_red": 0}
    assert Card.objects.count() == 2
    assert warnings_to(case.world.zhao_qiang).count() == 2
    assert warnings_to(police_head).count() == 2


def test_the_same_card_cannot_be_issued_twice_even_by_hand(task):
    first = actions.issue_task_card(task, at=WEDNESDAY)

    again = actions.issue_task_card(task, at=WEDNESDAY)

    assert first is not None and again is None
    assert Card.objects.count() == 1


def test_an_extension_after_the_yellow_card_earns_a_new_one_for_the_new_date(case, task):
    issue_cards(at=WEDNESDAY)
    casework.extend_task(
        task,
        new_due_date=datetime.date(2026, 3, 10),
        reason="需外省协查",
        explanation="已电话告知本人",
        explained_via="direct",
        by=case.police,
        at=WEDNESDAY,
    )

    nothing = issue_cards(at=FRIDAY)
    renewed = issue_cards(at=local(2026, 3, 9))

    assert nothing == {"yellow": 0, "red": 0, "order_red": 0, "stage_yellow": 0, "stage_red": 0}
    assert renewed["yellow"] == 1
    assert list(Card.objects.order_by("issued_at").values_list("colour", "due_date")) == [
        (CardColour.YELLOW, datetime.date(2026, 3, 5)),
        (CardColour.YELLOW, datetime.date(2026, 3, 10)),
    ]


@pytest.mark.parametrize(
    "at",
    [
        local(2026, 3, 6, 2, 0),  # 02:00 on a working day
        local(2026, 3, 6, 0, 0),  # midnight
        local(2026, 3, 6, 8, 29),  # before 08:30
        local(2026, 3, 6, 17, 30),  # the end of the day is exclusive
        local(2026, 3, 7, 10, 0),  # Saturday
        local(2026, 3, 8, 10, 0),  # Sunday
    ],
)
def test_nothing_is_issued_or_told_outside_working_hours(task, at):
    outcome = issue_cards(at=at)

    assert outcome == {"skipped": "outside working hours"}
    assert not Card.objects.exists()
    assert not Notification.objects.filter(kind=DEADLINE_WARNING).exists()


def test_working_hours_come_from_the_settings(task, settings):
    settings.HUICAI_WORKING_HOURS_START = "07:00"
    settings.HUICAI_WORKING_HOURS_END = "09:00"

    early = issue_cards(at=local(2026, 3, 6, 7, 30))

    assert early["red"] == 1
    assert issue_cards(at=local(2026, 3, 6, 10, 0)) == {"skipped": "outside working hours"}


def test_the_yellow_card_lead_time_comes_from_the_settings(task, settings):
    settings.HUICAI_YELLOW_CARD_DAYS = 2

    outcome = issue_cards(at=TUESDAY)

    assert outcome["yellow"] == 1


def test_labour_day_holds_the_red_card_until_the_first_working_day_after_it(case):
    # Accepted Monday 2026-04-27 with 3 working days: due Thursday 04-30; 05-01 to 05-05 are days off.
    task = accepted_task(case, at=local(2026, 4, 27))
    assert task.deadline.due_date == datetime.date(2026, 4, 30)

    on_holiday = issue_cards(at=local(2026, 5, 1))
    after = issue_cards(at=local(2026, 5, 6))

    assert on_holiday == {"skipped": "outside working hours"}
    assert after["red"] == 1
    assert Card.objects.get().issued_on == datetime.date(2026, 5, 6)


def test_a_make_up_working_saturday_counts_and_the_sweep_runs_on_it(case):
    # Accepted Wednesday 2026-05-06: 05-07, 05-08 and the make-up Saturday 05-09 make 3 working days.
    task = accepted_task(case, at=local(2026, 5, 6))
    assert task.deadline.due_date == datetime.date(2026, 5, 9)

    friday = issue_cards(at=local(2026, 5, 8))
    saturday = issue_cards(at=local(2026, 5, 9))

    assert friday["yellow"] == 1
    assert saturday == {
        "yellow": 0,
        "red": 0,
        "order_red": 0,
        "stage_yellow": 0,
        "stage_red": 0,
    }  # ran, and the yellow card is not repeated
    assert issue_cards(at=local(2026, 5, 11))["red"] == 1


def test_an_ended_head_is_no_longer_told(case, task, police_head):
    head = police_head.__class__.objects.get(pk=police_head.pk)
    from huicai.supervision.models import DepartmentHead

    actions.end_department_head(DepartmentHead.objects.get(user=head), by=case.world.admin, at=TUESDAY)

    issue_cards(at=WEDNESDAY)

    assert not warnings_to(head).exists()
    assert warnings_to(case.world.zhao_qiang).count() == 1


def test_the_database_refuses_the_same_card_twice_however_it_is_written(case, task):
    card = actions.issue_task_card(task, at=WEDNESDAY)

    with pytest.raises(IntegrityError), transaction.atomic():
        Card.objects.bulk_create(
            [
                Card(
                    task=task,
                    department=card.department,
                    colour=card.colour,
                    due_date=card.due_date,
                    issued_on=THURSDAY.date(),
                    issued_at=THURSDAY,
                )
            ]
        )
