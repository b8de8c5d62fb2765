"""W16: the public catalogue, readable without login on a phone, with guides, limits and reform results."""

import pytest

from huicai.catalogue import actions
from huicai.catalogue.tests.conftest import LATER, application_fields, direct_fields
from huicai.catalogue.tests.test_reform import optimise


@pytest.fixture
def optimised_item(world, city_item):
    """Published at 10 days, then optimised to 6 days, 3 steps, 1 required material, 1 visit."""
    actions.publish_item(city_item, by=world.zhou_min, at=world.at)
    optimise(world, city_item, world.at + LATER)
    return actions.publish_item(city_item, by=world.zhou_min, at=world.at + 2 * LATER)


def publish_many(world, count, *, start=0):
    for number in range(start, start + count):
        item = actions.create_item(
            window=world.windows["临沂市"],
            by=world.zhou_min,
            at=world.at,
            **application_fields(world, code=f"LY-T-{number:03d}", name=f"测试事项{number:03d}"),
        )
        actions.publish_item(item, by=world.zhou_min, at=world.at)


def test_anyone_can_read_the_catalogue_without_login(world, client, optimised_item):
    response = client.get("/catalogue/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "绿色通道服务事项目录" in page
    assert "人才公寓租住申请" in page
    assert "承诺时限 <b>6</b> 个工作日" in page
    assert 'name="viewport"' in page  # phones first


def test_the_list_shows_the_published_reform_figures(world, client, optimised_item):
    page = client.get("/catalogue/").content.decode()

    for phrase in ("减时限4个工作日", "减环节1个", "减材料2项", "减跑动1次"):
        assert phrase in page


def test_the_detail_page_shows_the_full_guide_and_the_version_history(world, client, optimised_item):
    response = client.get("/catalogue/LY-ZF-901/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "临沂市住房保障服务中心；工作日 9:00—17:00" in page  # 办理地点和时间
    assert "在临全职工作的高层次人才" in page  # 受理条件
    assert "劳动合同" in page and "选交（容缺）" in page  # 申请材料, now optional
    assert "并联审核" in page  # 办理流程
    assert "0539-8201567" in page and "12345" in page
    assert "第1版" in page and "第2版" in page and "首次公布" in page
    assert "比法定时限压缩 14 个工作日" in page
    assert "减时限4个工作日" in page


def test_a_revision_in_progress_is_not_public(world, client, optimised_item):
    actions.revise_item(
        optimised_item,
        by=world.zhou_min,
        at=world.at + 3 * LATER,
        reason="草稿",
        undertaking_orgs=[],
        talent_categories=[],
        name="尚未公布的新名称",
    )

    page = client.get("/catalogue/LY-ZF-901/").content.decode()

    assert "人才公寓租住申请" in page
    assert "尚未公布的新名称" not in page


def test_drafts_filed_and_returned_items_are_not_in_the_catalogue(world, client, county_item):
    listing = client.get("/catalogue/").content.decode()
    detail = client.get(f"/catalogue/{county_item.code}/")

    assert county_item.name not in listing
    assert detail.status_code == 404


def test_an_acknowledged_county_item_is_published(world, client, filed_item):
    actions.acknowledge_item(filed_item, by=world.zhou_min, at=world.at + 2 * LATER)

    page = client.get("/catalogue/").content.decode()

    assert "兰山区人才安家补贴申领" in page


def test_it_searches_names_and_guides_by_substring(world, client, optimised_item):
    publish_many(world, 1)

    by_name = client.get("/catalogue/", {"q": "公寓"}).content.decode()
    by_guide = client.get("/catalogue/", {"q": "住房保障服务中心 公寓"}).content.decode()
    nothing = client.get("/catalogue/", {"q": "飞机"}).content.decode()

    assert "人才公寓租住申请" in by_name and "测试事项000" not in by_name
    assert "人才公寓租住申请" in by_guide
    assert "没有找到符合条件的服务事项" in nothing


def test_a_search_of_ten_thousand_characters_is_refused_calmly(world, client, optimised_item):
    response = client.get("/catalogue/", {"q": "人" * 10_000})

    assert response.status_code == 200
    page = response.content.decode()
    assert "搜索词不能超过100个字。" in page
    assert "人才公寓租住申请" not in page


def test_a_search_of_only_punctuation_finds_nothing_and_does_not_crash(world, client, optimised_item):
    response = client.get("/catalogue/", {"q": "？！。，,.;%_\\'\""})

    assert response.status_code == 200
    assert "没有找到符合条件的服务事项" in response.content.decode()


def test_it_filters_by_category_mode_and_department(world, client, optimised_item):
    actions.publish_item(
        actions.create_item(
            window=world.windows["临沂市"], by=world.zhou_min, at=world.at, **direct_fields(world)
        ),
        by=world.zhou_min,
        at=world.at,
    )
    airport = world.departments["临沂国际机场"].pk

    by_category = client.get("/catalogue/", {"category": "transport"}).content.decode()
    by_mode = client.get("/catalogue/", {"mode": "application"}).content.decode()
    by_department = client.get("/catalogue/", {"department": airport}).content.decode()
    bad_category = client.get("/catalogue/", {"category": "bogus"})

    assert "临沂机场贵宾通道服务" in by_category and "人才公寓租住申请" not in by_category
    assert "人才公寓租住申请" in by_mode and "临沂机场贵宾通道服务" not in by_mode
    assert "临沂机场贵宾通道服务" in by_department and "人才公寓租住申请" not in by_department
    assert bad_category.status_code == 200
    assert "请修改查询条件后重试" in bad_category.content.decode()


def test_the_list_is_paginated(world, client):
    publish_many(world, 25)

    first = client.get("/catalogue/").content.decode()
    second = client.get("/catalogue/", {"page": 2}).content.decode()

    assert "测试事项019" in first and "测试事项020" not in first
    assert "测试事项020" in second and "测试事项024" in second
    assert "第 2 / 2 页，共 25 项" in second


@pytest.mark.parametrize("count", [3, 25])
def test_the_list_takes_the_same_few_queries_however_many_items(
    world, client, django_assert_num_queries, count
):
    publish_many(world, count)

    # department choices, category counts, page count, page rows
    with django_assert_num_queries(4):
        response = client.get("/catalogue/", {"mode": "application"})

    assert response.status_code == 200


def test_the_detail_takes_two_queries(world, client, optimised_item, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get("/catalogue/LY-ZF-901/")

    assert response.status_code == 200


def test_an_htmx_request_gets_only_the_results(world, client, optimised_item):
    response = client.get("/catalogue/", {"q": "公寓"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "人才公寓租住申请" in page
    assert "<html" not in page
