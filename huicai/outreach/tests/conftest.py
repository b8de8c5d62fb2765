"""Outreach fixtures: the world, plus the casework that lets department and undertaking commissioners see
li_ming (S12, S13: they see the talents their tasks name), and helpers that walk a difficulty up.

The world's clock: world.at is Monday 2026-03-02 17:00 in Linyi (09:00 UTC).
"""

import datetime
from types import SimpleNamespace

import pytest

from huicai.casework import actions as casework
from huicai.casework.tests import conftest as casework_fixtures
from huicai.casework.tests.conftest import item_fields, prepare
from huicai.catalogue import actions as catalogue
from huicai.catalogue.choices import Category as ItemCategory
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.notifications.models import Notification
from huicai.outreach import actions
from huicai.outreach.choices import Category, DifficultyKind
from huicai.testing import make_user

# The casework fixture (published items of three city departments), shared here.
case = casework_fixtures.case

LINYI = datetime.timezone(datetime.timedelta(hours=8))


def local(year, month, day, hour=9, minute=0):
    """An aware datetime at Linyi local time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LINYI)


@pytest.fixture
def reach(case):
    """li_ming applies for 落户 (a 市公安局 task, so zhao_qiang sees him) and for a health check that 市卫生健康委
    hands to the people's hospital (so he_ping sees him); qin_wei is the 市卫生健康委 commissioner."""
    world = case.world
    hukou = prepare(case, [case.hukou])
    casework.submit_application(hukou, by=world.wang_fang, at=world.at)

    qin_wei = make_user("qin_wei", "秦伟")
    appoint_commissioner(
        user=qin_wei,
        kind=PostKind.DEPARTMENT,
        organisation=world.departments["市卫生健康委"],
        by=world.admin,
        at=world.at,
    )
    health_item = catalogue.create_item(
        window=world.windows["临沂市"],
        by=world.zhou_min,
        at=world.at,
        **item_fields(world, "LY-YL-001", "高层次人才医疗保健", "市卫生健康委", 5, 10, ItemCategory.MEDICAL),
    )
    health_item = catalogue.publish_item(health_item, by=world.zhou_min, at=world.at)
    health = prepare(case, [health_item])
    casework.submit_application(health, by=world.wang_fang, at=world.at)
    task = health.tasks.get()
    casework.accept_task(task, by=qin_wei, at=world.at)
    casework.delegate_task(task, undertaking_org=world.people_hospital, by=qin_wei, at=world.at)
    return SimpleNamespace(world=world, case=case, qin_wei=qin_wei, health_item=health_item)


def record(
    world, *, by=None, talent=None, kind=DifficultyKind.DIFFICULTY, content="子女入学需要协调。", at=None
):
    return actions.record_difficulty(
        talent=talent or world.li_ming,
        kind=kind,
        category=Category.CHILDREN,
        content=content,
        by=by or world.li_ming_user,
        at=at or world.at,
    )


def at_city(world, **kwargs):
    """A difficulty li_ming reported, passed by wang_fang to 兰山区 and by chen_jing to the city window."""
    difficulty = record(world, **kwargs)
    actions.escalate_difficulty(difficulty, note="需窗口协调。", by=world.wang_fang, at=world.at)
    return actions.escalate_difficulty(difficulty, note="涉及市级政策。", by=world.chen_jing, at=world.at)


def inbox(user, kind=None):
    notices = Notification.objects.filter(recipient=user)
    if kind:
        notices = notices.filter(kind=kind)
    return list(notices.order_by("created_at", "id"))
