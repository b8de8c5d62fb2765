"""S12-2: hotline work orders become tasks for the right department, or go to the window to route."""

import datetime

import pytest
import time_machine

from huicai.casework import actions
from huicai.casework.choices import ApplicationStatus, Source, TaskStatus
from huicai.casework.models import Application


def test_an_order_matching_an_item_goes_straight_to_its_department(case):
    world = case.world

    application = actions.open_hotline_case(
        talent=world.li_ming,
        source=Source.HOTLINE_12345,
        external_ref="12345-2026-0001",
        content="咨询人才落户办理进度",
        service_item=case.hukou,
        by=world.admin,
        at=world.at,
    )

    task = application.tasks.get()
    assert application.status == ApplicationStatus.IN_PROGRESS
    assert (task.department.short_name, task.status, task.committed_days) == (
        "市公安局",
        TaskStatus.PENDING,
        3,
    )
    assert application.number.startswith("RX")


def test_an_order_without_an_item_goes_to_the_window_which_routes_it(case, login):
    world = case.world
    application = actions.open_hotline_case(
        talent=world.li_ming,
        source=Source.HOTLINE_PROVINCIAL,
        external_ref="SD-88",
        content="子女入学咨询",
        due_date=datetime.date(2026, 3, 9),
        by=world.admin,
        at=world.at,
    )
    assert application.status == ApplicationStatus.SUBMITTED
    client = login(world.chen_jing)

    with time_machine.travel(world.at, tick=False):
        response = client.post(
            f"/cases/applications/{application.pk}/route/",
            {"department": world.departments["市教育局"].pk, "version": Application.objects.get().version},
        )

    task = application.tasks.get()
    assert response.status_code == 302
    assert task.department.short_name == "市教育局"
    assert task.committed_days == 5  # working days from Monday 2 March to Monday 9 March


def test_the_same_order_twice_is_refused(case):
    world = case.world
    kwargs = dict(
        talent=world.li_ming,
        source=Source.HOTLINE_12345,
        external_ref="12345-2026-0002",
        content="咨询",
        by=world.admin,
        at=world.at,
    )
    actions.open_hotline_case(**kwargs)

    with pytest.raises(actions.InvalidTransition):
        actions.open_hotline_case(**kwargs)

    assert Application.objects.count() == 1


def test_a_hotline_case_cannot_be_split(case):
    world = case.world
    application = actions.open_hotline_case(
        talent=world.li_ming,
        source=Source.HOTLINE_12345,
        external_ref="X1",
        content="咨询",
        by=world.admin,
        at=world.at,
    )

    with pytest.raises(actions.InvalidTransition) as caught:
        actions.split_application(application, routes={}, by=world.chen_jing, at=world.at)

    assert "指派部门" in caught.value.messages[0]
