"""W13, W16 progress feedback: the talent's and the unit commissioner's boards show, for each open step of a
case, who holds it and until when; the window's and the department's boards show until when their own
steps (triage, reroute, acceptance) must be done, and count the stage cards still standing.

The clock: Monday 2026-03-02 17:00 in Linyi (``frozen``); a one-day stage started then is due Tuesday.
"""

import datetime

import time_machine

from huicai.casework import actions
from huicai.supervision.jobs import issue_cards
from huicai.workbench.tests.conftest import HTMX, submitted

LINYI = datetime.timezone(datetime.timedelta(hours=8))
WEDNESDAY = datetime.datetime(2026, 3, 4, 10, 0, tzinfo=LINYI)


def test_the_unit_board_shows_who_holds_each_open_step_and_until_when(case, login, frozen):
    world = case.world
    task = submitted(case, [case.hukou]).tasks.get()
    actions.request_materials(task, items=[{"name": "户口本"}], by=case.police, at=world.at)
    client = login(world.wang_fang)

    applications = client.get("/workbench/sections/unit_applications/", **HTMX).content.decode()
    materials = client.get("/workbench/sections/unit_materials/", **HTMX).content.decode()

    assert f"单位专员补正材料（{task.number}）：临沂医药集团（王芳） · 2026-03-09 前" in applications
    assert "补正期限" in materials and "2026-03-09 前" in materials


def test_the_talent_board_shows_the_department_holding_the_acceptance_until_tomorrow(case, login, frozen):
    world = case.world
    task = submitted(case, [case.hukou]).tasks.get()
    client = login(world.li_ming.user)

    board = client.get("/workbench/talent/").content.decode()

    assert f"部门受理（{task.number}）：主管部门 {task.department.name}负责，2026-03-03 前完成" in board


def test_the_talent_board_shows_a_running_tasks_limit_as_the_departments_step(case, login, frozen):
    world = case.world
    task = submitted(case, [case.hukou]).tasks.get()
    actions.accept_task(task, by=case.police, at=world.at)
    client = login(world.li_ming.user)

    board = client.get("/workbench/talent/").content.decode()

    assert f"部门办理（{task.number}）：主管部门 {task.department.name}负责，2026-03-05 前完成" in board


def test_the_window_board_shows_until_when_to_split_and_flags_it_once_late(case, login, frozen):
    world = case.world
    submitted(case, [case.hukou, case.housing])

    today = login(world.chen_jing).get("/workbench/sections/window_intake/", **HTMX).content.decode()
    frozen.move_to(WEDNESDAY)
    late = login(world.chen_jing).get("/workbench/sections/window_intake/", **HTMX).content.decode()

    assert "梳理分办期限 2026-03-03 前" in today and "已超期" not in today
    assert "已超期" in late


def test_the_department_queue_shows_until_when_to_accept_a_task(case, login, frozen):
    world = case.world
    submitted(case, [case.hukou])
    client = login(world.zhao_qiang)

    queue = client.get("/workbench/sections/queue_tasks/", **HTMX).content.decode()

    assert "部门受理：2026-03-03 前" in queue


def test_the_boards_count_a_stage_card_while_the_stage_is_open(case, login):
    world = case.world
    task = submitted(case, [case.hukou]).tasks.get()
    issue_cards(at=WEDNESDAY)  # the department has not accepted: a red card for the acceptance
    client = login(world.zhao_qiang)

    with time_machine.travel(WEDNESDAY, tick=False):
        before = client.get("/workbench/queue/").content.decode()
        actions.accept_task(task, by=case.police, at=WEDNESDAY)
        after = client.get("/workbench/queue/").content.decode()

    assert "<span>红牌（已逾期）</span><b>1</b>" in before
    assert "<span>红牌（已逾期）</span><b>0</b>" in after


def test_a_hotline_task_past_the_hotlines_date_is_flagged_overdue_on_the_queue(case, login, frozen):
    world = case.world
    application = actions.open_hotline_case(
        talent=world.li_ming,
        source="12345",
        external_ref="12345-2026-0042",
        content="人才公寓申请进度",
        service_item=case.housing,
        due_date=datetime.date(2026, 3, 2),  # already reached when the department accepts
        by=world.admin,
        at=world.at,
    )
    task = actions.accept_task(application.tasks.get(), by=case.housing_commissioner, at=world.at)
    frozen.move_to(datetime.datetime(2026, 3, 3, 10, 0, tzinfo=LINYI))

    queue = login(case.housing_commissioner).get("/workbench/sections/queue_tasks/?state=overdue", **HTMX)

    assert task.deadline.due_date == datetime.date(2026, 3, 3)  # the department's own limit: not yet late
    assert task.number in queue.content.decode() and "已逾期" in queue.content.decode()
