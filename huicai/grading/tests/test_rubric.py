"""The rubric: versioned, immutable once an evaluation has used it (W17)."""

import pytest

from huicai.core.transitions import NotAllowed
from huicai.grading import actions
from huicai.grading.tests.conftest import WEIGHTS, evaluate


def test_a_change_makes_a_new_version(g):
    rubric = actions.create_rubric(
        weights={**WEIGHTS, "coverage": 20},
        excellent_min=85,
        good_min=75,
        pass_min=60,
        by=g.world.zhou_min,
        at=g.at,
    )

    assert rubric.number == g.rubric.number + 1
    assert rubric.weights["coverage"] == 20
    assert evaluate(g).rubric == rubric


def test_an_unused_version_may_be_corrected(g):
    rubric = actions.update_rubric(
        g.rubric, weights=WEIGHTS, excellent_min=95, good_min=80, pass_min=60, by=g.world.zhou_min, at=g.at
    )

    assert rubric.excellent_min == 95


def test_a_used_version_is_never_rewritten(g):
    evaluate(g)

    with pytest.raises(actions.InvalidTransition) as error:
        actions.update_rubric(
            g.rubric,
            weights=WEIGHTS,
            excellent_min=95,
            good_min=80,
            pass_min=60,
            by=g.world.zhou_min,
            at=g.at,
        )

    assert error.value.messages == ["该版本已用于评估，不能修改；请另建新版本。"]
    g.rubric.refresh_from_db()
    assert g.rubric.excellent_min == 90


@pytest.mark.parametrize(
    ("weights", "thresholds", "message"),
    [
        ({"on_time": 10}, (60, 80, 90), "分数线须满足：100 ≥ 优秀 > 良好 > 达标 ≥ 0。"),
        ({"on_time": 0}, (90, 80, 60), "至少要为一项指标设置权重。"),
        ({"bonus": 10}, (90, 80, 60), "未知的评估指标：bonus。"),
        ({"on_time": 101}, (90, 80, 60), "指标权重须为 0 到 100 的整数。"),
    ],
)
def test_a_bad_rubric_is_refused_with_a_reason(g, weights, thresholds, message):
    with pytest.raises(actions.GradingError) as error:
        actions.create_rubric(
            weights=weights,
            excellent_min=thresholds[0],
            good_min=thresholds[1],
            pass_min=thresholds[2],
            by=g.world.zhou_min,
            at=g.at,
        )

    assert error.value.messages == [message]


def test_only_the_city_sets_the_rubric(g):
    with pytest.raises(NotAllowed):
        actions.create_rubric(
            weights=WEIGHTS, excellent_min=90, good_min=80, pass_min=60, by=g.ma_li, at=g.at
        )
