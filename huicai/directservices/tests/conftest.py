"""Direct-service fixtures: published direct items of three departments (one undertaken by the city
people's hospital), one accepting only the provincial card, one by-application item, and helpers for
slots on the official calendar.

The world's clock: world.at is Monday 2026-03-02 17:00 in Linyi (09:00 UTC).
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from huicai.catalogue import actions as catalogue
from huicai.catalogue.choices import Category, ServiceMode
from huicai.directservices import actions
from huicai.talents.actions import issue_card
from huicai.talents.choices import CardKind

LINYI = datetime.timezone(datetime.timedelta(hours=8))


def local(year, month, day, hour=9, minute=0):
    """An aware datetime at Linyi local time."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LINYI)


def direct_fields(world, code, name, department, **overrides):
    fields = {
        "code": code,
        "name": name,
        "category": Category.OTHER,
        "mode": ServiceMode.DIRECT,
        "department": world.departments[department],
        "visit_count": 1,
        "content": "凭卡直接服务。",
        "accepts_yimeng_card": True,
    }
    fields.update(overrides)
    return fields


def publish(world, fields, **extra):
    item = catalogue.create_item(
        window=world.windows["临沂市"], by=world.zhou_min, at=world.at, **extra, **fields
    )
    return catalogue.publish_item(item, by=world.zhou_min, at=world.at)


@pytest.fixture
def direct(world):
    """The world plus the published items every test here uses."""
    police = publish(world, direct_fields(world, "LY-GA-901", "出入境证件办理咨询", "市公安局"))
    health = publish(
        world,
        direct_fields(world, "LY-YL-901", "高层次人才健康体检", "市卫生健康委", category=Category.MEDICAL),
        undertaking_orgs=[world.people_hospital],
    )
    airport = publish(
        world,
        direct_fields(world, "LY-JT-901", "机场贵宾通道", "临沂国际机场", category=Category.TRANSPORT),
    )
    shandong_only = publish(
        world,
        direct_fields(
            world,
            "LY-JT-902",
            "高铁站贵宾厅",
            "临沂国际机场",
            category=Category.TRANSPORT,
            accepts_yimeng_card=False,
            accepts_shandong_card=True,
        ),
    )
    category_c_only = publish(
        world,
        direct_fields(world, "LY-LY-901", "景区免费游览", "市文化和旅游局", category=Category.LEISURE),
        talent_categories=[world.category_c],
    )
    by_application = publish(
        world,
        {
            "code": "LY-HJ-901",
            "name": "高层次人才落户",
            "category": Category.HOUSEHOLD,
            "mode": ServiceMode.APPLICATION,
            "department": world.departments["市公安局"],
            "legal_days": 20,
            "committed_days": 5,
            "materials": [{"name": "居民身份证", "required": True, "copies": 1, "notes": ""}],
            "steps": ["申请", "办结"],
        },
    )
    return SimpleNamespace(
        world=world,
        police=police,
        health=health,
        airport=airport,
        shandong_only=shandong_only,
        category_c_only=category_c_only,
        by_application=by_application,
        card=world.li_ming_card,
    )


def another_card(world, talent, number, *, issued, until, kind=CardKind.YIMENG):
    return issue_card(
        talent,
        kind=kind,
        number=number,
        issued_date=issued,
        valid_until_date=until,
        by=world.chen_jing,
        at=world.at,
    )


def serve(direct, *, by=None, item=None, card=None, at=None, **fields):
    """Record a direct service with sensible defaults: zhao_qiang serves li_ming the police item."""
    world = direct.world
    values = {"place": "市政务服务中心公安窗口", "outcome": "served"}
    values.update(fields)
    return actions.record_direct_service(
        card=card or direct.card,
        item=item or direct.police,
        by=by or world.zhao_qiang,
        at=at or world.at,
        **values,
    )


def post_of(user):
    return user.posts.get()


def book(direct, *, start, end=None, by=None, post=None, window=None, item=None, talent=None, at=None):
    """Book a slot for li_ming with zhao_qiang (by default) for the police item."""
    world = direct.world
    end = end or start + datetime.timedelta(minutes=30)
    if post is None and window is None:
        post = post_of(world.zhao_qiang)
    return actions.book_appointment(
        talent=talent or world.li_ming,
        item=item or direct.police,
        post=post,
        window=window,
        starts_at=start,
        ends_at=end,
        note="办理护照加急",
        by=by or world.li_ming_user,
        at=at or world.at,
    )


def localdate(value):
    return timezone.localdate(value)
