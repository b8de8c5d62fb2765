"""W9, W13, S12-2: the hourly sweep cards the stages of a case like the tasks' own limits — yellow from the
day after a stage starts while no more than HUICAI_YELLOW_CARD_DAYS working days are left, red on the first
working day past it — charged to whoever holds the stage: the window, the department, or the unit.

The clock: world.at is Monday 2026-03-02 17:00 in Linyi; the real 2026 calendar.
"""

import datetime

from huicai.casework import actions as casework
from huicai.casework.choices import InformChannel, Source, Stage
from huicai.casework.tests.conftest import prepare
from huicai.notifications.choices import DEADLINE_WARNING
from huicai.notifications.models import Notification
from huicai.supervision.choices import CardColour
from huicai.supervision.jobs import issue_cards
from huicai.supervision.models import Card
from huicai.supervision.tests.conftest import accepted_task, local, submitted_task

TUESDAY = local(2026, 3, 3)
WEDNESDAY = local(2026, 3, 4)
NEXT_TUESDAY = local(2026, 3, 10)


def told(**filters):
    return set(
        Notification.objects.filter(kind=DEADLINE_WARNING, **filters).values_list(
            "recipient__username", flat=True
        )
    )


def stage_cards(stage):
    return Card.objects.filter(clock__stage=stage)


def multi_item_application(case, at=None):
    world = case.world
    application = prepare(case, [case.hukou, case.housing], at=at)
    return casework.submit_application(application, by=world.wang_fang, at=at or world.at)


def test_an_application_the_window_has_not_split_gets_a_yellow_then_a_red_card_charged_to_the_window(case):
    world = case.world
    application = multi_item_application(case)  # Monday: triage due Tuesday 3 March

    tuesday = issue_cards(at=TUESDAY)
    wednesday = issue_cards(at=WEDNESDAY)

    assert (tuesday["stage_yellow"], tuesday["stage_red"]) == (1, 0)
    assert (wednesday["stage_yellow"], wednesday["stage_red"]) == (0, 1)
    yellow, red = stage_cards(Stage.TRIAGE).order_by("issued_at")
    assert (red.colour, red.application, red.task, red.department, red.due_date) == (
        CardColour.RED,
        application,
        None,
        None,
        datetime.date(2026, 3, 3),
    )
    assert red.charged_to == world.windows["兰山区"].name
    assert told() == {"chen_jing"}
    notice = Notification.objects.filter(kind=DEADLINE_WARNING).order_by("pk").last()
    assert notice.title == f"红牌：{application.number}的“窗口梳理分办”环节已超过期限（2026-03-03）"
    assert notice.link == red.get_absolute_url()


def test_a_stage_gets_no_yellow_card_on_the_day_it_starts(case):
    morning = local(2026, 3, 3, 9, 0)
    multi_item_application(case, at=morning)  # Tuesday morning: triage due Wednesday

    outcome = issue_cards(at=local(2026, 3, 3, 15, 0))

    assert outcome["stage_yellow"] == 0
    assert not Card.objects.exists()


def test_the_triage_card_waits_for_the_first_working_day_after_a_holiday(case):
    thursday_before_may_day = local(2026, 4, 30, 9, 0)
    multi_item_application(case, at=thursday_before_may_day)  # due Wednesday 6 May

    during_the_holiday = issue_cards(at=local(2026, 5, 4))
    on_the_due_day = issue_cards(at=local(2026, 5, 6))
    after_it = issue_cards(at=local(2026, 5, 7))

    assert during_the_holiday == {"skipped": "outside working hours"}
    assert on_the_due_day["stage_yellow"] == 1 and on_the_due_day["stage_red"] == 0
    assert after_it["stage_red"] == 1
    assert set(stage_cards(Stage.TRIAGE).values_list("due_date", flat=True)) == {datetime.date(2026, 5, 6)}


def test_splitting_in_time_means_no_triage_card(case):
    world = case.world
    application = multi_item_application(case)
    casework.split_application(
        application, routes=casework.suggested_routes(application), by=world.chen_jing, at=world.at
    )
    tasks = list(application.tasks.all())
    for task in tasks:
        commissioner = case.police if task.department.short_name == "市公安局" else case.housing_commissioner
        casework.accept_task(task, by=commissioner, at=world.at)

    issue_cards(at=WEDNESDAY)

    assert not Card.objects.filter(clock__isnull=False).exists()


def test_a_task_the_department_has_not_accepted_is_red_carded_to_the_department(case, police_head):
    world = case.world
    task = submitted_task(case)  # Monday: acceptance due Tuesday 3 March

    issue_cards(at=WEDNESDAY)

    card = stage_cards(Stage.ACCEPTANCE).get()
    assert (card.colour, card.task, card.department) == (CardColour.RED, task, world.departments["市公安局"])
    assert told() == {"zhao_qiang", "police_head", "chen_jing"}


def test_the_unit_that_has_not_supplied_the_materials_is_carded_not_the_department(case):
    world = case.world
    task = submitted_task(case)
    casework.request_materials(task, items=[{"name": "户口本"}], by=case.police, at=world.at)  # due 9 March

    issue_cards(at=local(2026, 3, 6))  # Friday: one working day left
    issue_cards(at=NEXT_TUESDAY)

    yellow, red = stage_cards(Stage.SUPPLEMENT).order_by("issued_at")
    assert (yellow.colour, red.colour, red.due_date) == (
        CardColour.YELLOW,
        CardColour.RED,
        datetime.date(2026, 3, 9),
    )
    assert red.department is None
    assert red.charged_to == world.li_ming.employer.name
    assert told() == {"wang_fang", "chen_jing"}
    unit_notice = Notification.objects.filter(kind=DEADLINE_WARNING, recipient=world.wang_fang).last()
    assert unit_notice.link == task.get_absolute_url()  # the unit follows the case, not the board


def test_the_unit_that_has_not_told_the_talent_the_result_is_carded(case):
    world = case.world
    task = accepted_task(case)
    casework.complete_task(task, result="handled", note="已办", by=case.police, at=world.at)

    issue_cards(at=WEDNESDAY)

    card = stage_cards(Stage.INFORMING).get()
    assert (card.colour, card.department, card.charged_to) == (
        CardColour.RED,
        None,
        world.li_ming.employer.name,
    )
    assert "wang_fang" in told() and "zhao_qiang" not in told()


def test_informing_in_time_means_no_card(case):
    world = case.world
    task = accepted_task(case)
    casework.complete_task(task, result="handled", note="已办", by=case.police, at=world.at)
    casework.inform_talent(task, via=InformChannel.PHONE, by=world.wang_fang, at=TUESDAY)

    issue_cards(at=WEDNESDAY)

    assert not stage_cards(Stage.INFORMING).exists()


def test_a_returned_task_the_window_has_not_rerouted_is_carded_to_the_window(case):
    world = case.world
    task = submitted_task(case)
    casework.return_task(task, reason="不属于本部门", by=case.police, at=world.at)

    issue_cards(at=WEDNESDAY)

    card = stage_cards(Stage.REROUTE).get()
    assert (card.colour, card.task, card.charged_to) == (CardColour.RED, task, world.windows["兰山区"].name)


def test_repeated_sweeps_issue_each_stage_card_once(case):
    submitted_task(case)

    for at in (WEDNESDAY, local(2026, 3, 4, 11, 0), local(2026, 3, 5)):
        issue_cards(at=at)

    assert stage_cards(Stage.ACCEPTANCE).count() == 1
    assert Notification.objects.filter(kind=DEADLINE_WARNING, recipient=case.police).count() == 1


def test_a_hotline_task_is_red_carded_after_the_hotlines_date_even_if_extended(case):
    world = case.world
    application = casework.open_hotline_case(
        talent=world.li_ming,
        source=Source.HOTLINE_12345,
        external_ref="12345-2026-0099",
        content="人才公寓申请进度",
        service_item=case.housing,
        due_date=datetime.date(2026, 3, 4),
        by=world.admin,
        at=world.at,
    )
    task = application.tasks.get()
    casework.accept_task(task, by=case.housing_commissioner, at=world.at)
    casework.extend_task(
        task,
        new_due_date=datetime.date(2026, 3, 20),
        reason="需现场核查",
        explanation="需现场核查，延期办理",
        explained_via="direct",
        by=case.housing_commissioner,
        at=world.at,
    )

    outcome = issue_cards(at=local(2026, 3, 5))

    card = Card.objects.get(task=task, clock__isnull=True)
    assert outcome["red"] == 1
    assert (card.colour, card.due_date) == (CardColour.RED, datetime.date(2026, 3, 4))


# --- the pages ------------------------------------------------------------------------------------------


def test_the_window_sees_a_triage_card_on_its_board_and_its_page(case, login):
    world = case.world
    application = multi_item_application(case)
    issue_cards(at=WEDNESDAY)
    card = stage_cards(Stage.TRIAGE).get()
    client = login(world.chen_jing)

    board = client.get("/supervision/").content.decode()
    page = client.get(card.get_absolute_url()).content.decode()

    assert application.number in board and "窗口梳理分办" in board and world.windows["兰山区"].name in board
    assert "环节：<b>窗口梳理分办</b>" in page and application.get_absolute_url() in page


def test_a_department_does_not_see_the_windows_triage_card(case, login):
    multi_item_application(case)
    issue_cards(at=WEDNESDAY)
    card = stage_cards(Stage.TRIAGE).get()

    response = login(case.police).get(card.get_absolute_url())

    assert response.status_code == 404


def test_the_api_lists_a_stage_card_with_its_stage_and_whom_it_is_charged_to(case, login):
    world = case.world
    task = submitted_task(case)
    issue_cards(at=WEDNESDAY)

    rows = login(world.zhao_qiang).get("/api/v1/cards/").json()

    rows = rows.get("results", rows)
    assert [(row["stage"], row["task_number"], row["charged_to"]) for row in rows] == [
        (Stage.ACCEPTANCE, task.number, world.departments["市公安局"].name)
    ]
