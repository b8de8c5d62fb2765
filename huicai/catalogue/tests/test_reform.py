"""W7 reform figures (减时限、减环节、减材料、减跑动) between two versions, computed in one function and
published with the item."""

from types import SimpleNamespace

from huicai.catalogue import actions
from huicai.catalogue.models import Reform, compute_reform
from huicai.catalogue.tests.conftest import LATER


def version(committed_days, step_count, material_count, visit_count):
    return SimpleNamespace(
        committed_days=committed_days,
        step_count=step_count,
        material_count=material_count,
        visit_count=visit_count,
    )


def test_it_counts_cuts_as_positive_and_additions_as_negative():
    before = version(10, 4, 3, 2)
    after = version(12, 5, 3, 0)

    reform = compute_reform(before, after)

    assert reform == Reform(days_cut=-2, steps_cut=-1, materials_cut=0, visits_cut=2)


def test_it_counts_a_direct_item_without_a_limit_as_served_on_the_spot():
    before = version(5, 3, 2, 1)
    after = version(None, 2, 0, 1)

    reform = compute_reform(before, after)

    assert reform.days_cut == 5


def test_it_describes_the_figures_for_the_public():
    reform = Reform(days_cut=4, steps_cut=1, materials_cut=0, visits_cut=-1)

    assert reform.describe() == [("减时限4个工作日", True), ("减环节1个", True), ("增加跑动1次", False)]


def optimise(world, item, at):
    """Cut the committed limit 10 → 6, drop one step (4 → 3), drop 无房证明 and make 劳动合同 optional
    (3 → 1 required materials), and come in once instead of twice."""
    return actions.revise_item(
        item,
        by=world.zhou_min,
        at=at,
        reason="并联审核，部门数据共享",
        undertaking_orgs=[],
        talent_categories=[],
        committed_days=6,
        steps=["网上申请", "并联审核", "配租签约"],
        materials=[
            {"name": "居民身份证", "required": True, "copies": 1, "notes": "原件核验"},
            {"name": "劳动合同", "required": False, "copies": 1, "notes": "容缺受理"},
            {"name": "婚姻状况证明", "required": False, "copies": 1, "notes": ""},
        ],
        visit_count=1,
    )


def test_publishing_a_second_version_publishes_its_reform_figures(world, city_item):
    actions.publish_item(city_item, by=world.zhou_min, at=world.at)
    optimise(world, city_item, world.at + LATER)

    item = actions.publish_item(city_item, by=world.zhou_min, at=world.at + 2 * LATER)

    published = item.published_version
    assert published.number == 2
    assert (
        published.committed_days,
        published.step_count,
        published.material_count,
        published.visit_count,
    ) == (
        6,
        3,
        1,
        1,
    )
    assert published.reform == Reform(days_cut=4, steps_cut=1, materials_cut=2, visits_cut=1)
    first = item.versions.get(number=1)
    assert first.reform is None  # a first publication has nothing to compare with


def test_reform_figures_compare_with_the_previous_publication_not_with_drafts(world, city_item):
    actions.publish_item(city_item, by=world.zhou_min, at=world.at)
    optimise(world, city_item, world.at + LATER)
    actions.revise_item(
        city_item,
        by=world.zhou_min,
        at=world.at + 2 * LATER,
        reason="承诺时限再压缩",
        undertaking_orgs=[],
        talent_categories=[],
        committed_days=5,
    )

    item = actions.publish_item(city_item, by=world.zhou_min, at=world.at + 3 * LATER)

    assert item.published_version.number == 3
    assert item.published_version.reform == Reform(days_cut=5, steps_cut=1, materials_cut=2, visits_cut=1)
