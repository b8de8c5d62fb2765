"""/api/v1/policies/: the same search, filters and scope as the pages (W16)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

URL = "/api/v1/policies/"


def test_anyone_searches_the_published_policies(world, draft, client):
    draft(
        title="人才住房保障办法",
        document_number="临人社发〔2026〕1号",
        categories=[world.category_b],
        publish=True,
    )
    draft(title="住房补贴（草稿）")

    response = client.get(URL, {"q": "住房"})

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    assert body["terms"] == ["住房"]
    hit = body["results"][0]
    assert hit["title_html"] == "人才<mark>住房</mark>保障办法"
    assert hit["policy"]["document_number"] == "临人社发〔2026〕1号"
    assert hit["policy"]["categories"] == ["B"]
    assert hit["policy"]["regions"] == []
    assert hit["policy"]["status"] == "in_force"
    assert set(hit["policy"]) == {
        "id",
        "title",
        "issuer",
        "document_number",
        "issue_date",
        "effective_date",
        "expiry_date",
        "status",
        "status_display",
        "categories",
        "regions",
        "window_name",
        "published_at",
    }


def test_the_api_filters_by_category_and_region_codes(world, draft, client):
    draft(title="B类住房", categories=[world.category_b], publish=True)
    draft(title="C类住房", categories=[world.category_c], publish=True)
    draft(title="罗庄区住房", divisions=[world.divisions["罗庄区"]], publish=True)

    by_category = client.get(URL, {"q": "住房", "category": "C"}).json()
    by_region = client.get(URL, {"q": "住房", "region": "371302"}).json()

    assert [h["policy"]["title"] for h in by_category["results"]] == ["罗庄区住房", "C类住房"]
    assert sorted(h["policy"]["title"] for h in by_region["results"]) == ["B类住房", "C类住房"]


def test_an_unknown_filter_value_is_a_clear_error(world, client):
    response = client.get(URL, {"category": "Z"})

    assert response.status_code == 400
    assert response.json()["message"] == "提交的数据有误，请按提示修改。"


def test_a_ten_thousand_character_query_is_cut_with_a_notice(world, draft, client):
    draft(title="人才住房保障办法", publish=True)

    body = client.get(URL, {"q": "住房" * 5000}).json()

    assert body["notice"] == "检索词过长，只按前 100 个字检索。"
    assert body["count"] == 1


def test_a_punctuation_only_query_finds_nothing_and_says_why(world, draft, client):
    draft(title="人才住房保障办法", publish=True)

    body = client.get(URL, {"q": "，。、；"}).json()

    assert body["count"] == 0
    assert body["notice"].startswith("检索词只有标点符号")


def test_drafts_only_for_the_windows_over_them(world, draft, client, login):
    lanshan = draft(by=world.chen_jing, window=world.windows["兰山区"], divisions=[world.divisions["兰山区"]])
    detail = f"{URL}{lanshan.pk}/"

    anonymous = (client.get(URL, {"status": "draft"}).json()["count"], client.get(detail).status_code)
    login(world.sun_lei)
    outsider = (client.get(URL, {"status": "draft"}).json()["count"], client.get(detail).status_code)
    login(world.chen_jing)
    own = (client.get(URL, {"status": "draft"}).json()["count"], client.get(detail).status_code)

    assert anonymous == (0, 404)
    assert outsider == (0, 404)
    assert own == (1, 200)


def test_the_detail_carries_the_text(world, draft, client):
    policy = draft(title="人才住房保障办法", body="第一条 住房。", publish=True)

    body = client.get(f"{URL}{policy.pk}/").json()

    assert body["body"] == "第一条 住房。"
    assert body["status_display"] == "现行有效"


def test_the_api_list_costs_the_same_queries_for_few_or_many_policies(world, draft, client):
    def list_queries(count):
        for number in range(count):
            draft(
                title=f"住房补贴{number}",
                categories=[world.category_b],
                divisions=[world.divisions["兰山区"]],
                publish=True,
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"q": "住房"})
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    few, many = list_queries(2), list_queries(6)

    assert (few[1], many[1]) == (2, 8)
    assert few[0] == many[0]


def test_the_api_list_query_count(world, draft, client, django_assert_num_queries):
    for number in range(3):
        draft(title=f"住房补贴{number}", publish=True)

    # the client's two request counts (the anonymous and the per-user rate limit, counted in the database
    # so all processes share them), the synonyms, the ids searched, the index entries of the words, the
    # page's policies, their categories and regions.
    with django_assert_num_queries(8):
        response = client.get(URL, {"q": "住房"})

    assert response.json()["count"] == 3


def test_policies_for_me_through_the_api(world, draft, client, login):
    draft(title="B类住房", categories=[world.category_b], publish=True)
    draft(title="C类住房", categories=[world.category_c], publish=True)

    anonymous = client.get(f"{URL}mine/")
    not_a_talent = login(world.chen_jing).get(f"{URL}mine/")
    talent = login(world.li_ming_user).get(f"{URL}mine/").json()

    assert anonymous.status_code in (401, 403)
    assert not_a_talent.status_code == 403
    assert [h["policy"]["title"] for h in talent["results"]] == ["B类住房"]


def test_the_api_is_read_only(world, draft, login):
    policy = draft(title="住房", publish=True)
    client = login(world.zhou_min)

    created = client.post(URL, {"title": "x"}, content_type="application/json")
    changed = client.patch(f"{URL}{policy.pk}/", {"status": "expired"}, content_type="application/json")

    assert created.status_code == 405
    assert changed.status_code == 405
