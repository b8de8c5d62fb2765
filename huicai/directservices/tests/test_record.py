"""W12 随时受理、直接服务: a commissioner records a service given on a valid card; every refusal gives its
own reason and saves nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from huicai.commissioners.actions import end_post
from huicai.directservices import actions
from huicai.directservices.choices import Outcome
from huicai.directservices.models import DirectService
from huicai.directservices.tests.conftest import another_card, serve
from huicai.talents.actions import change_card_status
from huicai.talents.choices import CardStatus


def test_a_department_commissioner_records_a_direct_service_on_a_valid_card(direct):
    world = direct.world

    service = serve(direct, note="已现场答复")

    assert service.talent == world.li_ming
    assert service.card == world.li_ming_card
    assert service.item_version == direct.police.published_version
    assert service.department == world.departments["市公安局"]
    assert service.served_by == world.zhao_qiang
    assert service.post.department == world.departments["市公安局"]
    assert service.window is None
    assert (service.served_at, service.place, service.outcome) == (
        world.at,
        "市政务服务中心公安窗口",
        "served",
    )
    assert list(world.li_ming.direct_services.all()) == [service]


def test_an_undertaking_commissioner_records_the_items_their_institution_undertakes(direct):
    service = serve(direct, by=direct.world.he_ping, item=direct.health, place="市人民医院体检中心")

    assert service.post.undertaking_org == direct.world.people_hospital
    assert service.department == direct.world.departments["市卫生健康委"]


def test_a_window_commissioner_records_any_direct_item_at_their_window(direct):
    world = direct.world

    service = serve(direct, by=world.chen_jing, item=direct.airport, place="兰山区人才服务窗口")

    assert service.window == world.windows["兰山区"]
    assert service.department == world.departments["临沂国际机场"]


def test_a_referral_and_a_service_not_given_keep_their_reason(direct):
    referred = serve(direct, outcome=Outcome.REFERRED, outcome_reason="转至市出入境管理支队")
    not_served = serve(direct, outcome=Outcome.NOT_SERVED, outcome_reason="系统故障，约定次日办理")

    assert referred.outcome_reason == "转至市出入境管理支队"
    assert not_served.outcome_reason == "系统故障，约定次日办理"


def _expire_by_date(direct):
    world = direct.world
    return another_card(
        world,
        world.liu_yang,
        "YM2022000009",
        issued=datetime.date(2022, 2, 1),
        until=datetime.date(2025, 1, 31),
    )


def _mark(status):
    def make(direct):
        return change_card_status(direct.card, status=status, by=direct.world.chen_jing, at=direct.world.at)

    return make


def _not_yet_valid(direct):
    world = direct.world
    return another_card(
        world,
        world.liu_yang,
        "YM2026000777",
        issued=datetime.date(2026, 4, 1),
        until=datetime.date(2029, 3, 31),
    )


@pytest.mark.parametrize(
    "make_card, reason",
    [
        (_expire_by_date, "该人才卡已过期（有效期至2025-01-31）"),
        (_mark(CardStatus.EXPIRED), "该人才卡已过期（有效期至2028-01-09）"),
        (_mark(CardStatus.REVOKED), "该人才卡已撤销"),
        (_mark(CardStatus.LOST), "该人才卡已挂失"),
        (_not_yet_valid, "该人才卡尚未生效（发卡日期2026-04-01）"),
    ],
    ids=["expired-by-date", "expired-by-status", "revoked", "lost", "not-yet-valid"],
)
def test_it_refuses_a_card_that_is_not_valid_today_with_its_own_reason(direct, make_card, reason):
    card = make_card(direct)

    with pytest.raises(ValidationError) as refused:
        serve(direct, card=card)

    assert refused.value.messages == [reason]
    assert not DirectService.objects.exists()


@pytest.mark.parametrize(
    "item_name, reason",
    [
        ("shandong_only", "该事项不适用沂蒙惠才卡。"),
        ("category_c_only", "该事项不面向此人才类别。"),
        ("by_application", "事项“高层次人才落户”为依申请事项，须由单位专员申办，不能凭卡直接服务。"),
    ],
)
def test_it_refuses_an_item_not_open_to_the_card_or_not_direct(direct, item_name, reason):
    world = direct.world

    with pytest.raises(ValidationError) as refused:
        serve(direct, by=world.chen_jing, item=getattr(direct, item_name))

    assert refused.value.messages == [reason]
    assert not DirectService.objects.exists()


def test_it_refuses_an_item_that_is_not_yet_published(direct):
    from huicai.catalogue import actions as catalogue
    from huicai.directservices.tests.conftest import direct_fields

    world = direct.world
    draft = catalogue.create_item(
        window=world.windows["临沂市"],
        by=world.zhou_min,
        at=world.at,
        **direct_fields(world, "LY-GA-902", "草稿事项", "市公安局"),
    )

    with pytest.raises(ValidationError) as refused:
        serve(direct, item=draft)

    assert refused.value.messages == ["事项“草稿事项”尚未公布，不能提供服务。"]
    assert not DirectService.objects.exists()


@pytest.mark.parametrize(
    "persona, item_name, reason",
    [
        (
            "zhao_qiang",
            "airport",
            "事项“机场贵宾通道”不属于您所在的部门或承办机构，您不能登记该事项的直接服务。",
        ),
        (
            "he_ping",
            "police",
            "事项“出入境证件办理咨询”不属于您所在的部门或承办机构，您不能登记该事项的直接服务。",
        ),
        ("wang_fang", "police", "只有部门专员、承办专员或窗口专员可以登记直接服务。"),
        ("li_ming_user", "police", "只有部门专员、承办专员或窗口专员可以登记直接服务。"),
    ],
)
def test_it_refuses_an_item_that_is_not_the_commissioners_to_give(direct, persona, item_name, reason):
    world = direct.world

    with pytest.raises(actions.NotAllowed) as refused:
        serve(direct, by=getattr(world, persona), item=getattr(direct, item_name))

    assert str(refused.value) == reason
    assert not DirectService.objects.exists()


@pytest.mark.parametrize(
    "fields, reason",
    [
        ({"place": "  "}, "请填写服务地点。"),
        ({"outcome": Outcome.NOT_SERVED}, "未能服务时须填写原因。"),
        ({"outcome": Outcome.REFERRED}, "转介时须填写转介去向。"),
        ({"outcome": "maybe"}, "请选择服务结果。"),
    ],
)
def test_it_refuses_a_record_without_place_or_reason(direct, fields, reason):
    with pytest.raises(ValidationError) as refused:
        serve(direct, **fields)

    assert refused.value.messages == [reason]
    assert not DirectService.objects.exists()


def test_a_commissioner_whose_post_has_ended_cannot_record(direct):
    world = direct.world
    later = world.at + datetime.timedelta(days=1)
    end_post(world.zhao_qiang.posts.get(), by=world.admin, at=later)

    with pytest.raises(actions.NotAllowed):
        serve(direct, at=later + datetime.timedelta(hours=1))

    assert not DirectService.objects.exists()
