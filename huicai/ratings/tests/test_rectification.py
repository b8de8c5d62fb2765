"""W10: a bad rating opens a rectification for the rated department; the department answers or appeals,
the talent's home window calls back or rules. W9: the same problem again within months is flagged."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from huicai.notifications.models import Notification
from huicai.ratings import actions
from huicai.ratings.choices import CallbackResult, RectificationAction, RectificationStatus, ResponseKind
from huicai.ratings.models import Rating, Rectification
from huicai.ratings.tests.conftest import completed_task, later, rate, rate_badly, serve


def kinds_for(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


@pytest.fixture
def opened(case, task):
    """li_ming rates the hukou task 不满意 the day after; the rectification is open for 市公安局."""
    world = case.world
    rating = rate_badly(task, by=world.li_ming_user, at=later(world, days=1))
    return rating.rectification


def test_a_bad_rating_opens_a_rectification_for_the_department_and_tells_it(case, task):
    world = case.world

    rating = rate_badly(task, by=world.li_ming_user, at=later(world, days=1))

    rectification = rating.rectification
    assert rectification.status == RectificationStatus.OPEN
    assert rectification.department == world.departments["市公安局"]
    assert rectification.window == world.windows["兰山区"]
    assert rectification.rating == rating
    # Opened on Tuesday 3 March: 5 working days to answer, to Tuesday 10 March.
    assert rectification.due_date == datetime.date(2026, 3, 10)
    assert list(rectification.events.values_list("action", flat=True)) == [RectificationAction.OPEN]
    assert "rectification_opened" in kinds_for(world.zhao_qiang)


def test_a_good_rating_opens_nothing(case, task):
    world = case.world

    rate(task, by=world.li_ming_user, at=later(world, days=1), scores={**_basic(), "overall": 3})

    assert not Rectification.objects.exists()


def _basic():
    return {"overall": 3, "efficiency": 3, "service_level": 3, "attitude": 3}


@override_settings(HUICAI_RECTIFICATION_DAYS=2)
def test_the_answer_period_is_configurable(case, task):
    world = case.world

    rating = rate_badly(task, by=world.li_ming_user, at=later(world, days=1))

    assert rating.rectification.due_date == datetime.date(2026, 3, 5)


def test_a_second_bad_rating_of_the_same_service_joins_the_open_rectification(case, opened):
    world = case.world

    rating = rate_badly(
        opened.task, by=world.wang_fang, at=later(world, days=2), comment="人才电话反映不满意。"
    )

    assert rating.rectification == opened
    assert Rectification.objects.count() == 1
    assert opened.events.last().action == RectificationAction.ANOTHER_BAD_RATING


def test_the_loop_end_to_end_answer_then_call_back_satisfied(case, opened):
    world = case.world

    actions.respond_rectification(
        opened,
        kind=ResponseKind.IMMEDIATE,
        note="已核实：窗口人员未一次性告知，已当面致歉并完成培训。",
        by=world.zhao_qiang,
        at=later(world, days=2),
    )
    assert "rectification_responded" in kinds_for(world.chen_jing)
    closed = actions.record_callback(
        opened, satisfied=True, note="人才表示满意。", by=world.chen_jing, at=later(world, days=3)
    )

    assert closed.status == RectificationStatus.CLOSED
    assert closed.callback_result == CallbackResult.SATISFIED
    assert closed.closed_at == later(world, days=3)
    assert list(closed.events.values_list("action", "from_status", "to_status")) == [
        (RectificationAction.OPEN, "", "open"),
        (RectificationAction.RESPOND, "open", "responded"),
        (RectificationAction.CALLBACK, "responded", "closed"),
    ]
    assert "rectification_callback" in kinds_for(world.zhao_qiang)


def test_a_talent_still_not_satisfied_sends_it_back_for_another_round(case, opened):
    world = case.world
    actions.respond_rectification(
        opened, kind=ResponseKind.EXPLAIN, note="系统故障所致。", by=world.zhao_qiang, at=later(world, days=2)
    )

    again = actions.record_callback(
        opened, satisfied=False, note="仍未解决户口页打印问题。", by=world.chen_jing, at=later(world, days=3)
    )

    assert again.status == RectificationStatus.OPEN
    assert again.round == 2
    assert again.response_kind == ""
    assert again.due_date == datetime.date(2026, 3, 12)  # 5 working days after Thursday 5 March
    assert again.events.last().data["previous_answer"]["note"] == "系统故障所致。"


def test_fix_by_a_date_needs_a_date_not_in_the_past(case, opened):
    world = case.world

    with pytest.raises(actions.RatingError) as missing:
        actions.respond_rectification(
            opened,
            kind=ResponseKind.BY_DATE,
            note="将优化流程。",
            by=world.zhao_qiang,
            at=later(world, days=2),
        )
    with pytest.raises(actions.RatingError) as past:
        actions.respond_rectification(
            opened,
            kind=ResponseKind.BY_DATE,
            note="将优化流程。",
            promised_date=datetime.date(2026, 3, 1),
            by=world.zhao_qiang,
            at=later(world, days=2),
        )
    answered = actions.respond_rectification(
        opened,
        kind=ResponseKind.BY_DATE,
        note="将优化流程。",
        promised_date=datetime.date(2026, 3, 31),
        by=world.zhao_qiang,
        at=later(world, days=2),
    )

    assert missing.value.messages == ["限期整改须填写承诺完成日期。"]
    assert past.value.messages == ["承诺完成日期不能早于今天。"]
    assert answered.promised_date == datetime.date(2026, 3, 31)


def test_only_the_rated_department_answers_and_only_the_window_calls_back(case, opened):
    world = case.world

    with pytest.raises(PermissionDenied):
        actions.respond_rectification(
            opened, kind=ResponseKind.IMMEDIATE, note="x", by=world.chen_jing, at=later(world, days=2)
        )
    with pytest.raises(PermissionDenied):
        actions.respond_rectification(
            opened,
            kind=ResponseKind.IMMEDIATE,
            note="x",
            by=case.housing_commissioner,
            at=later(world, days=2),
        )
    actions.respond_rectification(
        opened, kind=ResponseKind.IMMEDIATE, note="已整改。", by=world.zhao_qiang, at=later(world, days=2)
    )
    with pytest.raises(PermissionDenied):
        actions.record_callback(opened, satisfied=True, by=world.zhao_qiang, at=later(world, days=3))
    with pytest.raises(PermissionDenied):
        actions.record_callback(opened, satisfied=True, by=world.sun_lei, at=later(world, days=3))

    # The city window is above 兰山区 and may call back too.
    actions.record_callback(opened, satisfied=True, by=world.zhou_min, at=later(world, days=3))


def test_the_system_administrator_neither_answers_for_the_department_nor_calls_back_for_the_window(
    case, opened
):
    world = case.world

    with pytest.raises(PermissionDenied):
        actions.respond_rectification(
            opened, kind=ResponseKind.IMMEDIATE, note="代答", by=world.admin, at=later(world, days=2)
        )
    actions.respond_rectification(
        opened, kind=ResponseKind.IMMEDIATE, note="已整改。", by=world.zhao_qiang, at=later(world, days=2)
    )
    with pytest.raises(PermissionDenied):
        actions.record_callback(opened, satisfied=True, by=world.admin, at=later(world, days=3))

    opened.refresh_from_db()
    assert opened.responded_by == world.zhao_qiang
    assert not opened.events.filter(by=world.admin).exists()


def test_a_step_the_state_no_longer_allows_is_refused(case, opened):
    world = case.world

    with pytest.raises(actions.InvalidTransition) as refused:
        actions.record_callback(opened, satisfied=True, by=world.chen_jing, at=later(world, days=2))

    assert refused.value.messages == [
        "整改当前状态为“待部门核实整改”，不能执行此操作（可能已被他人处理，请刷新）。"
    ]


def test_a_stale_copy_is_refused(case, opened):
    world = case.world

    with pytest.raises(actions.StaleVersion):
        actions.respond_rectification(
            opened,
            kind=ResponseKind.IMMEDIATE,
            note="已整改。",
            by=world.zhao_qiang,
            at=later(world, days=2),
            expected_version=opened.version + 1,
        )


# --- appeals ---------------------------------------------------------------------------------------


def appeal(rectification, world):
    return actions.appeal_rectification(
        rectification,
        reason="该人才当日未到现场，评价与事实不符。",
        evidence="窗口叫号记录及监控录像：3月2日无该人才取号。",
        by=world.zhao_qiang,
        at=later(world, days=2),
    )


def test_an_upheld_appeal_voids_the_rectification_and_drops_the_rating_from_statistics(case, opened):
    world = case.world
    appeal(opened, world)
    assert "rectification_appealed" in kinds_for(world.chen_jing)

    ruled = actions.rule_on_appeal(
        opened, upheld=True, note="经核实，评价与事实不符。", by=world.chen_jing, at=later(world, days=3)
    )

    assert ruled.status == RectificationStatus.VOIDED
    assert ruled.ruling == "upheld"
    assert ruled.ruling_note == "经核实，评价与事实不符。"
    rating = Rating.objects.get()
    assert rating.excluded_at == later(world, days=3)
    assert rating.excluded_reason == "申诉成立：经核实，评价与事实不符。"
    assert not Rating.objects.counted().exists()
    assert "rectification_ruled" in kinds_for(world.zhao_qiang)


def test_a_rejected_appeal_lets_the_rectification_continue_with_a_new_period(case, opened):
    world = case.world
    appeal(opened, world)

    ruled = actions.rule_on_appeal(
        opened, upheld=False, note="叫号记录显示人才确已到场。", by=world.chen_jing, at=later(world, days=3)
    )

    assert ruled.status == RectificationStatus.OPEN
    assert ruled.ruling == "rejected"
    assert ruled.due_date == datetime.date(2026, 3, 12)
    assert Rating.objects.counted().count() == 1
    with pytest.raises(actions.InvalidTransition) as again:
        appeal(ruled, world)
    assert again.value.messages == ["申诉已被驳回，不能再次申诉；请按要求整改。"]
    answered = actions.respond_rectification(
        ruled, kind=ResponseKind.IMMEDIATE, note="已整改。", by=world.zhao_qiang, at=later(world, days=4)
    )
    assert answered.status == RectificationStatus.RESPONDED


def test_an_appeal_needs_reasons_and_evidence_and_a_ruling_needs_reasons(case, opened):
    world = case.world

    with pytest.raises(actions.RatingError) as no_evidence:
        actions.appeal_rectification(
            opened, reason="恶意评价。", evidence=" ", by=world.zhao_qiang, at=later(world, days=2)
        )
    appeal(opened, world)
    with pytest.raises(actions.RatingError) as no_note:
        actions.rule_on_appeal(opened, upheld=True, note="", by=world.chen_jing, at=later(world, days=3))

    assert no_evidence.value.messages == ["请填写申诉证据（如办理记录、录音录像说明等）。"]
    assert no_note.value.messages == ["请填写裁定意见。"]
    assert Rectification.objects.get().status == RectificationStatus.APPEALED


def test_the_window_commissioner_who_served_cannot_rule_on_an_appeal_about_their_own_service(direct):
    world = direct.world
    window_item = direct.police
    service = serve(direct, by=world.chen_jing, item=window_item, place="兰山区人才服务窗口")
    rating = rate_badly(direct_service=service, by=world.li_ming_user, at=later(world, hours=1))
    rectification = rating.rectification
    appeal(rectification, world)

    with pytest.raises(actions.OwnWork) as refused:
        actions.rule_on_appeal(
            rectification, upheld=True, note="不成立。", by=world.chen_jing, at=later(world, days=3)
        )

    assert refused.value.messages == ["不能裁定针对本人工作的申诉。"]


# --- recurrence (W9 杜绝同样问题) -----------------------------------------------------------------------


def test_a_second_bad_rating_of_the_same_item_and_department_within_months_is_a_recurrence(case, opened):
    world = case.world
    liu_yang_task = completed_task(case, talent=world.liu_yang, unit=world.qian_hui)

    rating = rate_badly(liu_yang_task, by=world.qian_hui, at=later(world, days=2))

    second = rating.rectification
    assert second.is_recurrence
    assert second.recurrence_of == opened
    assert second.events.last().action == RectificationAction.RECURRENCE
    # Told to the window of the talent concerned (罗庄区) and the department.
    assert "rectification_recurrence" in kinds_for(world.sun_lei)
    assert "rectification_recurrence" in kinds_for(world.zhao_qiang)
    assert not Rectification.objects.get(pk=opened.pk).is_recurrence


def test_a_bad_rating_of_another_item_is_no_recurrence(case, opened):
    world = case.world
    housing_task = completed_task(case, item=case.housing)

    rating = rate_badly(housing_task, by=world.li_ming_user, at=later(world, days=2))

    assert not rating.rectification.is_recurrence


@override_settings(HUICAI_RECURRENCE_MONTHS=1)
def test_an_earlier_rectification_outside_the_configured_months_is_no_recurrence(case, opened):
    world = case.world
    Rectification.objects.filter(pk=opened.pk).update(opened_at=later(world, days=-40))
    liu_yang_task = completed_task(case, talent=world.liu_yang, unit=world.qian_hui)

    rating = rate_badly(liu_yang_task, by=world.qian_hui, at=later(world, days=2))

    assert not rating.rectification.is_recurrence


def test_a_voided_rectification_does_not_make_a_recurrence(case, opened):
    world = case.world
    appeal(opened, world)
    actions.rule_on_appeal(
        opened, upheld=True, note="不实评价。", by=world.chen_jing, at=later(world, days=3)
    )
    liu_yang_task = completed_task(case, talent=world.liu_yang, unit=world.qian_hui)

    rating = rate_badly(liu_yang_task, by=world.qian_hui, at=later(world, days=4))

    assert not rating.rectification.is_recurrence


def test_months_before_keeps_the_day_or_takes_the_last_day_of_a_shorter_month():
    aware = datetime.datetime(2026, 8, 31, 12, tzinfo=datetime.UTC)

    assert actions.months_before(aware, 6).date() == datetime.date(2026, 2, 28)
    assert actions.months_before(aware, 12).date() == datetime.date(2025, 8, 31)
