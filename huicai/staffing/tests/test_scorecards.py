"""S21: a commissioner's monthly and yearly scorecard, computed from the records, with versioned weights."""

import datetime
from decimal import Decimal

import pytest

from huicai.casework import actions as casework
from huicai.core.transitions import NotAllowed
from huicai.ratings.tests.conftest import completed_task, rate_badly
from huicai.schedule import get_job
from huicai.staffing import actions, scoring
from huicai.staffing.choices import Component, Period
from huicai.staffing.models import Scorecard

MARCH = datetime.date(2026, 3, 1)
APRIL_FIRST = datetime.datetime(2026, 4, 1, 2, 0, tzinfo=datetime.UTC)
WEIGHTS = {"steps": 30, "supplements": 20, "ratings": 20, "filings": 10, "training": 10, "rectifications": 10}


@pytest.fixture
def weights(world):
    return actions.create_weights_version(weights=WEIGHTS, note="首版", by=world.zhou_min, at=world.at)


@pytest.fixture
def badly_rated_task(case):
    """li_ming's hukou task, accepted and completed on time by zhao_qiang on 2 March, rated 不满意 on
    3 March (a rectification for 市公安局), and not yet told to li_ming by wang_fang."""
    task = completed_task(case)
    rate_badly(task, by=case.world.li_ming_user, at=case.world.at + datetime.timedelta(days=1))
    return task


def police_post(world):
    return world.zhao_qiang.posts.get()


def test_a_department_commissioners_month_is_computed_from_their_steps_ratings_and_training(
    case, weights, badly_rated_task
):
    world = case.world

    card = actions.compute_scorecard(
        police_post(world), period=Period.MONTH, period_start=MARCH, at=APRIL_FIRST
    )

    figures = card.figures
    # The acceptance step and the task itself, both done on 2 March, well within their limits.
    assert (figures["steps"]["done"], figures["steps"]["of"], figures["steps"]["score"]) == (2, 2, 100.0)
    # A department commissioner holds no supplement or informing steps: no data.
    assert figures["supplements"]["score"] is None
    # One rating, 不满意, which opened a rectification.
    assert (figures["ratings"]["done"], figures["ratings"]["of"], figures["ratings"]["score"]) == (0, 1, 0.0)
    assert (figures["rectifications"]["done"], figures["rectifications"]["of"]) == (0, 1)
    # No training in March against a monthly share of the 24-hour yearly minimum.
    assert (figures["training"]["done"], figures["training"]["of"], figures["training"]["score"]) == (
        0.0,
        2.0,
        0.0,
    )
    # Filings come from the filings app, not wired yet: no data, left out of the total.
    assert figures["filings"] == {"done": None, "of": None, "score": None, "weight": 10}
    # (30×100 + 20×0 + 10×0 + 10×0) / (30 + 20 + 10 + 10)
    assert card.total == Decimal("42.9")
    assert (card.weights, card.window) == (weights, world.windows["临沂市"])


def test_the_unit_commissioner_is_late_with_informing_the_talent(case, weights, badly_rated_task):
    world = case.world

    card = actions.compute_scorecard(
        world.wang_fang_post, period=Period.MONTH, period_start=MARCH, at=APRIL_FIRST
    )

    # The informing clock opened at completion on 2 March and was still open when its limit passed.
    assert (card.figures["supplements"]["done"], card.figures["supplements"]["of"]) == (0, 1)
    assert card.figures["steps"]["score"] is None


def test_informing_in_time_counts_as_on_time(case, weights, badly_rated_task):
    world = case.world
    casework.inform_talent(
        badly_rated_task, via="phone", by=world.wang_fang, at=world.at + datetime.timedelta(hours=1)
    )

    card = actions.compute_scorecard(
        world.wang_fang_post, period=Period.MONTH, period_start=MARCH, at=APRIL_FIRST
    )

    assert (card.figures["supplements"]["done"], card.figures["supplements"]["of"]) == (1, 1)


def test_training_hours_raise_the_training_figure(case, weights, badly_rated_task):
    world = case.world
    session = actions.create_training_session(
        window=world.windows["临沂市"],
        topic="绿色通道业务培训",
        session_date=datetime.date(2026, 3, 20),
        hours=Decimal("3"),
        organiser="市人社局",
        by=world.zhou_min,
        at=world.at,
    )
    actions.record_attendance(session, posts=[police_post(world)], by=world.zhou_min, at=world.at)

    card = actions.compute_scorecard(
        police_post(world), period=Period.MONTH, period_start=MARCH, at=APRIL_FIRST
    )

    assert (card.figures["training"]["done"], card.figures["training"]["score"]) == (3.0, 100.0)


def test_every_figure_lists_the_records_behind_it(case, weights, badly_rated_task):
    world = case.world
    card = actions.compute_scorecard(
        police_post(world), period=Period.MONTH, period_start=MARCH, at=APRIL_FIRST
    )
    start, end = card.bounds

    steps = scoring.evidence(Component.STEPS, card.post, start, end, today=datetime.date(2026, 4, 1))
    ratings = scoring.evidence(
        Component.RECTIFICATIONS, card.post, start, end, today=datetime.date(2026, 4, 1)
    )

    assert [c.stage for c in steps["clocks"]] == ["acceptance"]
    assert list(steps["tasks"]) == [badly_rated_task]
    assert [r.task for r in ratings["ratings"]] == [badly_rated_task]
    assert ratings["rectifications"].count() == 1


def test_a_used_weights_version_is_immutable_and_a_new_version_serves_new_scorecards(
    case, weights, badly_rated_task
):
    world = case.world
    march = actions.compute_scorecard(
        police_post(world), period=Period.MONTH, period_start=MARCH, at=APRIL_FIRST
    )

    with pytest.raises(actions.ActionRefused) as error:
        actions.revise_weights_version(
            weights, weights={**WEIGHTS, "steps": 40, "ratings": 10}, by=world.zhou_min, at=world.at
        )
    assert error.value.messages == ["该权重版本已用于考核，不能修改；请制定新版本。"]

    second = actions.create_weights_version(
        weights={**WEIGHTS, "steps": 40, "ratings": 10}, by=world.zhou_min, at=world.at
    )
    recomputed = actions.compute_scorecard(
        police_post(world), period=Period.MONTH, period_start=MARCH, at=APRIL_FIRST
    )
    year = actions.compute_scorecard(
        police_post(world), period=Period.YEAR, period_start=datetime.date(2026, 1, 1), at=APRIL_FIRST
    )

    assert (recomputed.pk, recomputed.weights, recomputed.total) == (march.pk, weights, march.total)
    assert year.weights == second


def test_weights_must_sum_to_100_and_only_the_city_sets_them(world):
    with pytest.raises(actions.ActionRefused) as error:
        actions.create_weights_version(weights={**WEIGHTS, "steps": 31}, by=world.zhou_min, at=world.at)
    assert error.value.messages == ["各项权重之和须为 100，现为 101。"]

    with pytest.raises(NotAllowed):
        actions.create_weights_version(weights=WEIGHTS, by=world.chen_jing, at=world.at)


def test_without_weights_no_scorecard_is_made(world):
    with pytest.raises(actions.ActionRefused) as error:
        actions.compute_scorecard(
            world.wang_fang_post, period=Period.MONTH, period_start=MARCH, at=APRIL_FIRST
        )

    assert error.value.messages == ["尚未制定考核权重，请先制定第一版权重。"]


def test_the_scheduler_computes_last_months_and_last_years_scorecards_once(world, weights):
    job = get_job("staffing_compute_scorecards").resolve()

    first = job(at=APRIL_FIRST)
    second = job(at=APRIL_FIRST)

    # The world's seven posts, held in March; none held in 2025.
    assert (first, second) == ({"month": 7, "year": 0}, {"month": 0, "year": 0})
    assert Scorecard.objects.filter(period=Period.MONTH, period_start=MARCH).count() == 7


def test_the_unit_commissioners_reports_filed_on_time_count_in_their_month(world, weights):
    """S21 with W14: wang_fang's February report to the 兰山区 window falls due in March; filed by its date it
    scores 100 in March, and a month in which no report fell due has no figure (暂无数据)."""
    from huicai.filings import actions as filings
    from huicai.filings import periods
    from huicai.filings.choices import FilingKind

    february = periods.containing(periods.MONTH, datetime.date(2026, 2, 1))
    report = filings.open_filing(
        kind=FilingKind.UNIT, period=february, filer_post=world.wang_fang_post, at=world.at
    )
    assert MARCH <= report.due_date < APRIL_FIRST.date()
    filings.file_filing(report, by=world.wang_fang, at=world.at, inline=True)

    march = actions.compute_scorecard(
        world.wang_fang_post, period=Period.MONTH, period_start=MARCH, at=APRIL_FIRST
    )
    may = actions.compute_scorecard(
        world.wang_fang_post, period=Period.MONTH, period_start=datetime.date(2026, 5, 1), at=APRIL_FIRST
    )

    assert (
        march.figures["filings"]["done"],
        march.figures["filings"]["of"],
        march.figures["filings"]["score"],
    ) == (
        1,
        1,
        100.0,
    )
    assert may.figures["filings"]["score"] is None
