"""Supervision fixtures: casework's ``case`` (published items of 市公安局, 市住房和城乡建设局 and 市教育局 and
their commissioners) plus a head of 市公安局, and helpers that put tasks in the states the sweep judges.

The clock: world.at is Monday 2026-03-02 17:00 in Linyi. A 市公安局 落户 task accepted then (3 working days)
is due on Thursday 2026-03-05.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from huicai.casework import actions as casework
from huicai.casework.tests.conftest import case, prepare  # noqa: F401  (the ``case`` fixture)
from huicai.supervision import actions
from huicai.testing import make_user

LINYI = datetime.timezone(datetime.timedelta(hours=8))


def local(year, month, day, hour=10, minute=0):
    """An aware datetime at Linyi local time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LINYI)


def submitted_task(case, items=None, *, at=None, talent=None, by=None):  # noqa: F811
    """A task of a one-item application (市公安局 落户 by default), waiting for the department."""
    world = case.world
    at = at or world.at
    application = prepare(case, items or [case.hukou], at=at, talent=talent, by=by)
    casework.submit_application(application, by=by or world.wang_fang, at=at)
    return application.tasks.get()


def accepted_task(case, *, at=None, items=None, talent=None, unit=None):  # noqa: F811
    """A running task accepted at ``at`` (world.at by default: due Thursday 2026-03-05)."""
    task = submitted_task(case, items, at=at, talent=talent, by=unit)
    department_user = {
        "市公安局": case.police,
        "市住房和城乡建设局": case.housing_commissioner,
        "市教育局": case.school_commissioner,
    }[task.department.short_name]
    return casework.accept_task(task, by=department_user, at=at or case.world.at)


@pytest.fixture
def frozen(world):
    """The clock of pages and API stopped at Tuesday 2026-03-03 10:00 in Linyi (a working morning, after
    every post of the world began); ``frozen.move_to(…)`` moves it."""
    with time_machine.travel(local(2026, 3, 3), tick=False) as traveller:
        yield traveller


@pytest.fixture
def police_head(case):  # noqa: F811
    """The head of 市公安局: not a commissioner, told of every card of the department."""
    world = case.world
    user = make_user("police_head", "公安局分管负责人")
    actions.appoint_department_head(
        department=world.departments["市公安局"], user=user, position="副局长", by=world.admin, at=world.at
    )
    return user


@pytest.fixture
def task(case):  # noqa: F811
    return accepted_task(case)


def today_of(at):
    return timezone.localdate(at)
