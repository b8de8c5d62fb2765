"""Status check-ins (S14-4): a window asks about every talent of its jurisdiction; unit commissioners or
the talents answer; answers update the talent with history; a departure opens a case for the window;
closing marks the silent ones 未答复."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from huicai.core.identifiers import make_mobile, make_resident_id
from huicai.outreach import actions
from huicai.outreach.choices import (
    CHECKIN_OPENED,
    DEPARTURE_CASE,
    Category,
    DifficultyKind,
    EntryStatus,
    HolderLevel,
    RoundStatus,
)
from huicai.outreach.models import CheckinEntry, CheckinRound, Difficulty, TalentStatusChange
from huicai.outreach.tests.conftest import inbox
from huicai.talents.actions import register_talent
from huicai.talents.models import Talent


@pytest.fixture
def lanshan(world):
    """A second 兰山区 talent, zhang_wei (no account, wang_fang is his unit commissioner), and a round
    chen_jing opened at the 兰山区 window."""
    zhang_wei = register_talent(
        by=world.chen_jing,
        at=world.at,
        unit_commissioner=world.wang_fang_post,
        name="张伟",
        id_number=make_resident_id("372822", datetime.date(1979, 3, 8), 45),
        category=world.category_c,
        employer=world.linyi_pharma,
        home_window=world.windows["兰山区"],
        mobile=make_mobile(32345678),
    )
    checkin_round = actions.open_checkin_round(
        window=world.windows["兰山区"],
        title="2026年一季度人才状态调度",
        due_date=datetime.date(2026, 3, 13),
        by=world.chen_jing,
        at=world.at,
    )
    return checkin_round, zhang_wei


def entry_of(checkin_round, talent):
    return CheckinEntry.objects.get(round=checkin_round, talent=talent)


def progress(checkin_round):
    counted = CheckinRound.objects.with_progress().get(pk=checkin_round.pk)
    return counted.answered, counted.total


def test_a_round_asks_about_every_talent_at_home_in_the_windows_jurisdiction(world, lanshan):
    checkin_round, zhang_wei = lanshan

    talents = set(checkin_round.entries.values_list("talent__name", flat=True))

    assert talents == {"李明", "张伟"}  # not 刘洋 of 罗庄区
    assert progress(checkin_round) == (0, 2)
    assert len(inbox(world.wang_fang, CHECKIN_OPENED)) == 1  # one notice for both of her talents
    assert [n.title for n in inbox(world.li_ming_user, CHECKIN_OPENED)] == [
        "兰山区高层次人才服务窗口状态调度：2026年一季度人才状态调度"
    ]
    assert inbox(world.qian_hui) == []


def test_the_city_window_asks_about_every_talent_in_the_city(world):
    checkin_round = actions.open_checkin_round(
        window=world.windows["临沂市"], title="全市人才状态调度", by=world.zhou_min, at=world.at
    )

    assert set(checkin_round.entries.values_list("talent__name", flat=True)) == {"李明", "刘洋"}


def test_the_unit_commissioner_answers_and_the_talent_is_updated_with_history(world, lanshan):
    checkin_round, zhang_wei = lanshan
    answered_at = world.at + datetime.timedelta(days=1)

    actions.answer_checkin(
        entry_of(checkin_round, zhang_wei),
        employment_status="employed",
        lives_in_linyi=True,
        note="电话确认",
        by=world.wang_fang,
        at=answered_at,
    )

    zhang_wei.refresh_from_db()
    assert (zhang_wei.employment_status, zhang_wei.lives_in_linyi) == ("employed", True)
    assert zhang_wei.employment_confirmed_date == datetime.date(2026, 3, 3)
    assert zhang_wei.residence_confirmed_date == datetime.date(2026, 3, 3)
    change = TalentStatusChange.objects.get(talent=zhang_wei)
    assert (change.old_employment_status, change.new_employment_status) == ("employed", "employed")
    assert (change.old_lives_in_linyi, change.new_lives_in_linyi) == (None, True)
    assert (change.by, change.round, change.at, change.note) == (
        world.wang_fang,
        checkin_round,
        answered_at,
        "电话确认",
    )
    assert entry_of(checkin_round, zhang_wei).status == EntryStatus.ANSWERED
    assert progress(checkin_round) == (1, 2)
    assert not Difficulty.objects.exists()


def test_the_talent_answers_their_own_entry(world, lanshan):
    checkin_round, _ = lanshan

    actions.answer_checkin(
        entry_of(checkin_round, world.li_ming),
        employment_status="retired",
        lives_in_linyi=True,
        by=world.li_ming_user,
        at=world.at,
    )

    talent = Talent.objects.get(pk=world.li_ming.pk)
    assert talent.employment_status == "retired"
    assert TalentStatusChange.objects.get(talent=talent).by == world.li_ming_user
    assert entry_of(checkin_round, talent).answered_by == world.li_ming_user


def test_a_talent_who_left_opens_a_case_for_the_window_once(world, lanshan):
    checkin_round, _ = lanshan
    entry = entry_of(checkin_round, world.li_ming)

    actions.answer_checkin(
        entry,
        employment_status="left",
        lives_in_linyi=True,
        note="已调往济南工作",
        by=world.wang_fang,
        at=world.at,
    )
    actions.answer_checkin(  # a correction while the case is open opens no second one
        entry, employment_status="left", lives_in_linyi=False, by=world.wang_fang, at=world.at
    )

    case = Difficulty.objects.get(talent=world.li_ming)
    assert (case.kind, case.category, case.holder_level, case.holder_window) == (
        DifficultyKind.STATUS_CHANGE,
        Category.WORK,
        HolderLevel.WINDOW,
        world.windows["兰山区"],
    )
    assert case.checkin_entry == entry
    assert case.content == "状态调度“2026年一季度人才状态调度”答复：李明已离职。备注：已调往济南工作"
    assert [n.title for n in inbox(world.chen_jing, DEPARTURE_CASE)] == ["人才状态变化待处理：李明"]
    assert TalentStatusChange.objects.filter(talent=world.li_ming).count() == 2
    assert Talent.objects.get(pk=world.li_ming.pk).lives_in_linyi is False


def test_a_talent_no_longer_living_in_linyi_opens_a_case_about_life(world, lanshan):
    checkin_round, zhang_wei = lanshan

    actions.answer_checkin(
        entry_of(checkin_round, zhang_wei),
        employment_status="employed",
        lives_in_linyi=False,
        by=world.wang_fang,
        at=world.at,
    )

    case = Difficulty.objects.get(talent=zhang_wei)
    assert (case.category, case.content) == (
        Category.LIFE,
        "状态调度“2026年一季度人才状态调度”答复：张伟不在临沂居住。",
    )


def test_the_window_handles_the_case_like_any_other(world, lanshan):
    checkin_round, zhang_wei = lanshan
    actions.answer_checkin(
        entry_of(checkin_round, zhang_wei),
        employment_status="left",
        lives_in_linyi=False,
        by=world.wang_fang,
        at=world.at,
    )
    case = Difficulty.objects.get(talent=zhang_wei)

    actions.respond_to_difficulty(
        case, response="已更新人才库并联系原单位。", by=world.chen_jing, at=world.at
    )
    actions.close_difficulty(case, by=world.chen_jing, at=world.at)

    assert Difficulty.objects.get(pk=case.pk).status == "closed"


def test_the_system_administrator_neither_answers_for_a_talent_nor_runs_a_windows_round(world, lanshan):
    checkin_round, zhang_wei = lanshan

    with pytest.raises(PermissionDenied):
        actions.answer_checkin(
            entry_of(checkin_round, zhang_wei),
            employment_status="left",
            lives_in_linyi=False,
            by=world.admin,
            at=world.at,
        )
    with pytest.raises(PermissionDenied):
        actions.close_checkin_round(checkin_round, by=world.admin, at=world.at)

    assert entry_of(checkin_round, zhang_wei).answered_at is None


def test_window_staff_see_entries_but_do_not_answer_them(world, lanshan):
    checkin_round, zhang_wei = lanshan

    with pytest.raises(PermissionDenied):
        actions.answer_checkin(
            entry_of(checkin_round, zhang_wei),
            employment_status="employed",
            lives_in_linyi=True,
            by=world.chen_jing,
            at=world.at,
        )
    with pytest.raises(PermissionDenied):
        actions.answer_checkin(
            entry_of(checkin_round, zhang_wei),
            employment_status="employed",
            lives_in_linyi=True,
            by=world.li_ming_user,
            at=world.at,
        )

    assert not TalentStatusChange.objects.exists()


@pytest.mark.parametrize(
    "answer, message",
    [
        ({"employment_status": "unknown", "lives_in_linyi": True}, "请选择在职状态。"),
        ({"employment_status": "employed", "lives_in_linyi": None}, "请选择是否在临沂居住。"),
    ],
)
def test_an_incomplete_answer_is_refused(world, lanshan, answer, message):
    checkin_round, zhang_wei = lanshan

    with pytest.raises(actions.OutreachError) as refused:
        actions.answer_checkin(entry_of(checkin_round, zhang_wei), **answer, by=world.wang_fang, at=world.at)

    assert refused.value.messages == [message]
    assert entry_of(checkin_round, zhang_wei).status == EntryStatus.PENDING


def test_closing_marks_the_unanswered_and_a_closed_round_takes_no_answer(world, lanshan):
    checkin_round, zhang_wei = lanshan
    actions.answer_checkin(
        entry_of(checkin_round, zhang_wei),
        employment_status="employed",
        lives_in_linyi=True,
        by=world.wang_fang,
        at=world.at,
    )

    unanswered = actions.close_checkin_round(checkin_round, by=world.chen_jing, at=world.at)
    with pytest.raises(actions.InvalidTransition) as refused:
        actions.answer_checkin(
            entry_of(checkin_round, world.li_ming),
            employment_status="left",
            lives_in_linyi=False,
            by=world.wang_fang,
            at=world.at,
        )

    assert unanswered == 1
    assert entry_of(checkin_round, world.li_ming).status == EntryStatus.NO_ANSWER
    assert entry_of(checkin_round, zhang_wei).status == EntryStatus.ANSWERED
    assert refused.value.messages == ["本轮调度已结束，不能再答复。"]
    assert Talent.objects.get(pk=world.li_ming.pk).employment_status == "employed"
    assert not Difficulty.objects.exists()
    checkin_round.refresh_from_db()
    assert (checkin_round.status, checkin_round.closed_by) == (RoundStatus.CLOSED, world.chen_jing)


def test_a_round_closes_once(world, lanshan):
    checkin_round, _ = lanshan
    actions.close_checkin_round(checkin_round, by=world.chen_jing, at=world.at)

    with pytest.raises(actions.InvalidTransition) as refused:
        actions.close_checkin_round(checkin_round, by=world.chen_jing, at=world.at)

    assert refused.value.messages == ["本轮调度已结束。"]


def test_one_open_round_per_window(world, lanshan):
    with pytest.raises(actions.InvalidTransition) as refused:
        actions.open_checkin_round(
            window=world.windows["兰山区"], title="重复", by=world.chen_jing, at=world.at
        )

    assert refused.value.messages == ["该窗口已有进行中的状态调度，请先结束后再发起新一轮。"]
    assert CheckinRound.objects.count() == 1


def test_only_the_windows_own_staff_open_or_close_its_rounds(world, lanshan):
    checkin_round, _ = lanshan

    with pytest.raises(PermissionDenied):
        actions.open_checkin_round(
            window=world.windows["罗庄区"], title="越权", by=world.chen_jing, at=world.at
        )
    with pytest.raises(PermissionDenied):
        actions.close_checkin_round(checkin_round, by=world.sun_lei, at=world.at)
    with pytest.raises(PermissionDenied):
        actions.open_checkin_round(
            window=world.windows["兰山区"], title="越权", by=world.wang_fang, at=world.at
        )

    assert CheckinRound.objects.get().status == RoundStatus.OPEN


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"title": "  "}, "请填写调度名称。"),
        ({"title": "调度", "due_date": datetime.date(2026, 3, 1)}, "答复截止日期不能早于今天。"),
    ],
)
def test_a_round_needs_a_title_and_a_due_date_not_in_the_past(world, fields, message):
    with pytest.raises(actions.OutreachError) as refused:
        actions.open_checkin_round(window=world.windows["兰山区"], by=world.chen_jing, at=world.at, **fields)

    assert refused.value.messages == [message]
    assert not CheckinRound.objects.exists()
