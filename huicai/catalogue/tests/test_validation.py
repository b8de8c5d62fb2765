"""Bad input gets a clear Chinese error and saves nothing: in the actions, the staff form and the admin."""

import pytest
from django.core.exceptions import ValidationError

from huicai.catalogue import actions
from huicai.catalogue.models import ServiceItem, ServiceItemVersion
from huicai.catalogue.tests.conftest import application_fields, direct_fields

ORG_MESSAGE = "承办机构“临沂市人民医院”不属于主管部门“临沂市住房和城乡建设局”，请选择该部门下的承办机构。"
CASES = {
    "zero legal limit": ({"legal_days": 0}, "法定时限至少为1个工作日。"),
    "negative legal limit": ({"legal_days": -3, "committed_days": -5}, "法定时限至少为1个工作日。"),
    "zero committed limit": ({"committed_days": 0}, "承诺时限至少为1个工作日。"),
    "committed longer than legal": ({"committed_days": 25}, "承诺时限不能长于法定时限。"),
    "application without limits": (
        {"legal_days": None, "committed_days": None},
        "依申请事项须填写法定时限和承诺时限。",
    ),
    "no department": ({"department": None}, "请选择主管部门。"),
}
DIRECT_WITHOUT_CARD = "可直接服务事项至少应适用一种人才卡（山东惠才卡或沂蒙惠才卡）。"


def all_messages(error: ValidationError) -> list[str]:
    return error.messages


def assert_nothing_saved():
    assert ServiceItem.objects.count() == 0
    assert ServiceItemVersion.objects.count() == 0


# --- actions ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("overrides, message", CASES.values(), ids=CASES.keys())
def test_the_action_refuses_bad_limits_and_a_missing_department(world, overrides, message):
    with pytest.raises(ValidationError) as error:
        actions.create_item(
            window=world.windows["临沂市"],
            by=world.zhou_min,
            at=world.at,
            **application_fields(world, **overrides),
        )

    assert message in all_messages(error.value)
    assert_nothing_saved()


def test_the_action_refuses_an_undertaking_org_of_another_department(world):
    with pytest.raises(ValidationError) as error:
        actions.create_item(
            window=world.windows["临沂市"],
            by=world.zhou_min,
            at=world.at,
            undertaking_orgs=[world.people_hospital],
            **application_fields(world),
        )

    assert error.value.message_dict == {"undertaking_orgs": [ORG_MESSAGE]}
    assert_nothing_saved()


def test_the_action_refuses_a_direct_item_open_to_no_card(world):
    with pytest.raises(ValidationError) as error:
        actions.create_item(
            window=world.windows["临沂市"],
            by=world.zhou_min,
            at=world.at,
            **direct_fields(world, accepts_yimeng_card=False),
        )

    assert all_messages(error.value) == [DIRECT_WITHOUT_CARD]
    assert_nothing_saved()


def test_a_direct_item_may_leave_its_limits_empty(world):
    item = actions.create_item(
        window=world.windows["临沂市"], by=world.zhou_min, at=world.at, **direct_fields(world)
    )

    assert (item.legal_days, item.committed_days, item.card_kinds) == (None, None, ["yimeng"])


def test_the_action_refuses_a_county_department_for_a_city_item(world):
    with pytest.raises(ValidationError) as error:
        actions.create_item(
            window=world.windows["临沂市"],
            by=world.zhou_min,
            at=world.at,
            **application_fields(world, department=world.departments["兰山区住建局"]),
        )

    assert error.value.message_dict == {"department": ["市级事项的主管部门须为市级部门。"]}
    assert_nothing_saved()


def test_the_action_refuses_another_countys_department_for_a_county_item(world):
    with pytest.raises(ValidationError) as error:
        actions.create_item(
            window=world.windows["兰山区"],
            by=world.chen_jing,
            at=world.at,
            **application_fields(world, department=world.departments["罗庄区住建局"]),
        )

    assert error.value.message_dict == {"department": ["县区级事项的主管部门须为市级部门或本县区的部门。"]}
    assert_nothing_saved()


def test_the_action_refuses_malformed_materials(world):
    with pytest.raises(ValidationError) as error:
        actions.create_item(
            window=world.windows["临沂市"],
            by=world.zhou_min,
            at=world.at,
            **application_fields(world, materials=[{"name": "身份证", "copies": 0}]),
        )

    assert error.value.message_dict == {"materials": ["材料“身份证”的份数应为1到99之间的整数。"]}
    assert_nothing_saved()


def test_the_database_itself_refuses_a_committed_limit_longer_than_the_legal_one(world, city_item):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceItem.objects.filter(pk=city_item.pk).update(committed_days=30)

    city_item.refresh_from_db()
    assert city_item.committed_days == 10


# --- the staff form -----------------------------------------------------------------------------------


def form_data(world, **overrides):
    data = {
        "window": world.windows["临沂市"].pk,
        "code": "LY-ZF-901",
        "name": "人才公寓租住申请",
        "category": "housing",
        "mode": "application",
        "department": world.departments["市住房和城乡建设局"].pk,
        "legal_days": "20",
        "committed_days": "10",
        "visit_count": "2",
        "materials": "居民身份证｜必交｜1｜原件核验\n劳动合同\n婚姻状况证明|选交|1|已婚的提交",
        "steps": "1. 网上申请\n2、单位审核\n住建部门审核",
        "fees": "不收费",
        "reason": "新增事项",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


FORM_CASES = {
    "zero legal limit": ({"legal_days": "0"}, "法定时限至少为1个工作日。"),
    "negative committed limit": ({"committed_days": "-1"}, "承诺时限至少为1个工作日。"),
    "committed longer than legal": ({"committed_days": "25"}, "承诺时限不能长于法定时限。"),
    "no department": ({"department": ""}, "请选择主管部门。"),
    "bad material line": ({"materials": "身份证｜随便"}, "第1行：第二栏应填写“必交”或“选交”。"),
    "bad code": ({"code": "ly 001"}, "事项编码只能由大写字母、数字和连字符组成，例如 LY-CRJ-001。"),
}


@pytest.mark.parametrize("overrides, message", FORM_CASES.values(), ids=FORM_CASES.keys())
def test_the_staff_form_shows_the_error_and_saves_nothing(world, login, overrides, message):
    client = login(world.zhou_min)

    response = client.post("/catalogue/staff/new/", form_data(world, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert_nothing_saved()


def test_the_staff_form_refuses_an_undertaking_org_of_another_department(world, login):
    client = login(world.zhou_min)

    response = client.post(
        "/catalogue/staff/new/", form_data(world, undertaking_orgs=[world.people_hospital.pk])
    )

    assert response.status_code == 200
    assert ORG_MESSAGE in response.content.decode()
    assert_nothing_saved()


def test_the_staff_form_refuses_a_direct_item_open_to_no_card(world, login):
    client = login(world.zhou_min)

    response = client.post(
        "/catalogue/staff/new/",
        form_data(
            world,
            mode="direct",
            legal_days=None,
            committed_days=None,
            department=world.departments["临沂国际机场"].pk,
        ),
    )

    assert response.status_code == 200
    assert DIRECT_WITHOUT_CARD in response.content.decode()
    assert_nothing_saved()


def test_the_staff_form_drafts_an_item_with_structured_materials(world, login):
    client = login(world.zhou_min)

    response = client.post("/catalogue/staff/new/", form_data(world))

    item = ServiceItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/catalogue/staff/{item.pk}/"
    assert item.materials == [
        {"key": "M01", "name": "居民身份证", "required": True, "copies": 1, "notes": "原件核验"},
        {"key": "M02", "name": "劳动合同", "required": True, "copies": 1, "notes": ""},
        {"key": "M03", "name": "婚姻状况证明", "required": False, "copies": 1, "notes": "已婚的提交"},
    ]
    assert item.steps == ["网上申请", "单位审核", "住建部门审核"]
    assert item.versions.get().created_by == world.zhou_min


# --- the admin ----------------------------------------------------------------------------------------

ADMIN_ADD = "/admin/catalogue/serviceitem/add/"


@pytest.mark.parametrize("overrides, message", FORM_CASES.values(), ids=FORM_CASES.keys())
def test_the_admin_shows_the_error_and_saves_nothing(world, login, overrides, message):
    client = login(world.admin)

    response = client.post(ADMIN_ADD, form_data(world, **overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert_nothing_saved()


def test_the_admin_refuses_an_undertaking_org_of_another_department(world, login):
    client = login(world.admin)

    response = client.post(ADMIN_ADD, form_data(world, undertaking_orgs=[world.people_hospital.pk]))

    assert response.status_code == 200
    assert ORG_MESSAGE in response.content.decode()
    assert_nothing_saved()


def inline_management(prefix, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(initial),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_the_admin_saves_through_the_actions_so_each_save_is_a_version(world, login):
    client = login(world.admin)

    client.post(ADMIN_ADD, form_data(world))
    item = ServiceItem.objects.get()
    response = client.post(
        f"/admin/catalogue/serviceitem/{item.pk}/change/",
        {
            **form_data(world, window=None, committed_days="7", reason="压缩承诺时限"),
            **inline_management("versions", 1),
            **inline_management("events", 1),
        },
    )

    assert response.status_code == 302
    versions = list(item.versions.order_by("number"))
    assert [(v.number, v.committed_days, v.reason, v.created_by) for v in versions] == [
        (1, 10, "新增事项", world.admin),
        (2, 7, "压缩承诺时限", world.admin),
    ]
