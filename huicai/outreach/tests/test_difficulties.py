"""Difficulties and suggestions: recorded by whoever the talent told, handled by the level that holds
them, passed up unit → home window → city window with a note and a notice each time (S11-5, S12-4,
S13-3, S14-4)."""

import pytest
from django.core.exceptions import PermissionDenied

from huicai.catalogue import actions as catalogue
from huicai.notifications.models import Notification
from huicai.outreach import actions
from huicai.outreach.choices import (
    DIFFICULTY_ESCALATED,
    DIFFICULTY_RECORDED,
    DIFFICULTY_RESPONDED,
    DifficultyAction,
    DifficultyKind,
    DifficultyStatus,
    HolderLevel,
    Source,
)
from huicai.outreach.models import Difficulty, DifficultyEvent
from huicai.outreach.tests.conftest import at_city, inbox, record


def test_a_talents_own_report_goes_to_their_unit_commissioner(world):
    difficulty = record(world, by=world.li_ming_user)

    assert difficulty.source == Source.TALENT
    assert difficulty.status == DifficultyStatus.OPEN
    assert difficulty.holder_level == HolderLevel.UNIT
    assert [n.title for n in inbox(world.wang_fang, DIFFICULTY_RECORDED)] == ["新的困难问题：李明"]
    event = difficulty.events.get()
    assert (event.action, event.to_status, event.by) == (DifficultyAction.RECORD, "open", world.li_ming_user)


def test_the_escalation_chain_runs_unit_to_county_window_to_city_window_with_a_notice_at_each_level(world):
    difficulty = record(world, by=world.wang_fang)

    actions.escalate_difficulty(
        difficulty, note="单位无法解决，请窗口协调。", by=world.wang_fang, at=world.at
    )
    at_county = Difficulty.objects.get(pk=difficulty.pk)
    county_notices = inbox(world.chen_jing, DIFFICULTY_ESCALATED)
    actions.escalate_difficulty(difficulty, note="涉及市级政策，报市窗口。", by=world.chen_jing, at=world.at)
    at_the_top = Difficulty.objects.get(pk=difficulty.pk)

    assert (at_county.status, at_county.holder_window) == ("escalated", world.windows["兰山区"])
    assert [n.body for n in county_notices] == ["单位无法解决，请窗口协调。"]
    assert (at_the_top.status, at_the_top.holder_window) == ("escalated", world.windows["临沂市"])
    assert [n.body for n in inbox(world.zhou_min, DIFFICULTY_ESCALATED)] == ["涉及市级政策，报市窗口。"]
    assert inbox(world.sun_lei) == []
    steps = list(
        at_the_top.events.filter(action=DifficultyAction.ESCALATE).values_list(
            "from_holder", "to_holder", "window__name", "by__username"
        )
    )
    assert steps == [
        ("单位专员", "兰山区高层次人才服务窗口", "兰山区高层次人才服务窗口", "wang_fang"),
        ("兰山区高层次人才服务窗口", "临沂市高层次人才服务窗口", "临沂市高层次人才服务窗口", "chen_jing"),
    ]


def test_the_city_window_cannot_escalate_there_is_no_higher_level(world):
    difficulty = at_city(world)
    events_before = DifficultyEvent.objects.count()

    with pytest.raises(actions.InvalidTransition) as refused:
        actions.escalate_difficulty(difficulty, note="再上报", by=world.zhou_min, at=world.at)

    assert refused.value.messages == ["市级窗口已是最高一级，不能再上报；请直接答复。"]
    assert Difficulty.objects.get(pk=difficulty.pk).holder_window == world.windows["临沂市"]
    assert DifficultyEvent.objects.count() == events_before


def test_only_the_holder_escalates_and_a_note_is_required(world):
    difficulty = record(world)

    with pytest.raises(PermissionDenied):
        actions.escalate_difficulty(difficulty, note="越级", by=world.chen_jing, at=world.at)
    with pytest.raises(actions.OutreachError) as empty:
        actions.escalate_difficulty(difficulty, note="  ", by=world.wang_fang, at=world.at)

    assert empty.value.messages == ["请填写上报说明。"]
    assert Difficulty.objects.get(pk=difficulty.pk).holder_level == HolderLevel.UNIT


def test_the_system_administrator_holds_no_level_and_takes_no_step(world):
    difficulty = record(world)

    with pytest.raises(PermissionDenied):
        actions.escalate_difficulty(difficulty, note="越级", by=world.admin, at=world.at)
    with pytest.raises(PermissionDenied):
        actions.respond_to_difficulty(difficulty, response="代答", by=world.admin, at=world.at)

    assert Difficulty.objects.get(pk=difficulty.pk).holder_level == HolderLevel.UNIT
    assert not DifficultyEvent.objects.filter(by=world.admin).exists()


def test_the_city_window_responds_and_the_talent_the_recorder_and_the_unit_commissioner_are_told(world):
    difficulty = at_city(world, by=world.wang_fang)

    actions.start_difficulty(difficulty, by=world.zhou_min, at=world.at)
    actions.respond_to_difficulty(
        difficulty, response="已协调市教育局安排入学。", resolved=True, by=world.zhou_min, at=world.at
    )
    difficulty.refresh_from_db()

    assert (difficulty.status, difficulty.responded_by, difficulty.response) == (
        "resolved",
        world.zhou_min,
        "已协调市教育局安排入学。",
    )
    assert [n.title for n in inbox(world.li_ming_user, DIFFICULTY_RESPONDED)] == [
        "困难问题已解决：临沂市高层次人才服务窗口"
    ]
    assert (
        len(inbox(world.wang_fang, DIFFICULTY_RESPONDED)) == 1
    )  # recorder and unit commissioner: one notice
    assert list(difficulty.events.values_list("action", flat=True)) == [
        "record",
        "escalate",
        "escalate",
        "start",
        "respond",
    ]


def test_the_talent_closes_an_answered_difficulty_and_nothing_more_can_be_said(world):
    difficulty = record(world)
    actions.respond_to_difficulty(difficulty, response="单位已安排。", by=world.wang_fang, at=world.at)

    actions.close_difficulty(difficulty, by=world.li_ming_user, at=world.at)
    with pytest.raises(actions.InvalidTransition) as refused:
        actions.respond_to_difficulty(difficulty, response="补充答复", by=world.wang_fang, at=world.at)

    difficulty.refresh_from_db()
    assert (difficulty.status, difficulty.closed_by) == ("closed", world.li_ming_user)
    assert refused.value.messages == ["该事项已关闭，不能再答复。"]
    assert difficulty.response == "单位已安排。"


def test_an_unanswered_difficulty_cannot_be_closed(world):
    difficulty = record(world)

    with pytest.raises(actions.InvalidTransition) as refused:
        actions.close_difficulty(difficulty, by=world.wang_fang, at=world.at)

    assert refused.value.messages == ["尚未答复的事项不能关闭，请先答复。"]


def test_an_escalated_difficulty_is_no_longer_the_unit_commissioners_to_answer(world):
    difficulty = record(world)
    actions.escalate_difficulty(difficulty, note="请窗口协调。", by=world.wang_fang, at=world.at)

    with pytest.raises(PermissionDenied):
        actions.respond_to_difficulty(difficulty, response="单位答复", by=world.wang_fang, at=world.at)

    assert Difficulty.objects.get(pk=difficulty.pk).response == ""


@pytest.mark.parametrize("content", ["", "   "])
def test_empty_content_is_refused_and_nothing_is_recorded(world, content):
    with pytest.raises(actions.OutreachError) as refused:
        record(world, content=content)

    assert refused.value.messages == ["请填写困难或意见建议的内容。"]
    assert not Difficulty.objects.exists()
    assert not Notification.objects.filter(kind=DIFFICULTY_RECORDED).exists()


def test_a_status_change_is_not_recorded_by_hand(world):
    with pytest.raises(actions.OutreachError) as refused:
        record(world, kind=DifficultyKind.STATUS_CHANGE)

    assert refused.value.messages == ["请选择“困难问题”或“意见建议”。"]


def test_nobody_records_for_a_talent_they_cannot_see(world):
    with pytest.raises(PermissionDenied):
        record(world, by=world.sun_lei)
    with pytest.raises(PermissionDenied):
        record(world, by=world.qian_hui)

    assert not Difficulty.objects.exists()


def test_a_window_commissioner_records_for_their_window(world):
    difficulty = record(world, by=world.chen_jing, kind=DifficultyKind.SUGGESTION)

    assert (difficulty.source, difficulty.holder_window) == (Source.WINDOW, world.windows["兰山区"])
    assert inbox(world.chen_jing) == []  # nobody else at 兰山区 to tell; never oneself


def test_a_department_records_a_difficulty_and_sends_it_to_the_talents_window(reach):
    world = reach.world

    difficulty = record(world, by=world.zhao_qiang, content="办理落户时发现配偶户口迁入材料难以取得。")
    held = (difficulty.source, difficulty.holder_level, difficulty.holder_department)
    actions.escalate_difficulty(difficulty, note="请窗口协调配偶随迁。", by=world.zhao_qiang, at=world.at)
    difficulty.refresh_from_db()

    assert held == (Source.DEPARTMENT, HolderLevel.DEPARTMENT, world.departments["市公安局"])
    assert (difficulty.status, difficulty.holder_window) == ("escalated", world.windows["兰山区"])
    assert difficulty.source_department == world.departments["市公安局"]
    assert [n.body for n in inbox(world.chen_jing, DIFFICULTY_ESCALATED)] == ["请窗口协调配偶随迁。"]
    # The department keeps sight of what it sent.
    assert Difficulty.objects.visible_to(world.zhao_qiang).filter(pk=difficulty.pk).exists()


def test_an_undertaking_commissioner_reports_to_the_department_over_their_institution(reach):
    world = reach.world

    difficulty = record(world, by=world.he_ping, content="体检预约系统不识别沂蒙惠才卡。")

    assert (difficulty.source, difficulty.holder_department) == (
        Source.UNDERTAKING,
        world.departments["市卫生健康委"],
    )
    assert difficulty.source_undertaking_org == world.people_hospital
    assert [n.body for n in inbox(reach.qin_wei, DIFFICULTY_RECORDED)] == ["体检预约系统不识别沂蒙惠才卡。"]
    with pytest.raises(PermissionDenied):  # the department handles it, not the hospital
        actions.escalate_difficulty(difficulty, note="报窗口", by=world.he_ping, at=world.at)
    actions.escalate_difficulty(difficulty, note="报窗口", by=reach.qin_wei, at=world.at)
    assert Difficulty.objects.get(pk=difficulty.pk).holder_window == world.windows["兰山区"]


def test_the_window_links_the_catalogue_change_that_followed(reach):
    world = reach.world
    difficulty = at_city(world)
    actions.respond_to_difficulty(difficulty, response="将优化医疗保健事项。", by=world.zhou_min, at=world.at)
    item = catalogue.revise_item(
        reach.health_item,
        by=world.zhou_min,
        at=world.at,
        reason="按人才反映增加上门服务",
        undertaking_orgs=[],
        talent_categories=[],
        content="可预约上门服务。",
    )
    item = catalogue.publish_item(item, by=world.zhou_min, at=world.at)
    version = item.published_version

    actions.link_catalogue_change(
        difficulty, item=item, version=version, note="新增上门服务", by=world.zhou_min, at=world.at
    )

    difficulty.refresh_from_db()
    assert version.number == 2
    assert (difficulty.catalogue_item, difficulty.catalogue_version) == (item, version)
    assert difficulty.catalogue_linked_by == world.zhou_min
    assert list(item.difficulties.all()) == [difficulty]
    assert difficulty.events.last().action == DifficultyAction.LINK_CATALOGUE


def test_only_a_window_links_a_catalogue_change_and_only_a_version_of_that_item(reach):
    world = reach.world
    difficulty = at_city(world)
    other_version = reach.case.hukou.versions.first()

    with pytest.raises(PermissionDenied):
        actions.link_catalogue_change(difficulty, item=reach.health_item, by=world.wang_fang, at=world.at)
    with pytest.raises(actions.OutreachError) as wrong_version:
        actions.link_catalogue_change(
            difficulty, item=reach.health_item, version=other_version, by=world.zhou_min, at=world.at
        )

    assert wrong_version.value.messages == ["所选版本不属于该服务事项。"]
    assert Difficulty.objects.get(pk=difficulty.pk).catalogue_item is None
