"""Casework fixtures: three published city items of three departments, and helpers that walk an
application through the real actions."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from huicai.casework import actions
from huicai.catalogue import actions as catalogue
from huicai.catalogue.choices import Category, ServiceMode
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.testing import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="材料.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def item_fields(world, code, name, department, committed, legal, category):
    return {
        "code": code,
        "name": name,
        "category": category,
        "mode": ServiceMode.APPLICATION,
        "department": world.departments[department],
        "legal_days": legal,
        "committed_days": committed,
        "materials": [
            {"name": "居民身份证", "required": True, "copies": 1, "notes": ""},
            {"name": "补充说明", "required": False, "copies": 1, "notes": ""},
        ],
        "steps": ["申请", "审核", "办结"],
    }


@pytest.fixture
def case(world, settings, tmp_path, _case_snapshot):
    """The world plus published items of 市公安局, 市住房和城乡建设局 and 市教育局, their commissioners,
    and the official calendar: built once per session by ``build_case`` and laid down on the test's world
    (see ``huicai.testing.Snapshot``)."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return _case_snapshot.restore(world)


def build_case(world):
    """What ``case`` holds, built through the real actions."""
    city = world.windows["临沂市"]
    items = {}
    for code, name, department, committed, legal, category in [
        ("LY-HJ-001", "高层次人才落户", "市公安局", 3, 20, Category.HOUSEHOLD),
        ("LY-ZF-001", "人才公寓申请", "市住房和城乡建设局", 10, 20, Category.HOUSING),
        ("LY-ZN-001", "子女入学安排", "市教育局", 5, 15, Category.CHILDREN),
    ]:
        item = catalogue.create_item(
            window=city,
            by=world.zhou_min,
            at=world.at,
            **item_fields(world, code, name, department, committed, legal, category),
        )
        items[code] = catalogue.publish_item(item, by=world.zhou_min, at=world.at)
    housing_user = make_user("qian_zf", "钱住建")
    appoint_commissioner(
        user=housing_user,
        kind=PostKind.DEPARTMENT,
        organisation=world.departments["市住房和城乡建设局"],
        by=world.admin,
        at=world.at,
    )
    school_user = make_user("sun_jy", "孙教育")
    appoint_commissioner(
        user=school_user,
        kind=PostKind.DEPARTMENT,
        organisation=world.departments["市教育局"],
        by=world.admin,
        at=world.at,
    )
    hospital_user = world.he_ping
    return SimpleNamespace(
        world=world,
        hukou=items["LY-HJ-001"],
        housing=items["LY-ZF-001"],
        school=items["LY-ZN-001"],
        police=world.zhao_qiang,
        housing_commissioner=housing_user,
        school_commissioner=school_user,
        hospital_commissioner=hospital_user,
    )


def prepare(case, items, *, at=None, talent=None, by=None):
    """Create, upload the required materials, record consent: ready to submit."""
    world = case.world
    at = at or world.at
    talent = talent or world.li_ming
    by = by or world.wang_fang
    application = actions.create_application(talent=talent, items=items, by=by, at=at)
    for line in application.items.select_related("item_version"):
        for material in line.materials_required:
            actions.upload_material(line, key=material["key"], file=pdf(), by=by, at=at)
    return actions.record_consent(application, method="signed", by=by, at=at)


def later(world, **delta):
    return world.at + datetime.timedelta(**delta)
