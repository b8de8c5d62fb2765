import datetime

import pytest

from huicai.catalogue import actions
from huicai.catalogue.choices import Category, ServiceMode

LATER = datetime.timedelta(hours=1)


def application_fields(world, **overrides):
    """A by-application item of 市住房和城乡建设局: 20/10 working days, 3 required materials of 4,
    4 steps, 2 visits."""
    fields = {
        "code": "LY-ZF-901",
        "name": "人才公寓租住申请",
        "category": Category.HOUSING,
        "mode": ServiceMode.APPLICATION,
        "department": world.departments["市住房和城乡建设局"],
        "legal_days": 20,
        "committed_days": 10,
        "visit_count": 2,
        "conditions": "在临全职工作的高层次人才，本人及配偶在临无自有住房。",
        "location_and_hours": "临沂市住房保障服务中心；工作日 9:00—17:00",
        "materials": [
            {"name": "居民身份证", "required": True, "copies": 1, "notes": "原件核验"},
            {"name": "劳动合同", "required": True, "copies": 1, "notes": ""},
            {"name": "无房证明", "required": True, "copies": 1, "notes": ""},
            {"name": "婚姻状况证明", "required": False, "copies": 1, "notes": "已婚的提交"},
        ],
        "steps": ["网上申请", "单位审核", "住建部门审核", "配租签约"],
        "consult_phone": "0539-8201567",
        "complaint_phone": "12345",
    }
    fields.update(overrides)
    return fields


def direct_fields(world, **overrides):
    """A direct item of 临沂国际机场, served on the 沂蒙惠才卡."""
    fields = {
        "code": "LY-JT-901",
        "name": "临沂机场贵宾通道服务",
        "category": Category.TRANSPORT,
        "mode": ServiceMode.DIRECT,
        "department": world.departments["临沂国际机场"],
        "visit_count": 1,
        "content": "凭卡享受贵宾休息室和安检快速通道。",
        "accepts_yimeng_card": True,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def city_item(world):
    """A by-application city item drafted by the city window (zhou_min), not yet published."""
    return actions.create_item(
        window=world.windows["临沂市"], by=world.zhou_min, at=world.at, **application_fields(world)
    )


@pytest.fixture
def county_item(world):
    """A 兰山区 item drafted by chen_jing, still a draft."""
    return actions.create_item(
        window=world.windows["兰山区"],
        by=world.chen_jing,
        at=world.at,
        **application_fields(world, code="LS-ZF-901", name="兰山区人才安家补贴申领"),
    )


@pytest.fixture
def filed_item(world, county_item):
    return actions.file_item(county_item, by=world.chen_jing, at=world.at + LATER, note="新增事项")
