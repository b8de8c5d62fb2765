"""Grading fixtures: two county windows with a year of real records behind them.

兰山区: 李明's 市公安局 task finished on time and rated 非常满意 by him. 罗庄区: 刘洋's task finished 17 days
after its deadline and rated 不满意 by his unit commissioner, which opened a rectification nobody answered.
Both windows have a manager (马丽 at 兰山区, 高峰 at 罗庄区); the rubric weighs four measured indicators
(兰山区 had no rectification: 暂无数据 there). The indicators read from commissioner management and filings are
tested in ``test_wired_indicators.py``.
"""

import datetime
from types import SimpleNamespace

import pytest

from huicai.casework.tests.conftest import case, prepare  # noqa: F401  (the `case` fixture)
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.grading import actions
from huicai.ratings.tests.conftest import completed_task, rate, rate_badly
from huicai.testing import make_user

WEIGHTS = {
    "on_time": 40,
    "satisfaction": 30,
    "rectification_rate": 15,
    "rectification_speed": 15,
}


def later(world, **delta):
    return world.at + datetime.timedelta(**delta)


@pytest.fixture
def g(case):  # noqa: F811
    world = case.world
    ma_li = make_user("ma_li", "马丽")
    appoint_commissioner(
        user=ma_li,
        kind=PostKind.WINDOW,
        organisation=world.windows["兰山区"],
        is_manager=True,
        by=world.admin,
        at=world.at,
    )
    gao_feng = make_user("gao_feng", "高峰")
    appoint_commissioner(
        user=gao_feng,
        kind=PostKind.WINDOW,
        organisation=world.windows["罗庄区"],
        is_manager=True,
        by=world.admin,
        at=world.at,
    )
    rubric = actions.create_rubric(
        weights=WEIGHTS,
        excellent_min=90,
        good_min=80,
        pass_min=60,
        note="试行",
        by=world.zhou_min,
        at=world.at,
    )
    on_time = completed_task(case)
    rate(on_time, by=world.li_ming_user, at=later(world, days=1))
    late = completed_task(
        case, talent=world.liu_yang, unit=world.qian_hui, completed_at=later(world, days=20)
    )
    rate_badly(late, by=world.qian_hui, at=later(world, days=21))
    return SimpleNamespace(
        case=case,
        world=world,
        rubric=rubric,
        ma_li=ma_li,
        gao_feng=gao_feng,
        on_time=on_time,
        late=late,
        lanshan=world.windows["兰山区"],
        luozhuang=world.windows["罗庄区"],
        at=later(world, days=30),
    )


def evaluate(g, **kwargs):
    return actions.compute_evaluation(kind="year", year=2026, by=g.world.zhou_min, at=g.at, **kwargs)


def result_of(evaluation, window):
    return evaluation.results.get(window=window)


@pytest.fixture
def published(g):
    evaluation = evaluate(g)
    return actions.publish_evaluation(evaluation, by=g.world.zhou_min, at=g.at)
