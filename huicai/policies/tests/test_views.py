"""The policy pages: public search (W16), "policies for me" (W16) and the window's publishing (S14-5)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from huicai.policies.actions import expire_policy
from huicai.policies.choices import PolicyStatus
from huicai.policies.models import Policy

LOGIN = "/accounts/login/"


@pytest.fixture
def lanshan(world, draft):
    """A 兰山区 draft and a 兰山区 published policy, both of chen_jing's window."""
    window, region = world.windows["兰山区"], [world.divisions["兰山区"]]
    return {
        "draft": draft(
            by=world.chen_jing, window=window, divisions=region, title="兰山区人才公寓管理办法（草稿）"
        ),
        "published": draft(
            by=world.chen_jing, window=window, divisions=region, title="兰山区人才住房补贴办法", publish=True
        ),
    }


# --- Who may open what: anonymous → login, cannot see → 404, sees but may not act → 403, allowed → 200. ---

ACCESS = [
    # (url name, policy key or None, method, persona, expected status)
    ("policies:list", None, "get", None, 200),
    ("policies:detail", "published", "get", None, 200),
    ("policies:detail", "draft", "get", None, 404),
    ("policies:detail", "draft", "get", "li_ming_user", 404),
    ("policies:detail", "draft", "get", "sun_lei", 404),
    ("policies:detail", "draft", "get", "chen_jing", 200),
    ("policies:detail", "draft", "get", "zhou_min", 200),
    ("policies:mine", None, "get", None, 302),
    ("policies:mine", None, "get", "chen_jing", 403),
    ("policies:mine", None, "get", "li_ming_user", 200),
    ("policies:manage", None, "get", None, 302),
    ("policies:manage", None, "get", "li_ming_user", 403),
    ("policies:manage", None, "get", "zhao_qiang", 403),
    ("policies:manage", None, "get", "chen_jing", 200),
    ("policies:create", None, "get", None, 302),
    ("policies:create", None, "get", "wang_fang", 403),
    ("policies:create", None, "get", "chen_jing", 200),
    ("policies:edit", "draft", "get", None, 302),
    ("policies:edit", "draft", "get", "sun_lei", 404),
    ("policies:edit", "draft", "get", "li_ming_user", 404),
    ("policies:edit", "published", "get", "sun_lei", 403),
    ("policies:edit", "published", "get", "li_ming_user", 403),
    ("policies:edit", "draft", "get", "chen_jing", 200),
    ("policies:edit", "draft", "get", "admin", 200),
    ("policies:publish", "draft", "post", None, 302),
    ("policies:publish", "draft", "post", "sun_lei", 404),
    ("policies:publish", "draft", "get", "chen_jing", 405),
    ("policies:expire", "published", "post", "sun_lei", 403),
    ("policies:expire", "published", "post", "li_ming_user", 403),
    ("policies:expire", "published", "get", "chen_jing", 405),
]


@pytest.mark.parametrize(("name", "key", "method", "persona", "expected"), ACCESS)
def test_who_may_open_what(world, lanshan, client, login, name, key, method, persona, expected):
    url = reverse(name, args=[lanshan[key].pk]) if key else reverse(name)
    if persona:
        client = login(getattr(world, persona))

    response = getattr(client, method)(url)

    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(LOGIN)
    lanshan["draft"].refresh_from_db()
    assert lanshan["draft"].status == PolicyStatus.DRAFT


# --- The public search page. ---


def test_the_search_page_ranks_and_highlights(world, draft, client):
    draft(title="科研项目申报指南", body="申报单位可同时申请住房补贴。", publish=True)
    draft(title="人才住房保障办法", body="本办法自发布之日起施行。", publish=True)

    response = client.get(reverse("policies:list"), {"q": "住房"})

    html = response.content.decode()
    assert html.index("人才<mark>住房</mark>保障办法") < html.index("科研项目申报指南")
    assert "申请<mark>住房</mark>补贴" in html


def test_the_search_page_escapes_a_hostile_query_and_policy_text(world, draft, client):
    draft(title="人才住房<script>alert(1)</script>办法", publish=True)

    response = client.get(reverse("policies:list"), {"q": "<script>住房"})

    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "人才<mark>住房</mark>&lt;" in html


def test_a_ten_thousand_character_query_is_answered_with_a_notice(world, draft, client):
    draft(title="人才住房保障办法", publish=True)

    response = client.get(reverse("policies:list"), {"q": "住房" * 5000})

    assert response.status_code == 200
    assert "检索词过长，只按前 100 个字检索。" in response.content.decode()
    assert "人才<mark>住房</mark>保障办法" in response.content.decode()


def test_a_punctuation_only_query_gets_a_friendly_empty_answer(world, draft, client):
    draft(title="人才住房保障办法", publish=True)

    response = client.get(reverse("policies:list"), {"q": "？！……"})

    html = response.content.decode()
    assert "检索词只有标点符号" in html
    assert "人才住房保障办法" not in html


def test_the_search_page_filters_by_status(world, draft, client):
    expired = draft(title="旧住房办法", publish=True)
    expire_policy(expired, by=world.zhou_min, at=world.at)
    draft(title="新住房办法", publish=True)

    in_force = client.get(reverse("policies:list"), {"q": "住房", "status": "in_force"}).content.decode()
    gone = client.get(reverse("policies:list"), {"q": "住房", "status": "expired"}).content.decode()

    assert "新<mark>住房</mark>办法" in in_force and "旧<mark>住房</mark>办法" not in in_force
    assert "旧<mark>住房</mark>办法" in gone and "新<mark>住房</mark>办法" not in gone


def test_the_search_page_costs_the_same_queries_for_few_or_many_policies(
    world, draft, client, django_assert_num_queries
):
    def page_queries(count):
        for number in range(count):
            draft(
                title=f"住房补贴办法{number}",
                categories=[world.category_b],
                divisions=[world.divisions["兰山区"]],
                publish=True,
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("policies:list"), {"q": "住房", "category": world.category_b.pk})
        assert response.status_code == 200
        return len(queries)

    assert page_queries(2) == page_queries(8)


def test_the_search_page_query_count(world, draft, client, django_assert_num_queries):
    for number in range(3):
        draft(title=f"住房补贴办法{number}", categories=[world.category_b], publish=True)

    # anonymous, so no session: the category and region choices, the synonyms, the ids searched, the
    # index entries of the words, the page's policies, their categories and regions.
    with django_assert_num_queries(8):
        response = client.get(reverse("policies:list"), {"q": "住房"})

    assert response.content.decode().count('class="policy-hit"') == 3


def test_the_search_page_is_paginated(world, draft, client):
    for number in range(23):
        draft(title=f"住房补贴办法{number}", publish=True)

    first = client.get(reverse("policies:list"), {"q": "住房"}).content.decode()
    second = client.get(reverse("policies:list"), {"q": "住房", "page": 2}).content.decode()

    assert first.count('class="policy-hit"') == 20
    assert second.count('class="policy-hit"') == 3
    assert "第 2 / 2 页，共 23 条" in second


# --- Policies for me. ---


def test_policies_for_me_lists_what_applies_to_the_talent(world, draft, login):
    draft(title="全市人才政策", publish=True)
    draft(title="B类人才政策", categories=[world.category_b], publish=True)
    draft(title="C类人才政策", categories=[world.category_c], publish=True)
    draft(title="罗庄区人才政策", divisions=[world.divisions["罗庄区"]], publish=True)
    draft(title="兰山区人才政策", divisions=[world.divisions["兰山区"]], publish=True)
    draft(title="兰山区人才政策（草稿）", divisions=[world.divisions["兰山区"]])

    html = login(world.li_ming_user).get(reverse("policies:mine")).content.decode()

    assert "全市人才政策" in html
    assert "B类人才政策" in html
    assert "兰山区人才政策" in html
    assert "C类人才政策" not in html
    assert "罗庄区人才政策" not in html
    assert "（草稿）" not in html


# --- Drafting and publishing through the pages. ---

FORM = {
    "title": "兰山区人才子女入学服务办法",
    "issuer": "兰山区教育和体育局",
    "document_number": "",
    "issue_date": "2026-03-01",
    "effective_date": "2026-03-01",
    "expiry_date": "",
    "body": "高层次人才子女入学，由教育部门统筹安排。",
}


def test_a_window_commissioner_drafts_through_the_form(world, login):
    client = login(world.chen_jing)

    response = client.post(
        reverse("policies:create"),
        {**FORM, "window": world.windows["兰山区"].pk, "divisions": [world.divisions["兰山区"].pk]},
    )

    policy = Policy.objects.get()
    assert response.status_code == 302 and response["Location"] == policy.get_absolute_url()
    assert (policy.status, policy.window, policy.created_by) == (
        PolicyStatus.DRAFT,
        world.windows["兰山区"],
        world.chen_jing,
    )


def test_the_form_shows_a_bad_expiry_date_beside_the_field(world, login):
    client = login(world.zhou_min)

    response = client.post(
        reverse("policies:create"),
        {**FORM, "window": world.windows["临沂市"].pk, "expiry_date": "2026-02-01"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["expiry_date"] == ["失效日期必须晚于生效日期。"]
    assert not Policy.objects.exists()


def test_the_form_shows_a_region_outside_the_window_beside_the_field(world, login):
    client = login(world.chen_jing)

    response = client.post(
        reverse("policies:create"),
        {**FORM, "window": world.windows["兰山区"].pk, "divisions": [world.divisions["罗庄区"].pk]},
    )

    assert response.status_code == 200
    assert "超出本窗口辖区" in response.context["form"].errors["divisions"][0]
    assert not Policy.objects.exists()


def test_the_form_offers_only_the_commissioners_own_windows(world, login):
    client = login(world.chen_jing)

    response = client.post(reverse("policies:create"), {**FORM, "window": world.windows["罗庄区"].pk})

    assert response.status_code == 200
    assert "window" in response.context["form"].errors
    assert not Policy.objects.exists()


def test_editing_through_the_form(world, lanshan, login):
    client = login(world.chen_jing)

    response = client.post(
        reverse("policies:edit", args=[lanshan["draft"].pk]),
        {**FORM, "divisions": [world.divisions["兰山区"].pk]},
    )

    lanshan["draft"].refresh_from_db()
    assert response.status_code == 302
    assert lanshan["draft"].title == "兰山区人才子女入学服务办法"


def test_publishing_through_the_page_notifies_and_redirects(world, lanshan, login):
    client = login(world.chen_jing)

    response = client.post(
        reverse("policies:publish", args=[lanshan["draft"].pk]), {"notify_talents": "on"}, follow=True
    )

    lanshan["draft"].refresh_from_db()
    assert lanshan["draft"].status == PolicyStatus.IN_FORCE
    assert "政策已发布，已向 1 位符合条件的人才推送通知。" in response.content.decode()
    assert world.li_ming_user.notifications.count() == 1


def test_publishing_twice_through_the_page_says_why(world, lanshan, login):
    client = login(world.chen_jing)

    response = client.post(reverse("policies:publish", args=[lanshan["published"].pk]), follow=True)

    assert "该政策已经发布，不能重复发布。" in response.content.decode()


def test_expiring_through_the_page(world, lanshan, login):
    client = login(world.chen_jing)

    response = client.post(reverse("policies:expire", args=[lanshan["published"].pk]), {"note": "已废止"})

    lanshan["published"].refresh_from_db()
    assert response.status_code == 302
    assert lanshan["published"].status == PolicyStatus.EXPIRED


def test_a_policy_past_its_expiry_date_reads_as_expired(world, draft, client):
    policy = draft(
        title="旧办法",
        effective_date=datetime.date(2025, 1, 1),
        expiry_date=datetime.date(2026, 12, 31),
        publish=True,
    )
    Policy.objects.filter(pk=policy.pk).update(expiry_date=datetime.date(2026, 1, 1))

    html = client.get(policy.get_absolute_url()).content.decode()

    assert '<span class="policy-state policy-expired">已失效</span>' in html


@pytest.mark.parametrize(
    ("name", "persona"), [("policies:mine", "li_ming_user"), ("policies:manage", "zhou_min")]
)
def test_the_talent_and_staff_lists_cost_the_same_queries_for_few_or_many_policies(
    world, draft, login, name, persona
):
    client = login(getattr(world, persona))

    def page_queries(count):
        for _ in range(count):
            draft(title="住房补贴办法", categories=[world.category_b], publish=True)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse(name), {"q": "住房"})
        assert response.status_code == 200
        return len(queries), response.content.decode().count('class="policy-hit"')

    few, many = page_queries(2), page_queries(7)

    assert (few[1], many[1]) == (2, 9)
    assert few[0] == many[0]


def test_an_htmx_request_gets_only_the_results(world, draft, client):
    draft(title="人才住房保障办法", publish=True)

    response = client.get(reverse("policies:list"), {"q": "住房"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "人才<mark>住房</mark>保障办法" in html
    assert "<html" not in html
