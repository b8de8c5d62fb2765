"""The read-only talents API: paginated, filterable, scoped, masked, token-authenticated."""

import datetime

from huicai.core.identifiers import make_mobile, make_resident_id
from huicai.talents.actions import register_talent
from huicai.testing import bearer


def add_talents(world, count):
    for serial in range(count):
        register_talent(
            by=world.admin,
            at=world.at,
            unit_commissioner=world.wang_fang_post,
            name=f"测试人才{serial}",
            id_number=make_resident_id("110108", datetime.date(1980, 1, 1), 100 + serial),
            category=world.category_c,
            employer=world.linyi_pharma,
            home_window=world.windows["兰山区"],
            mobile=make_mobile(40000000 + serial),
        )


def test_the_list_is_paginated_and_masks_personal_data(world, login):
    add_talents(world, 3)
    client = login(world.chen_jing)

    response = client.get("/api/v1/talents/?page_size=2")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 4
    assert len(body["results"]) == 2
    assert body["next"]
    first = body["results"][0]
    assert "id_number" not in first and "mobile" not in first
    assert "********" in first["id_number_masked"]
    assert "****" in first["mobile_masked"]


def test_the_list_query_count_does_not_grow_with_the_page(world, login, django_assert_max_num_queries):
    add_talents(world, 30)
    client = login(world.chen_jing)

    # session, user, scope (talent, posts), count, page, open assignments, session save (3).
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/talents/?page_size=30")

    assert len(response.json()["results"]) == 30
    assert all(row["unit_commissioner"] == "王芳" for row in response.json()["results"])


def test_the_list_filters_by_window_employer_and_category(world, login):
    client = login(world.zhou_min)

    by_window = client.get(f"/api/v1/talents/?window={world.windows['罗庄区'].pk}").json()
    by_city_window = client.get(f"/api/v1/talents/?window={world.windows['临沂市'].pk}").json()
    by_employer = client.get(f"/api/v1/talents/?employer={world.linyi_pharma.pk}").json()
    by_category = client.get("/api/v1/talents/?category=C").json()

    assert [t["name"] for t in by_window["results"]] == ["刘洋"]
    assert by_city_window["count"] == 2
    assert [t["name"] for t in by_employer["results"]] == ["李明"]
    assert [t["name"] for t in by_category["results"]] == ["刘洋"]


def test_a_filter_never_widens_the_scope(world, login):
    client = login(world.chen_jing)

    response = client.get(f"/api/v1/talents/?window={world.windows['罗庄区'].pk}")

    assert response.json()["count"] == 0


def test_a_bad_filter_value_is_a_chinese_400(world, login):
    client = login(world.chen_jing)

    response = client.get("/api/v1/talents/?window=abc&category=ZZ")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["message"] == "提交的数据有误，请按提示修改。"
    assert set(response.json()["errors"]) == {"window", "category"}


def test_token_authentication_works_and_is_scoped(world, client):
    response = client.get("/api/v1/talents/", **bearer(world.sun_lei))

    assert [t["name"] for t in response.json()["results"]] == ["刘洋"]


def test_the_detail_carries_the_cards(world, login):
    client = login(world.li_ming_user)

    response = client.get(f"/api/v1/talents/{world.li_ming.pk}/")

    assert response.json()["cards"][0]["number"] == "YM2026000001"
    assert response.json()["cards"][0]["kind_display"] == "沂蒙惠才卡"


def test_the_api_is_read_only(world, login):
    client = login(world.admin)

    response = client.post("/api/v1/talents/", {"name": "x"})

    assert response.status_code == 405


def test_the_openapi_schema_and_docs_are_served(world, login):
    client = login(world.chen_jing)

    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert b"/api/v1/talents/" in schema.content
    assert docs.status_code == 200
