"""The yearly evaluation: figures from the records, the renormalised total, ranks, grades, adjustments and
publication (W17–W20)."""

from decimal import Decimal

import pytest

from huicai.core.models import AuditEvent
from huicai.core.transitions import NotAllowed
from huicai.grading import actions
from huicai.grading.choices import EvaluationStatus, Grade, GradingAction, InterviewStatus
from huicai.grading.models import Interview, WindowResult
from huicai.grading.tests.conftest import evaluate, later, result_of


def test_each_window_is_scored_from_its_own_records(g):
    evaluation = evaluate(g)

    lanshan = result_of(evaluation, g.lanshan)
    assert lanshan.figures["on_time"] == {
        "numerator": 1,
        "denominator": 1,
        "value": "1.0000",
        "score": "100.00",
    }
    assert lanshan.figures["satisfaction"]["numerator"] == 1
    assert lanshan.figures["rectification_rate"]["value"] is None  # no rectification: 暂无数据
    luozhuang = result_of(evaluation, g.luozhuang)
    assert (luozhuang.figures["on_time"]["numerator"], luozhuang.figures["on_time"]["denominator"]) == (0, 1)
    assert luozhuang.figures["satisfaction"]["value"] == "0.0000"
    assert luozhuang.figures["rectification_speed"]["denominator"] == 1


def test_indicators_without_data_are_left_out_and_the_weights_renormalised(g):
    evaluation = evaluate(g)

    lanshan = result_of(evaluation, g.lanshan)
    # on time (40) and satisfaction (30) at 100; the two rectification figures (暂无数据) left out: 100, not 70.
    assert lanshan.figures["rectification_speed"]["value"] is None
    assert lanshan.score == Decimal("100.00")
    assert lanshan.grade == Grade.EXCELLENT
    assert result_of(evaluation, g.luozhuang).score == Decimal("0.00")
    assert result_of(evaluation, g.luozhuang).grade == Grade.FAIL


def test_a_window_without_any_record_is_neither_scored_nor_ranked(g):
    evaluation = evaluate(g)

    quiet = result_of(evaluation, g.world.windows["河东区"])
    assert (quiet.score, quiet.rank, quiet.grade) == (None, None, "")


def test_windows_are_ranked_among_their_level_and_the_city_window_is_not_graded(g):
    evaluation = evaluate(g)

    assert (result_of(evaluation, g.lanshan).rank, result_of(evaluation, g.luozhuang).rank) == (1, 2)
    assert result_of(evaluation, g.lanshan).rank_of == 2
    assert not evaluation.results.filter(window=g.world.windows["临沂市"]).exists()
    assert evaluation.events.get().action == GradingAction.COMPUTE
    assert evaluation.compute_seconds >= 0


def test_computing_every_window_takes_a_fixed_number_of_queries(g, django_assert_max_num_queries):
    # Measured: one query per indicator for all windows together, whatever the number of records.
    with django_assert_max_num_queries(40):
        evaluate(g)


def test_only_the_city_computes(g):
    with pytest.raises(NotAllowed):
        actions.compute_evaluation(kind="year", year=2026, by=g.world.sun_lei, at=g.at)

    assert not WindowResult.objects.exists()


def test_a_period_not_yet_begun_is_refused(g):
    with pytest.raises(actions.GradingError) as error:
        actions.compute_evaluation(kind="year", year=2027, by=g.world.zhou_min, at=g.at)

    assert error.value.messages == ["评估期尚未开始，不能测算。"]


def test_a_quarterly_preview_counts_only_its_quarter(g):
    first = actions.compute_evaluation(kind="quarter", year=2026, quarter=1, by=g.world.zhou_min, at=g.at)
    second = actions.compute_evaluation(kind="quarter", year=2026, quarter=2, by=g.world.zhou_min, at=g.at)

    assert result_of(first, g.lanshan).figures["on_time"]["denominator"] == 1
    assert result_of(second, g.lanshan).figures["on_time"]["denominator"] == 0


def test_an_adjustment_needs_a_reason_and_is_audited(g):
    evaluation = evaluate(g)
    result = result_of(evaluation, g.luozhuang)

    with pytest.raises(actions.GradingError) as error:
        actions.adjust_result(result, score="65", reason="  ", by=g.world.zhou_min, at=g.at)
    assert error.value.messages == ["人工调整得分须填写理由。"]

    result = actions.adjust_result(
        result, score="65", reason="该窗口一季度承接全市招聘会，经复核加分。", by=g.world.zhou_min, at=g.at
    )

    assert (result.score, result.computed_score, result.grade) == (
        Decimal("65.00"),
        Decimal("0.00"),
        Grade.PASS,
    )
    event = result.events.get(action=GradingAction.ADJUST)
    assert event.data == {"old_score": "0.00", "new_score": "65.00"}
    assert event.note == "该窗口一季度承接全市招聘会，经复核加分。"
    audit = AuditEvent.objects.get(kind=AuditEvent.Kind.CONFIG_CHANGE, object_type="grading.windowresult")
    assert audit.actor == g.world.zhou_min


def test_a_recomputation_keeps_the_adjustment(g):
    evaluation = evaluate(g)
    actions.adjust_result(
        result_of(evaluation, g.luozhuang), score="61", reason="复核", by=g.world.zhou_min, at=g.at
    )

    evaluation = evaluate(g)

    assert result_of(evaluation, g.luozhuang).score == Decimal("61.00")


def test_an_adjustment_on_a_stale_copy_is_refused(g):
    evaluation = evaluate(g)
    result = result_of(evaluation, g.luozhuang)
    actions.adjust_result(result, score="61", reason="复核", by=g.world.zhou_min, at=g.at)

    with pytest.raises(actions.StaleVersion):
        actions.adjust_result(
            result, score="70", reason="再复核", expected_version=1, by=g.world.zhou_min, at=g.at
        )

    assert result_of(evaluation, g.luozhuang).score == Decimal("61.00")


def test_publishing_opens_a_interview_for_every_failing_window(g):
    evaluation = evaluate(g)

    evaluation = actions.publish_evaluation(evaluation, by=g.world.zhou_min, at=g.at)

    assert evaluation.status == EvaluationStatus.PUBLISHED
    assert evaluation.objection_due_date > g.at.date()
    interview = Interview.objects.get()
    assert interview.window == g.luozhuang
    assert interview.status == InterviewStatus.OPEN
    assert interview.responsible_name == "高峰"
    assert g.gao_feng.notifications.filter(kind="grading_interview_opened").exists()
    assert g.ma_li.notifications.filter(kind="grading_published").exists()


def test_a_published_evaluation_is_neither_recomputed_nor_adjusted(g, published):
    with pytest.raises(actions.InvalidTransition) as error:
        evaluate(g)
    assert error.value.messages == ["本期评估“已公布”，不能执行此操作。"]

    with pytest.raises(actions.InvalidTransition):
        actions.adjust_result(
            result_of(published, g.lanshan), score="50", reason="x", by=g.world.zhou_min, at=g.at
        )


def test_a_quarterly_preview_opens_no_interview(g):
    preview = actions.compute_evaluation(kind="quarter", year=2026, quarter=1, by=g.world.zhou_min, at=g.at)

    actions.publish_evaluation(preview, by=g.world.zhou_min, at=later(g.world, days=31))

    assert not Interview.objects.exists()
