"""A window objects to its published yearly result; the city answers (W17–W20)."""

import datetime
from decimal import Decimal

import pytest

from huicai.core.transitions import NotAllowed
from huicai.grading import actions
from huicai.grading.choices import Grade, ObjectionStatus
from huicai.grading.models import Interview, Objection
from huicai.grading.tests.conftest import result_of


def test_the_manager_objects_and_the_city_is_told(g, published):
    result = result_of(published, g.luozhuang)

    objection = actions.file_objection(
        result, reason="二季度起已整改，超期系系统切换所致。", by=g.gao_feng, at=g.at
    )

    assert objection.status == ObjectionStatus.FILED
    assert g.world.zhou_min.notifications.filter(kind="grading_objection_filed").exists()


def test_a_commissioner_who_is_not_the_manager_may_not_object(g, published):
    with pytest.raises(NotAllowed):
        actions.file_objection(result_of(published, g.luozhuang), reason="不服", by=g.world.sun_lei, at=g.at)

    assert not Objection.objects.exists()


def test_another_windows_manager_may_not_object(g, published):
    with pytest.raises(NotAllowed):
        actions.file_objection(result_of(published, g.luozhuang), reason="不服", by=g.ma_li, at=g.at)


def test_one_objection_waits_at_a_time(g, published):
    result = result_of(published, g.luozhuang)
    actions.file_objection(result, reason="第一次", by=g.gao_feng, at=g.at)

    with pytest.raises(actions.InvalidTransition) as error:
        actions.file_objection(result, reason="第二次", by=g.gao_feng, at=g.at)

    assert error.value.messages == ["该评估结果已有待答复的异议，请等待市级答复。"]


def test_an_objection_after_the_period_is_refused(g, published):
    late = g.at + datetime.timedelta(days=40)

    with pytest.raises(actions.GradingError) as error:
        actions.file_objection(result_of(published, g.luozhuang), reason="迟到", by=g.gao_feng, at=late)

    assert error.value.messages == [
        f"异议期已于 {published.objection_due_date.isoformat()} 截止，不能再提出异议。"
    ]


def test_an_upheld_objection_changes_the_score_and_the_grade(g, published):
    objection = actions.file_objection(
        result_of(published, g.luozhuang), reason="系统切换", by=g.gao_feng, at=g.at
    )

    objection = actions.answer_objection(
        objection,
        upheld=True,
        answer="经核实，超期系系统切换所致，调整为 82 分。",
        score="82",
        by=g.world.zhou_min,
        at=g.at,
    )

    assert objection.status == ObjectionStatus.UPHELD
    result = result_of(published, g.luozhuang)
    assert (result.score, result.grade, result.adjustment_reason) == (
        Decimal("82.00"),
        Grade.GOOD,
        "经核实，超期系系统切换所致，调整为 82 分。",
    )
    assert g.gao_feng.notifications.filter(kind="grading_objection_answered").exists()


def test_a_rejected_objection_keeps_the_result(g, published):
    objection = actions.file_objection(
        result_of(published, g.luozhuang), reason="不服", by=g.gao_feng, at=g.at
    )

    actions.answer_objection(
        objection, upheld=False, answer="超期属实，维持原结果。", by=g.world.zhou_min, at=g.at
    )

    assert result_of(published, g.luozhuang).grade == Grade.FAIL
    assert Interview.objects.filter(window=g.luozhuang).exists()


def test_answering_twice_is_refused(g, published):
    objection = actions.file_objection(
        result_of(published, g.luozhuang), reason="不服", by=g.gao_feng, at=g.at
    )
    actions.answer_objection(objection, upheld=False, answer="维持。", by=g.world.zhou_min, at=g.at)

    with pytest.raises(actions.InvalidTransition) as error:
        actions.answer_objection(objection, upheld=True, answer="改判", by=g.world.zhou_min, at=g.at)

    assert error.value.messages == ["该异议已答复（异议不成立），不能重复答复。"]


def test_the_window_may_not_answer_its_own_objection(g, published):
    objection = actions.file_objection(
        result_of(published, g.luozhuang), reason="不服", by=g.gao_feng, at=g.at
    )

    with pytest.raises(NotAllowed):
        actions.answer_objection(objection, upheld=True, answer="成立", by=g.gao_feng, at=g.at)
