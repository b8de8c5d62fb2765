"""W10 完善评价结果使用机制: counts per level and the satisfaction rate per department, without the
ratings an upheld appeal excluded."""

import datetime
from decimal import Decimal

from huicai.ratings import actions
from huicai.ratings.models import Rating
from huicai.ratings.stats import satisfaction_by_department
from huicai.ratings.tests.conftest import OFFLINE_GOOD, completed_task, later, rate, rate_badly


def test_counts_per_level_and_the_satisfaction_rate_per_department(case):
    world = case.world
    hukou = completed_task(case)
    housing = completed_task(case, item=case.housing)
    liu_yang_hukou = completed_task(case, talent=world.liu_yang, unit=world.qian_hui)
    rate(hukou, by=world.li_ming_user, at=later(world, days=1))
    rate(hukou, by=world.wang_fang, at=later(world, days=1), scores={**OFFLINE_GOOD, "overall": 3})
    rate_badly(liu_yang_hukou, by=world.qian_hui, at=later(world, days=1))
    rate(housing, by=world.li_ming_user, at=later(world, days=1), scores={**OFFLINE_GOOD, "overall": 4})

    rows = satisfaction_by_department(Rating.objects.all())

    police, housing_row = rows
    assert (
        police["department"] == "临沂市公安局" or police["department_id"] == world.departments["市公安局"].pk
    )
    assert police["counts"] == {5: 1, 4: 0, 3: 1, 2: 1, 1: 0}
    assert (police["total"], police["good"], police["bad"]) == (3, 2, 1)
    assert police["satisfaction_rate"] == Decimal("0.6667")
    assert housing_row["department_id"] == world.departments["市住房和城乡建设局"].pk
    assert housing_row["satisfaction_rate"] == Decimal("1.0000")


def test_ratings_excluded_by_an_upheld_appeal_do_not_count(case):
    world = case.world
    hukou = completed_task(case)
    rate(hukou, by=world.wang_fang, at=later(world, days=1))
    bad = rate_badly(hukou, by=world.li_ming_user, at=later(world, days=1))
    assert satisfaction_by_department(Rating.objects.all())[0]["satisfaction_rate"] == Decimal("0.5000")
    actions.appeal_rectification(
        bad.rectification,
        reason="恶意评价。",
        evidence="录音记录。",
        by=world.zhao_qiang,
        at=later(world, days=2),
    )

    actions.rule_on_appeal(
        bad.rectification, upheld=True, note="经核实属恶意评价。", by=world.chen_jing, at=later(world, days=3)
    )

    (police,) = satisfaction_by_department(Rating.objects.all())
    assert police["total"] == 1
    assert police["satisfaction_rate"] == Decimal("1.0000")


def test_a_window_means_the_ratings_of_talents_at_home_in_its_subtree(case):
    world = case.world
    rate(completed_task(case), by=world.li_ming_user, at=later(world, days=1))
    rate_badly(
        completed_task(case, talent=world.liu_yang, unit=world.qian_hui),
        by=world.qian_hui,
        at=later(world, days=1),
    )

    (lanshan,) = satisfaction_by_department(world.windows["兰山区"])
    (city,) = satisfaction_by_department(world.windows["临沂市"])

    assert lanshan["total"] == 1
    assert city["total"] == 2


def test_a_period_counts_the_ratings_given_in_it_the_end_excluded(case):
    world = case.world
    rate(completed_task(case), by=world.li_ming_user, at=later(world, days=1))  # 2026-03-03 local

    inside = satisfaction_by_department(
        Rating.objects.all(), (datetime.date(2026, 3, 3), datetime.date(2026, 3, 4))
    )
    before = satisfaction_by_department(
        Rating.objects.all(), (datetime.date(2026, 3, 1), datetime.date(2026, 3, 3))
    )

    assert inside[0]["total"] == 1
    assert before == []


def test_it_is_one_query(case, django_assert_num_queries):
    world = case.world
    rate(completed_task(case), by=world.li_ming_user, at=later(world, days=1))
    rate(completed_task(case, item=case.housing), by=world.li_ming_user, at=later(world, days=1))

    with django_assert_num_queries(1):
        rows = satisfaction_by_department(Rating.objects.all())

    assert len(rows) == 2
