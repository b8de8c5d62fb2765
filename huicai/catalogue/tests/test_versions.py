"""Every change to an item makes a new immutable version, numbered 1, 2, 3…, with who, when and why."""

import pytest
from django.core.exceptions import ValidationError

from huicai.catalogue import actions
from huicai.catalogue.choices import FilingStatus
from huicai.catalogue.models import ServiceItemVersion
from huicai.catalogue.tests.conftest import LATER


def revise(world, item, *, by=None, at=None, reason="压缩承诺时限", **fields):
    return actions.revise_item(
        item,
        by=by or world.zhou_min,
        at=at or world.at + LATER,
        reason=reason,
        undertaking_orgs=list(item.undertaking_orgs.all()),
        talent_categories=list(item.talent_categories.all()),
        **fields,
    )


def test_creating_an_item_captures_version_one(world, city_item):
    version = city_item.versions.get()

    assert version.number == 1
    assert version.created_by == world.zhou_min
    assert version.created_at == world.at
    assert version.reason == "新增事项"
    assert version.data["committed_days"] == 10
    assert version.data["department"]["name"] == "临沂市住房和城乡建设局"
    assert city_item.status == FilingStatus.DRAFT
    assert city_item.level == "city"


def test_each_change_makes_the_next_version_with_who_when_and_why(world, city_item):
    revise(world, city_item, committed_days=8, reason="压缩承诺时限")
    revise(world, city_item, at=world.at + 2 * LATER, visit_count=1, reason="减少跑动")

    versions = list(city_item.versions.order_by("number"))

    assert [v.number for v in versions] == [1, 2, 3]
    assert [v.reason for v in versions] == ["新增事项", "压缩承诺时限", "减少跑动"]
    assert [v.committed_days for v in versions] == [10, 8, 8]
    assert [v.visit_count for v in versions] == [2, 2, 1]
    assert versions[2].created_at == world.at + 2 * LATER


def test_a_save_that_changes_nothing_makes_no_version(world, city_item):
    revise(world, city_item, committed_days=10)

    assert city_item.versions.count() == 1


def test_a_change_needs_a_reason(world, city_item):
    with pytest.raises(ValidationError) as error:
        revise(world, city_item, committed_days=8, reason=" ")

    assert error.value.message_dict == {"reason": ["请填写修改原因。"]}
    assert city_item.versions.count() == 1


def test_versions_cannot_be_rewritten_or_deleted(world, city_item):
    version = city_item.versions.get()

    version.reason = "篡改"
    with pytest.raises(PermissionError):
        version.save()
    with pytest.raises(PermissionError):
        ServiceItemVersion.objects.filter(pk=version.pk).update(reason="篡改")
    with pytest.raises(PermissionError):
        ServiceItemVersion.objects.filter(pk=version.pk).delete()
    assert ServiceItemVersion.objects.get(pk=version.pk).reason == "新增事项"


def test_materials_keep_their_keys_across_versions_and_new_ones_get_new_keys(world, city_item):
    first = {m["name"]: m["key"] for m in city_item.materials}

    revise(
        world,
        city_item,
        materials=[
            {"name": "居民身份证", "required": True, "copies": 1, "notes": ""},
            {"name": "社保缴纳证明", "required": True, "copies": 1, "notes": ""},
            {"name": "劳动合同", "required": True, "copies": 2, "notes": ""},
        ],
    )

    city_item.refresh_from_db()
    keys = {m["name"]: m["key"] for m in city_item.materials}
    assert first == {"居民身份证": "M01", "劳动合同": "M02", "无房证明": "M03", "婚姻状况证明": "M04"}
    assert keys == {"居民身份证": "M01", "社保缴纳证明": "M05", "劳动合同": "M02"}
    assert city_item.versions.get(number=2).data["materials"][1]["key"] == "M05"


def test_revising_a_published_item_starts_a_draft_while_the_public_keeps_the_published_version(
    world, city_item
):
    actions.publish_item(city_item, by=world.zhou_min, at=world.at)

    revise(world, city_item, committed_days=7, reason="压缩承诺时限")

    city_item.refresh_from_db()
    assert city_item.status == FilingStatus.DRAFT
    assert city_item.committed_days == 7
    assert city_item.published_version.number == 1
    assert city_item.published_version.committed_days == 10
    event = city_item.events.order_by("-id").first()
    assert (event.from_status, event.to_status, event.note) == ("acknowledged", "draft", "压缩承诺时限")


def test_the_code_of_a_published_item_is_fixed(world, city_item):
    actions.publish_item(city_item, by=world.zhou_min, at=world.at)

    with pytest.raises(ValidationError) as error:
        revise(world, city_item, code="LY-ZF-999")

    assert error.value.message_dict == {"code": ["已公布事项的编码不能修改。"]}
