"""Drafting, publishing and expiring policies (S14-5), and the notice pushed to matching talents (W16)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huicai.core.identifiers import make_mobile, make_resident_id
from huicai.notifications.models import Notification
from huicai.policies.actions import (
    InvalidTransition,
    NotAllowed,
    create_policy,
    edit_policy,
    expire_policy,
    publish_policy,
)
from huicai.policies.choices import PolicyEventKind, PolicyStatus
from huicai.policies.models import Policy, PolicyTerm
from huicai.talents.actions import register_talent
from huicai.testing import make_user

POLICY = {
    "title": "兰山区高层次人才住房补贴办法",
    "issuer": "兰山区人力资源和社会保障局",
    "document_number": "临兰人社发〔2026〕3号",
    "issue_date": datetime.date(2026, 2, 1),
    "effective_date": datetime.date(2026, 2, 1),
    "body": "符合条件的高层次人才可申请住房补贴。",
}


@pytest.fixture
def lanshan_draft(world):
    return create_policy(
        by=world.chen_jing,
        at=world.at,
        window=world.windows["兰山区"],
        divisions=[world.divisions["兰山区"]],
        **POLICY,
    )


def test_a_window_commissioner_drafts_a_policy_for_their_county(world, lanshan_draft):
    assert lanshan_draft.status == PolicyStatus.DRAFT
    assert lanshan_draft.created_by == world.chen_jing
    assert PolicyTerm.objects.filter(policy=lanshan_draft, term="住房补贴").exists()
    assert [e.kind for e in lanshan_draft.events.all()] == [PolicyEventKind.CREATED]


def test_a_county_window_cannot_publish_for_another_county(world):
    with pytest.raises(ValidationError) as caught:
        create_policy(
            by=world.chen_jing,
            at=world.at,
            window=world.windows["兰山区"],
            divisions=[world.divisions["罗庄区"]],
            **POLICY,
        )

    assert caught.value.message_dict["divisions"] == [
        "“兰山区高层次人才服务窗口”不能发布适用于罗庄区的政策，超出本窗口辖区。"
    ]
    assert not Policy.objects.exists()


def test_a_county_window_cannot_publish_for_the_whole_city(world):
    with pytest.raises(ValidationError) as caught:
        create_policy(by=world.chen_jing, at=world.at, window=world.windows["兰山区"], **POLICY)

    assert caught.value.message_dict["divisions"] == [
        "“兰山区高层次人才服务窗口”只能发布本辖区的政策，请选择适用区域；全市性政策由市级窗口发布。"
    ]


def test_the_city_window_publishes_for_any_region(world):
    policy = create_policy(
        by=world.zhou_min,
        at=world.at,
        window=world.windows["临沂市"],
        divisions=[world.divisions["罗庄区"], world.divisions["兰山区"]],
        **POLICY,
    )

    assert set(policy.divisions.values_list("name", flat=True)) == {"罗庄区", "兰山区"}


def test_a_commissioner_cannot_draft_for_a_window_that_is_not_theirs(world):
    with pytest.raises(NotAllowed) as caught:
        create_policy(
            by=world.sun_lei,
            at=world.at,
            window=world.windows["兰山区"],
            divisions=[world.divisions["兰山区"]],
            **POLICY,
        )

    assert str(caught.value) == "您不是“兰山区高层次人才服务窗口”的窗口专员，不能管理该窗口的政策。"


@pytest.mark.parametrize("persona", ["li_ming_user", "wang_fang", "zhao_qiang", "he_ping"])
def test_only_window_commissioners_draft_policies(world, persona):
    with pytest.raises(NotAllowed) as caught:
        create_policy(by=getattr(world, persona), at=world.at, window=world.windows["临沂市"], **POLICY)

    assert str(caught.value) == "只有窗口专员可以起草、发布和废止人才政策。"


def test_the_administrator_may_draft_for_any_window(world):
    policy = create_policy(by=world.admin, at=world.at, window=world.windows["临沂市"], **POLICY)

    assert policy.window == world.windows["临沂市"]


def test_an_expiry_date_before_the_effective_date_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        create_policy(
            by=world.zhou_min,
            at=world.at,
            window=world.windows["临沂市"],
            **{**POLICY, "expiry_date": datetime.date(2026, 1, 1)},
        )

    assert caught.value.message_dict["expiry_date"] == ["失效日期必须晚于生效日期。"]
    assert not Policy.objects.exists()


def test_a_document_number_is_used_once(world, lanshan_draft):
    with pytest.raises(ValidationError) as caught:
        create_policy(by=world.zhou_min, at=world.at, window=world.windows["临沂市"], **POLICY)

    assert caught.value.message_dict["document_number"] == ["已有相同发文字号的政策。"]


def test_publishing_puts_the_policy_in_force(world, lanshan_draft):
    policy, _ = publish_policy(lanshan_draft, by=world.chen_jing, at=world.at)

    assert policy.status == PolicyStatus.IN_FORCE
    assert (policy.published_by, policy.published_at) == (world.chen_jing, world.at)
    event = policy.events.get(kind=PolicyEventKind.PUBLISHED)
    assert (event.from_status, event.to_status, event.by) == (
        PolicyStatus.DRAFT,
        PolicyStatus.IN_FORCE,
        world.chen_jing,
    )


def test_publishing_a_published_policy_is_refused(world, lanshan_draft):
    publish_policy(lanshan_draft, by=world.chen_jing, at=world.at)

    with pytest.raises(InvalidTransition) as caught:
        publish_policy(lanshan_draft, by=world.chen_jing, at=world.at)

    assert caught.value.messages == ["该政策已经发布，不能重复发布。"]
    assert Notification.objects.count() == 1


def test_publishing_a_policy_whose_expiry_date_has_come_is_refused(world):
    policy = create_policy(
        by=world.zhou_min,
        at=world.at,
        window=world.windows["临沂市"],
        **{**POLICY, "expiry_date": world.today},
    )

    with pytest.raises(InvalidTransition) as caught:
        publish_policy(policy, by=world.zhou_min, at=world.at)

    assert caught.value.messages == ["该政策的失效日期已到，不能发布。"]


def test_an_outsider_window_cannot_publish_a_draft_of_another_county(world, lanshan_draft):
    with pytest.raises(NotAllowed):
        publish_policy(lanshan_draft, by=world.sun_lei, at=world.at)

    lanshan_draft.refresh_from_db()
    assert lanshan_draft.status == PolicyStatus.DRAFT


def test_the_city_window_may_publish_a_county_draft(world, lanshan_draft):
    policy, _ = publish_policy(lanshan_draft, by=world.zhou_min, at=world.at)

    assert policy.status == PolicyStatus.IN_FORCE


def test_publishing_notifies_the_matching_talents_and_no_one_else(world, lanshan_draft):
    lanshan_draft.categories.set([world.category_b])
    # A 罗庄区 talent of category B with an account: the wrong region.
    luozhuang_user = make_user("zhang_wei", "张伟")
    register_talent(
        by=world.sun_lei,
        at=world.at,
        user=luozhuang_user,
        name="张伟",
        id_number=make_resident_id("110108", datetime.date(1980, 1, 2), 11),
        category=world.category_b,
        employer=world.luozhuang_steel,
        home_window=world.windows["罗庄区"],
        mobile=make_mobile(32345678),
    )

    _, notified = publish_policy(lanshan_draft, by=world.chen_jing, at=world.at)

    notice = Notification.objects.get()
    assert notified == 1
    assert notice.recipient == world.li_ming_user
    assert notice.title == "新政策：兰山区高层次人才住房补贴办法"
    assert notice.link == lanshan_draft.get_absolute_url()
    assert notice.created_at == world.at


def test_a_policy_for_another_category_notifies_no_one(world, lanshan_draft):
    lanshan_draft.categories.set([world.category_c])

    _, notified = publish_policy(lanshan_draft, by=world.chen_jing, at=world.at)

    assert notified == 0
    assert not Notification.objects.exists()


def test_a_city_wide_policy_reaches_talents_of_every_county(world):
    policy = create_policy(
        by=world.zhou_min,
        at=world.at,
        window=world.windows["临沂市"],
        divisions=[world.divisions["临沂市"]],
        **POLICY,
    )

    _, notified = publish_policy(policy, by=world.zhou_min, at=world.at)

    assert notified == 1
    assert Notification.objects.get().recipient == world.li_ming_user


def test_publishing_can_skip_the_notice(world, lanshan_draft):
    publish_policy(lanshan_draft, by=world.chen_jing, at=world.at, notify_talents=False)

    assert not Notification.objects.exists()


def test_the_notice_costs_the_same_queries_for_one_talent_or_many(world):
    def publish(number):
        policy = create_policy(
            by=world.zhou_min,
            at=world.at,
            window=world.windows["临沂市"],
            **{**POLICY, "document_number": f"测{number}"},
        )
        with CaptureQueriesContext(connection) as queries:
            _, notified = publish_policy(policy, by=world.zhou_min, at=world.at)
        return notified, len(queries)

    few = publish(1)
    for number in range(3):
        user = make_user(f"talent{number}", f"人才{number}")
        register_talent(
            by=world.zhou_min,
            at=world.at,
            user=user,
            name=f"人才{number}",
            id_number=make_resident_id("372822", datetime.date(1990, 1, 1 + number), 20 + number),
            category=world.category_c,
            employer=world.linyi_pharma,
            home_window=world.windows["兰山区"],
            mobile=make_mobile(42345678 + number),
        )
    many = publish(2)

    assert (few[0], many[0]) == (1, 4)
    assert few[1] == many[1]


def test_expiring_an_in_force_policy(world, lanshan_draft):
    publish_policy(lanshan_draft, by=world.chen_jing, at=world.at)
    later = world.at + datetime.timedelta(days=30)

    policy = expire_policy(lanshan_draft, by=world.chen_jing, at=later, note="已被新办法替代")

    assert (policy.status, policy.expired_at) == (PolicyStatus.EXPIRED, later)
    event = policy.events.get(kind=PolicyEventKind.EXPIRED)
    assert (event.from_status, event.note) == (PolicyStatus.IN_FORCE, "已被新办法替代")


def test_a_draft_cannot_be_expired(world, lanshan_draft):
    with pytest.raises(InvalidTransition) as caught:
        expire_policy(lanshan_draft, by=world.chen_jing, at=world.at)

    assert caught.value.messages == ["草稿尚未发布，不能废止。"]


def test_an_expired_policy_cannot_be_expired_again_published_or_edited(world, lanshan_draft):
    publish_policy(lanshan_draft, by=world.chen_jing, at=world.at)
    expire_policy(lanshan_draft, by=world.chen_jing, at=world.at)

    with pytest.raises(InvalidTransition) as again:
        expire_policy(lanshan_draft, by=world.chen_jing, at=world.at)
    with pytest.raises(InvalidTransition) as republish:
        publish_policy(lanshan_draft, by=world.chen_jing, at=world.at)
    with pytest.raises(InvalidTransition) as edit:
        edit_policy(lanshan_draft, by=world.chen_jing, at=world.at, title="新标题")

    assert again.value.messages == ["该政策已经失效。"]
    assert republish.value.messages == ["该政策已经失效，不能再次发布。"]
    assert edit.value.messages == ["已失效的政策不能修改。"]


def test_editing_rewrites_the_search_index(world, lanshan_draft):
    edit_policy(
        lanshan_draft, by=world.chen_jing, at=world.at, title="兰山区人才子女入学办法", body="子女入学。"
    )

    terms = set(PolicyTerm.objects.filter(policy=lanshan_draft).values_list("term", flat=True))
    assert {"子女", "入学"} <= terms
    assert "住房" not in terms
    assert lanshan_draft.events.filter(kind=PolicyEventKind.EDITED).count() == 1


def test_editing_cannot_move_a_county_policy_out_of_the_county(world, lanshan_draft):
    with pytest.raises(ValidationError) as caught:
        edit_policy(lanshan_draft, by=world.chen_jing, at=world.at, divisions=[world.divisions["河东区"]])

    assert "超出本窗口辖区" in caught.value.message_dict["divisions"][0]
    assert list(lanshan_draft.divisions.all()) == [world.divisions["兰山区"]]
