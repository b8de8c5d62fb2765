"""/api/v1/service-items/: the published catalogue for any signed-in user, read-only, explicit fields."""

import pytest

from huicai.catalogue import actions
from huicai.catalogue.tests.conftest import LATER, application_fields, direct_fields
from huicai.catalogue.tests.test_public_pages import publish_many
from huicai.catalogue.tests.test_reform import optimise

URL = "/api/v1/service-items/"


@pytest.fixture
def optimised_item(world, city_item):
    actions.publish_item(city_item, by=world.zhou_min, at=world.at)
    optimise(world, city_item, world.at + LATER)
    return actions.publish_item(city_item, by=world.zhou_min, at=world.at + 2 * LATER)


def test_it_needs_a_signed_in_user(world, client, optimised_item):
    response = client.get(URL)

    assert response.status_code in (401, 403)
    assert response.json()["message"] == "请先登录。"


def test_any_signed_in_user_lists_the_published_items_only(world, login, optimised_item, county_item):
    client = login(world.li_ming_user)

    body = client.get(URL).json()

    assert body["count"] == 1
    row = body["results"][0]
    assert row == {
        "code": "LY-ZF-901",
        "name": "人才公寓租住申请",
        "category": "housing",
        "category_display": "住房",
        "mode": "application",
        "mode_display": "依申请",
        "department": world.departments["市住房和城乡建设局"].pk,
        "department_name": "临沂市住房和城乡建设局",
        "level": "city",
        "level_display": "市级",
        "division_name": None,
        "legal_days": 20,
        "committed_days": 6,
        "step_count": 3,
        "material_count": 1,
        "visit_count": 1,
        "card_kinds": [],
        "version": 2,
        "published_at": row["published_at"],
        "reform": {"days_cut": 4, "steps_cut": 1, "materials_cut": 2, "visits_cut": 1},
    }


def test_the_detail_has_the_guide_with_material_keys_and_the_history(world, login, optimised_item):
    client = login(world.li_ming_user)

    body = client.get(f"{URL}LY-ZF-901/").json()

    assert body["guide"]["materials"][0] == {
        "key": "M01",
        "name": "居民身份证",
        "required": True,
        "copies": 1,
        "notes": "原件核验",
    }
    assert body["guide"]["steps"] == ["网上申请", "并联审核", "配租签约"]
    assert [h["version"] for h in body["history"]] == [1, 2]
    assert body["history"][0]["reform"] is None
    assert body["history"][1]["reform"] == {
        "days_cut": 4,
        "steps_cut": 1,
        "materials_cut": 2,
        "visits_cut": 1,
    }


def test_an_unpublished_item_is_not_found(world, login, county_item):
    client = login(world.chen_jing)

    response = client.get(f"{URL}{county_item.code}/")

    assert response.status_code == 404


def test_it_filters_by_category_mode_department_and_words(world, login, optimised_item):
    actions.publish_item(
        actions.create_item(
            window=world.windows["临沂市"], by=world.zhou_min, at=world.at, **direct_fields(world)
        ),
        by=world.zhou_min,
        at=world.at,
    )
    client = login(world.li_ming_user)
    airport = world.departments["临沂国际机场"].pk

    def codes(**params):
        return [row["code"] for row in client.get(URL, params).json()["results"]]

    assert codes(category="transport") == ["LY-JT-901"]
    assert codes(mode="application") == ["LY-ZF-901"]
    assert codes(department=airport) == ["LY-JT-901"]
    assert codes(q="贵宾") == ["LY-JT-901"]
    assert codes(q="？！。") == []


def test_bad_filters_are_a_clear_400(world, login, optimised_item):
    client = login(world.li_ming_user)

    bad_category = client.get(URL, {"category": "bogus"})
    long_search = client.get(URL, {"q": "人" * 10_000})

    assert bad_category.status_code == 400
    assert bad_category.json()["message"] == "提交的数据有误，请按提示修改。"
    assert "category" in bad_category.json()["errors"]
    assert long_search.status_code == 400
    assert long_search.json()["errors"] == {"q": ["搜索词不能超过100个字。"]}


def test_it_is_read_only(world, login, optimised_item):
    client = login(world.admin)

    response = client.post(URL, {"code": "LY-X-1"}, content_type="application/json")

    assert response.status_code == 405


@pytest.mark.parametrize("count", [3, 60])
def test_the_list_takes_the_same_queries_however_many_items(world, login, django_assert_num_queries, count):
    publish_many(world, count)
    client = login(world.li_ming_user)

    # session, user, count, rows; then the session is saved (SESSION_SAVE_EVERY_REQUEST, in a savepoint)
    with django_assert_num_queries(7):
        response = client.get(URL)

    assert response.status_code == 200
    assert response.json()["count"] == count
    assert len(response.json()["results"]) == min(count, 50)


def test_county_items_carry_their_division(world, login, filed_item):
    actions.acknowledge_item(filed_item, by=world.zhou_min, at=world.at + 2 * LATER)
    client = login(world.li_ming_user)

    row = client.get(URL).json()["results"][0]

    assert (row["level"], row["division_name"]) == ("county", "兰山区")


def test_a_second_application_item_is_listed_in_category_order(world, login):
    for code, category in (("LY-A-1", "other"), ("LY-A-2", "exit_entry")):
        item = actions.create_item(
            window=world.windows["临沂市"],
            by=world.zhou_min,
            at=world.at,
            **application_fields(world, code=code, category=category),
        )
        actions.publish_item(item, by=world.zhou_min, at=world.at)
    client = login(world.li_ming_user)

    codes = [row["code"] for row in client.get(URL).json()["results"]]

    assert codes == ["LY-A-2", "LY-A-1"]  # 出入境和居留 comes first, 其他 last


def test_the_detail_with_its_guide_and_history_answers_as_the_schema_says(world, login, optimised_item):
    from huicai.api.tests.conformance import errors_against_schema

    response = login(world.li_ming_user).get(f"{URL}LY-ZF-901/")

    assert response.status_code == 200
    assert errors_against_schema(response, "GET", "/api/v1/service-items/{code}/") == []
