"""S22: from the year's scorecards the window drafts a commendation list and accountability notices; the
notice's 约谈 record, the commissioner's response and the decision, each with who and when."""

import datetime

import pytest

from huicai.core.transitions import InvalidTransition, NotAllowed
from huicai.notifications.models import Notification
from huicai.staffing import actions
from huicai.staffing.choices import NOTICE_ISSUED, ListStatus, NoticeStatus, Period

YEAR_START = datetime.date(2026, 1, 1)
LATER = datetime.datetime(2027, 1, 5, 2, 0, tzinfo=datetime.UTC)
WEIGHTS = {"steps": 30, "supplements": 20, "ratings": 20, "filings": 10, "training": 10, "rectifications": 10}


@pytest.fixture
def cards(world):
    """The 2026 yearly scorecards of the world's posts (no casework: only the training figure has data)."""
    actions.create_weights_version(weights=WEIGHTS, by=world.zhou_min, at=world.at)
    actions.compute_scorecards(period=Period.YEAR, period_start=YEAR_START, at=LATER)
    return world


def test_the_window_drafts_the_commendation_list_and_the_manager_decides_it(cards):
    world = cards
    lanshan = world.windows["兰山区"]

    commendation = actions.draft_commendation_list(
        window=lanshan, year=2026, size=5, by=world.chen_jing, at=LATER
    )
    decided = actions.decide_commendation_list(commendation, note="同意", by=world.zhou_min, at=LATER)

    # The 兰山区 registry: wang_fang and chen_jing.
    assert [e.scorecard.post.user for e in commendation.entries.order_by("rank")] == [
        world.wang_fang,
        world.chen_jing,
    ]
    assert (decided.status, decided.decided_by, decided.decided_at) == (
        ListStatus.DECIDED,
        world.zhou_min,
        LATER,
    )


def test_only_the_manager_decides_and_a_decided_list_is_not_redrafted(cards):
    world = cards
    lanshan = world.windows["兰山区"]
    commendation = actions.draft_commendation_list(
        window=lanshan, year=2026, size=5, by=world.chen_jing, at=LATER
    )

    with pytest.raises(NotAllowed):
        actions.decide_commendation_list(commendation, note="同意", by=world.chen_jing, at=LATER)
    actions.decide_commendation_list(commendation, note="同意", by=world.zhou_min, at=LATER)
    with pytest.raises(actions.ActionRefused) as error:
        actions.draft_commendation_list(window=lanshan, year=2026, size=5, by=world.chen_jing, at=LATER)

    assert error.value.messages == ["该窗口 2026 年度的表扬名单已经决定，不能重新起草。"]


@pytest.fixture
def notice(cards):
    world = cards
    card = world.wang_fang_post.scorecards.get(period=Period.YEAR)
    return actions.draft_accountability_notice(
        post=world.wang_fang_post,
        year=2026,
        scorecard=card,
        reason="培训学时为 0。",
        by=world.chen_jing,
        at=LATER,
    )


def test_a_notice_goes_from_draft_to_decision_with_who_and_when_at_each_step(cards, notice):
    world = cards
    step = datetime.timedelta(hours=1)

    notice = actions.issue_notice(notice, by=world.chen_jing, at=LATER + step)
    interview = actions.record_interview(
        notice,
        held_at=LATER + 2 * step,
        interviewers="兰山区窗口负责人",
        interviewees="王芳及临沂医药集团人力资源部负责人",
        content="指出未参加培训的问题。",
        commitment="一个月内补齐学时。",
        by=world.chen_jing,
        at=LATER + 3 * step,
    )
    notice = actions.respond_to_notice(
        notice, response="已补报培训计划。", by=world.wang_fang, at=LATER + 4 * step
    )
    notice = actions.decide_notice(
        notice, decision="责令整改，年内复查。", by=world.zhou_min, at=LATER + 5 * step
    )

    assert (interview.interviewers, interview.commitment, interview.recorded_by) == (
        "兰山区窗口负责人",
        "一个月内补齐学时。",
        world.chen_jing,
    )
    assert (notice.status, notice.responded_by, notice.decided_by, notice.decided_at) == (
        NoticeStatus.DECIDED,
        world.wang_fang,
        world.zhou_min,
        LATER + 5 * step,
    )
    assert [e.action for e in notice.events.all()] == ["draft", "issue", "interview", "respond", "decide"]
    assert Notification.objects.filter(recipient=world.wang_fang, kind=NOTICE_ISSUED).count() == 1


def test_a_draft_cannot_be_answered_and_only_the_commissioner_answers(cards, notice):
    world = cards

    with pytest.raises(NotAllowed):
        actions.respond_to_notice(notice, response="说明", by=world.qian_hui, at=LATER)
    with pytest.raises(InvalidTransition) as error:
        actions.respond_to_notice(notice, response="说明", by=world.wang_fang, at=LATER)

    assert error.value.messages == ["通报尚未发出。"]


def test_the_commissioner_sees_an_issued_notice_but_not_a_draft(cards, notice, login):
    world = cards
    client = login(world.wang_fang)

    draft = client.get(f"/staffing/notices/{notice.pk}/")
    actions.issue_notice(notice, by=world.chen_jing, at=LATER)
    issued = client.get(f"/staffing/notices/{notice.pk}/")

    assert (draft.status_code, issued.status_code) == (404, 200)
    assert "回复通报" in issued.content.decode()


def test_the_commissioner_responds_on_the_page(cards, notice, login):
    world = cards
    notice = actions.issue_notice(notice, by=world.chen_jing, at=LATER)

    response = login(world.wang_fang).post(
        f"/staffing/notices/{notice.pk}/respond/", {"text": "将按要求补齐学时。", "version": notice.version}
    )

    notice.refresh_from_db()
    assert response.status_code == 302
    assert (notice.status, notice.response) == (NoticeStatus.RESPONDED, "将按要求补齐学时。")


def test_an_empty_decision_changes_nothing(cards, notice, login):
    world = cards
    notice = actions.issue_notice(notice, by=world.chen_jing, at=LATER)

    login(world.zhou_min).post(
        f"/staffing/notices/{notice.pk}/decide/", {"text": "", "version": notice.version}
    )

    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED
