"""Filters of the search: talent category, region, status (W16)."""

import datetime

from huicai.policies.actions import expire_policy
from huicai.policies.forms import filter_policies
from huicai.policies.models import Policy
from huicai.policies.search import search_policies


def titles(data, query="人才"):
    queryset = filter_policies(Policy.objects.public(), data, today=datetime.date(2026, 3, 2))
    search = search_policies(queryset, query)
    return sorted(hit.policy.title for hit in search.hits(search.rows))


def test_a_category_keeps_its_policies_and_those_for_every_category(world, draft):
    draft(title="全体人才政策", publish=True)
    draft(title="B类人才政策", categories=[world.category_b], publish=True)
    draft(title="C类人才政策", categories=[world.category_c], publish=True)
    draft(title="B类和C类人才政策", categories=[world.category_b, world.category_c], publish=True)

    assert titles({"category": world.category_b}) == ["B类人才政策", "B类和C类人才政策", "全体人才政策"]


def test_a_region_keeps_its_policies_and_the_city_wide_ones(world, draft):
    draft(title="全市人才政策", publish=True)
    draft(title="市级人才政策", divisions=[world.divisions["临沂市"]], publish=True)
    draft(title="兰山区人才政策", divisions=[world.divisions["兰山区"]], publish=True)
    draft(title="罗庄区人才政策", divisions=[world.divisions["罗庄区"]], publish=True)
    draft(
        title="两区人才政策", divisions=[world.divisions["兰山区"], world.divisions["罗庄区"]], publish=True
    )

    assert titles({"region": world.divisions["兰山区"]}) == [
        "两区人才政策",
        "全市人才政策",
        "兰山区人才政策",
        "市级人才政策",
    ]


def test_status_separates_in_force_from_expired_including_lapsed_ones(world, draft):
    draft(title="现行人才政策", publish=True)
    expire_policy(draft(title="废止人才政策", publish=True), by=world.zhou_min, at=world.at)
    lapsed = draft(title="到期人才政策", publish=True)
    Policy.objects.filter(pk=lapsed.pk).update(expiry_date=datetime.date(2026, 3, 1))

    assert titles({"status": "in_force"}) == ["现行人才政策"]
    assert titles({"status": "expired"}) == ["到期人才政策", "废止人才政策"]


def test_filters_apply_without_a_query_too(world, draft):
    draft(title="B类政策", categories=[world.category_b], publish=True)
    draft(title="C类政策", categories=[world.category_c], publish=True)

    assert titles({"category": world.category_c}, query="") == ["C类政策"]
