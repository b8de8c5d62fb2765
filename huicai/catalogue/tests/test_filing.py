"""W7 filing upward: draft → filed → acknowledged (published), or returned with a reason and filed
again. Each transition is guarded, recorded as an event and announced to the other side."""

import pytest

from huicai.catalogue import actions
from huicai.catalogue.choices import FilingStatus
from huicai.catalogue.tests.conftest import LATER, application_fields
from huicai.notifications.models import Notification


def assert_unchanged(item, status, events):
    item.refresh_from_db()
    assert item.status == status
    assert item.events.count() == events


def last_event(item):
    return item.events.order_by("-id").first()


# --- file ---------------------------------------------------------------------------------------------


def test_a_county_window_files_its_draft_with_the_city_window(world, county_item):
    item = actions.file_item(county_item, by=world.chen_jing, at=world.at + LATER, note="新增事项")

    assert item.status == FilingStatus.FILED
    event = last_event(item)
    assert (event.from_status, event.to_status, event.by, event.at, event.note) == (
        "draft",
        "filed",
        world.chen_jing,
        world.at + LATER,
        "新增事项",
    )
    assert event.version.number == 1
    notice = Notification.objects.get(recipient=world.zhou_min)
    assert notice.kind == "catalogue.filed"
    assert notice.title == "兰山区高层次人才服务窗口报备服务事项“兰山区人才安家补贴申领”"
    assert notice.link == f"/catalogue/staff/{item.pk}/"


def test_a_returned_item_can_be_corrected_and_filed_again(world, filed_item):
    actions.return_item(filed_item, by=world.zhou_min, at=world.at + 2 * LATER, reason="请补充受理条件")
    actions.revise_item(
        filed_item,
        by=world.chen_jing,
        at=world.at + 3 * LATER,
        reason="补充受理条件",
        undertaking_orgs=[],
        talent_categories=[],
        conditions="在兰山区全职工作满一年的高层次人才。",
    )

    item = actions.file_item(filed_item, by=world.chen_jing, at=world.at + 4 * LATER)

    assert item.status == FilingStatus.FILED
    event = last_event(item)
    assert (event.from_status, event.to_status, event.version.number) == ("returned", "filed", 2)


def test_it_refuses_to_file_an_item_already_filed(world, filed_item):
    with pytest.raises(actions.InvalidTransition) as error:
        actions.file_item(filed_item, by=world.chen_jing, at=world.at + 2 * LATER)

    assert error.value.messages == ["只有草稿或已退回的事项可以报备。"]
    assert_unchanged(filed_item, FilingStatus.FILED, 2)


def test_it_refuses_to_file_an_acknowledged_item(world, filed_item):
    actions.acknowledge_item(filed_item, by=world.zhou_min, at=world.at + 2 * LATER)

    with pytest.raises(actions.InvalidTransition) as error:
        actions.file_item(filed_item, by=world.chen_jing, at=world.at + 3 * LATER)

    assert error.value.messages == ["只有草稿或已退回的事项可以报备。"]
    assert_unchanged(filed_item, FilingStatus.ACKNOWLEDGED, 3)


def test_the_city_window_has_no_window_to_file_with(world, city_item):
    with pytest.raises(actions.InvalidTransition) as error:
        actions.file_item(city_item, by=world.zhou_min, at=world.at + LATER)

    assert error.value.messages == ["市级窗口没有上一级窗口，请直接发布。"]
    assert_unchanged(city_item, FilingStatus.DRAFT, 1)


def test_another_window_cannot_file_a_draft_it_did_not_write(world, county_item):
    with pytest.raises(actions.NotYourItem) as error:
        actions.file_item(county_item, by=world.sun_lei, at=world.at + LATER)

    assert str(error.value) == "只有起草该事项的窗口可以报备。"
    assert_unchanged(county_item, FilingStatus.DRAFT, 1)


def test_a_filed_item_cannot_be_changed_until_the_upper_window_answers(world, filed_item):
    with pytest.raises(actions.ValidationError) as error:
        actions.revise_item(
            filed_item,
            by=world.chen_jing,
            at=world.at + 2 * LATER,
            reason="再改一下",
            undertaking_orgs=[],
            talent_categories=[],
            committed_days=5,
        )

    assert error.value.messages == ["该事项已报备上级窗口，确认备案或退回前不能修改。"]
    filed_item.refresh_from_db()
    assert filed_item.committed_days == 10
    assert filed_item.versions.count() == 1


# --- acknowledge --------------------------------------------------------------------------------------


def test_the_city_window_acknowledges_a_filed_item_which_is_then_published(world, filed_item):
    item = actions.acknowledge_item(filed_item, by=world.zhou_min, at=world.at + 2 * LATER, note="同意")

    assert item.status == FilingStatus.ACKNOWLEDGED
    assert item.published_version.number == 1
    assert item.published_version.published_at == world.at + 2 * LATER
    assert item.published_version.published_by == world.zhou_min
    event = last_event(item)
    assert (event.from_status, event.to_status, event.by, event.note) == (
        "filed",
        "acknowledged",
        world.zhou_min,
        "同意",
    )
    notice = Notification.objects.get(recipient=world.chen_jing)
    assert (notice.kind, notice.title) == (
        "catalogue.acknowledged",
        "服务事项“兰山区人才安家补贴申领”已确认备案并公布",
    )


def test_it_refuses_to_acknowledge_a_draft(world, county_item):
    with pytest.raises(actions.InvalidTransition) as error:
        actions.acknowledge_item(county_item, by=world.zhou_min, at=world.at + LATER)

    assert error.value.messages == ["只有已报备的事项可以确认备案。"]
    assert_unchanged(county_item, FilingStatus.DRAFT, 1)
    assert county_item.published_version is None


def test_a_window_cannot_acknowledge_its_own_filing(world, filed_item):
    with pytest.raises(actions.NotYourItem) as error:
        actions.acknowledge_item(filed_item, by=world.chen_jing, at=world.at + 2 * LATER)

    assert str(error.value) == "只有上级窗口可以确认备案。"
    assert_unchanged(filed_item, FilingStatus.FILED, 2)


def test_a_sibling_county_window_cannot_acknowledge(world, filed_item):
    with pytest.raises(actions.NotYourItem) as error:
        actions.acknowledge_item(filed_item, by=world.sun_lei, at=world.at + 2 * LATER)

    assert str(error.value) == "只有上级窗口可以确认备案。"
    assert_unchanged(filed_item, FilingStatus.FILED, 2)


def test_the_superuser_may_acknowledge(world, filed_item):
    item = actions.acknowledge_item(filed_item, by=world.admin, at=world.at + 2 * LATER)

    assert item.status == FilingStatus.ACKNOWLEDGED


# --- return -------------------------------------------------------------------------------------------


def test_the_city_window_returns_a_filed_item_with_the_reason(world, filed_item):
    item = actions.return_item(
        filed_item, by=world.zhou_min, at=world.at + 2 * LATER, reason="请补充法律依据"
    )

    assert item.status == FilingStatus.RETURNED
    assert item.published_version is None
    event = last_event(item)
    assert (event.from_status, event.to_status, event.note) == ("filed", "returned", "请补充法律依据")
    notice = Notification.objects.get(recipient=world.chen_jing)
    assert (notice.kind, notice.body) == ("catalogue.returned", "请补充法律依据")


def test_it_refuses_to_return_without_a_reason(world, filed_item):
    with pytest.raises(actions.ValidationError) as error:
        actions.return_item(filed_item, by=world.zhou_min, at=world.at + 2 * LATER, reason="  ")

    assert error.value.messages == ["退回时请填写退回原因。"]
    assert_unchanged(filed_item, FilingStatus.FILED, 2)


def test_it_refuses_to_return_a_draft(world, county_item):
    with pytest.raises(actions.InvalidTransition) as error:
        actions.return_item(county_item, by=world.zhou_min, at=world.at + LATER, reason="请补充")

    assert error.value.messages == ["只有已报备的事项可以退回。"]
    assert_unchanged(county_item, FilingStatus.DRAFT, 1)


def test_the_drafting_window_cannot_return_its_own_filing(world, filed_item):
    with pytest.raises(actions.NotYourItem) as error:
        actions.return_item(filed_item, by=world.chen_jing, at=world.at + 2 * LATER, reason="撤回")

    assert str(error.value) == "只有上级窗口可以退回报备。"
    assert_unchanged(filed_item, FilingStatus.FILED, 2)


# --- publish (city window) ----------------------------------------------------------------------------


def test_the_city_window_publishes_its_own_item(world, city_item):
    item = actions.publish_item(city_item, by=world.zhou_min, at=world.at + LATER)

    assert item.status == FilingStatus.ACKNOWLEDGED
    assert item.published_version.number == 1
    event = last_event(item)
    assert (event.from_status, event.to_status) == ("draft", "acknowledged")


def test_a_county_item_cannot_skip_the_filing(world, county_item):
    with pytest.raises(actions.InvalidTransition) as error:
        actions.publish_item(county_item, by=world.chen_jing, at=world.at + LATER)

    assert error.value.messages == ["县区和园区窗口的事项须报上一级窗口备案后公布。"]
    assert_unchanged(county_item, FilingStatus.DRAFT, 1)


def test_it_refuses_to_publish_an_item_already_published(world, city_item):
    actions.publish_item(city_item, by=world.zhou_min, at=world.at + LATER)

    with pytest.raises(actions.InvalidTransition) as error:
        actions.publish_item(city_item, by=world.zhou_min, at=world.at + 2 * LATER)

    assert error.value.messages == ["只有草稿状态的事项可以发布。"]
    assert_unchanged(city_item, FilingStatus.ACKNOWLEDGED, 2)


def test_a_county_window_cannot_publish_a_city_item(world, city_item):
    with pytest.raises(actions.NotYourItem) as error:
        actions.publish_item(city_item, by=world.chen_jing, at=world.at + LATER)

    assert str(error.value) == "只有市级窗口可以直接发布本窗口的事项。"
    assert_unchanged(city_item, FilingStatus.DRAFT, 1)


# --- drafting -----------------------------------------------------------------------------------------


def test_a_window_commissioner_drafts_only_for_their_own_window(world):
    with pytest.raises(actions.NotYourItem) as error:
        actions.create_item(
            window=world.windows["兰山区"], by=world.sun_lei, at=world.at, **application_fields(world)
        )

    assert str(error.value) == "只能为本窗口起草服务事项。"
    assert not world.windows["兰山区"].service_items.exists()


def test_a_county_item_takes_the_level_and_division_of_its_window(world, county_item):
    assert (county_item.level, county_item.division) == ("county", world.divisions["兰山区"])
    assert county_item.window == world.windows["兰山区"]
