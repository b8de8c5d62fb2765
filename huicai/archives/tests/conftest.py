"""Archives fixtures: li_ming's history through the real actions of every app that keeps part of it.

The world's clock: world.at is Monday 2026-03-02 17:00 in Linyi. By then li_ming holds a 沂蒙惠才卡 (issued
by chen_jing) and wang_fang is his unit commissioner. The history adds, on 2 March, a 落户 application
that 市公安局 completes (its events, materials and result) and that li_ming rates badly an hour later
(a rating and a rectification); on 3 March a direct service on his card; on 5 March a difficulty he raises;
on 7 March the 兰山区 status check-in wang_fang answers for him.
"""

import datetime
from types import SimpleNamespace

import pytest

from huicai.directservices.tests.conftest import serve
from huicai.outreach import actions as outreach
from huicai.outreach.choices import Category, DifficultyKind
from huicai.ratings.tests.conftest import case, completed_task, direct, rate_badly  # noqa: F401 (fixtures)

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def history(case, direct):  # noqa: F811
    world = case.world
    task = completed_task(case)
    rating = rate_badly(task, by=world.li_ming_user, at=world.at + HOUR)
    service = serve(direct, at=world.at + DAY)
    difficulty = outreach.record_difficulty(
        talent=world.li_ming,
        kind=DifficultyKind.DIFFICULTY,
        category=Category.CHILDREN,
        content="子女入学需要协调。",
        by=world.li_ming_user,
        at=world.at + 3 * DAY,
    )
    checkin_round = outreach.open_checkin_round(
        window=world.windows["兰山区"],
        title="2026年一季度状态调度",
        by=world.chen_jing,
        at=world.at + 5 * DAY,
    )
    outreach.answer_checkin(
        checkin_round.entries.get(talent=world.li_ming),
        employment_status="employed",
        lives_in_linyi=True,
        by=world.wang_fang,
        at=world.at + 5 * DAY + HOUR,
    )
    return SimpleNamespace(
        world=world,
        case=case,
        direct=direct,
        talent=world.li_ming,
        task=task,
        rating=rating,
        service=service,
        difficulty=difficulty,
        checkin_round=checkin_round,
    )
