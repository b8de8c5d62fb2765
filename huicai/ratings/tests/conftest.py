"""Ratings fixtures: services finished through the real casework and direct-service actions, and helpers
that rate them.

The world's clock: world.at is Monday 2026-03-02 17:00 in Linyi (09:00 UTC). A task completed then may be
rated until Monday 2026-03-09 (5 working days). Around May Day 2026 the official calendar matters: a task
completed on Thursday 2026-04-30 may be rated until Monday 2026-05-11 (1–5 May off, Saturday 9 May worked).
"""

import datetime

import pytest

from huicai.casework import actions as casework
from huicai.casework.tests.conftest import case, prepare  # noqa: F401  (the `case` fixture)
from huicai.directservices.tests.conftest import direct, serve  # noqa: F401  (the `direct` fixture)
from huicai.ratings import actions

LINYI = datetime.timezone(datetime.timedelta(hours=8))

OFFLINE_GOOD = {"overall": 5, "efficiency": 5, "service_level": 4, "attitude": 5}
OFFLINE_BAD = {"overall": 2, "efficiency": 1, "service_level": 2, "attitude": 3}
ONLINE_GOOD = {"overall": 4, "efficiency": 4, "guide_accuracy": 5, "convenience": 4, "ease_of_use": 3}


def local(year, month, day, hour=10, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LINYI)


def completed_task(case, *, item=None, completed_at=None, talent=None, unit=None):  # noqa: F811
    """A single-item application of li_ming (by default) for the 市公安局 hukou item, accepted and
    completed by zhao_qiang at ``completed_at`` (world.at by default)."""
    world = case.world
    at = world.at
    application = prepare(case, [item or case.hukou], talent=talent, by=unit)
    casework.submit_application(application, by=unit or world.wang_fang, at=at)
    task = application.tasks.get()
    department_user = case.police if task.department.short_name == "市公安局" else None
    if department_user is None:
        department_user = {
            "市住房和城乡建设局": case.housing_commissioner,
            "市教育局": case.school_commissioner,
        }[task.department.short_name]
    casework.accept_task(task, by=department_user, at=at)
    return casework.complete_task(
        task, result="handled", note="已办结。", by=department_user, at=completed_at or at
    )


def rate(task=None, *, direct_service=None, by, at, mode="offline", scores=None, comment=""):
    return actions.rate_service(
        task=task,
        direct_service=direct_service,
        mode=mode,
        scores=scores or OFFLINE_GOOD,
        comment=comment,
        by=by,
        at=at,
    )


def rate_badly(task=None, *, direct_service=None, by, at, comment="等了很久，没人解释原因。"):
    return rate(task, direct_service=direct_service, by=by, at=at, scores=OFFLINE_BAD, comment=comment)


@pytest.fixture
def task(case):  # noqa: F811
    """li_ming's hukou task, completed by zhao_qiang (市公安局) at world.at."""
    return completed_task(case)


def later(world, **delta):
    return world.at + datetime.timedelta(**delta)
