"""Chinese full-text search: the same test run on SQLite and on PostgreSQL (W16)."""

import os

import pytest

from huicai.policies.models import Policy
from huicai.policies.search import (
    MAX_QUERY_LENGTH,
    build_tokenizer,
    get_tokenizer,
    search_policies,
    segment,
    snippet,
)


def found(query, queryset=None):
    search = search_policies(queryset if queryset is not None else Policy.objects.public(), query)
    return [hit.policy.title for hit in search.hits(search.rows)]


def test_a_two_character_word_finds_it_inside_a_longer_word(world, draft):
    draft(title="临沂市高层次人才住房补贴实施细则", body="符合条件的人才可申请住房补贴。", publish=True)
    draft(title="高层次人才子女入学服务办法", body="人才子女入学由教育部门统筹安排。", publish=True)
    draft(title="沂蒙惠才卡管理办法", body="持卡人可享受绿色通道服务。", publish=True)

    assert found("住房") == ["临沂市高层次人才住房补贴实施细则"]
    assert found("子女") == ["高层次人才子女入学服务办法"]
    assert found("惠才卡") == ["沂蒙惠才卡管理办法"]


def test_drafts_are_not_found_by_the_public(world, draft):
    draft(title="住房补贴（草稿）")

    assert found("住房") == []


def test_a_title_match_outranks_a_body_match(world, draft):
    draft(
        title="科研项目申报指南",
        body="申报单位可同时申请住房补贴。住房补贴另行发放，住房条件优先。",
        publish=True,
    )
    draft(title="人才住房保障办法", body="本办法自发布之日起施行。", publish=True)

    assert found("住房") == ["人才住房保障办法", "科研项目申报指南"]


def test_a_rare_word_outweighs_a_common_one(world, draft):
    for number in range(4):
        draft(title=f"人才服务办法{number}", body="人才服务。", publish=True)
    draft(title="配偶就业安置办法", body="配偶随迁就业。", publish=True)

    assert found("配偶 人才")[0] == "配偶就业安置办法"


def test_the_snippet_is_escaped_before_it_is_marked():
    html = snippet("<script>alert(1)</script>住房补贴 & amp", ["住房", "amp"])

    assert html == "&lt;script&gt;alert(1)&lt;/script&gt;<mark>住房</mark>补贴 &amp; <mark>amp</mark>"


def test_the_snippet_is_a_passage_around_the_first_match():
    body = "前言。" * 60 + "人才子女入学由教育部门统筹安排。" + "附则。" * 60

    html = snippet(body, ["子女"])

    assert html.startswith("…") and html.endswith("…")
    assert "<mark>子女</mark>入学" in html
    assert len(html) < 200


def test_a_query_of_ten_thousand_characters_is_cut_to_the_cap(world, draft, django_assert_num_queries):
    draft(title="人才住房保障办法", publish=True)

    # the synonyms, the ids searched, the index entries of the words, the policies and their two tag lists.
    with django_assert_num_queries(6):
        search = search_policies(Policy.objects.public(), "住房" * 5000)
        titles = [hit.policy.title for hit in search.hits(search.rows)]

    assert search.query.text == "住房" * (MAX_QUERY_LENGTH // 2)
    assert search.notice == "检索词过长，只按前 100 个字检索。"
    assert titles == ["人才住房保障办法"]


@pytest.mark.parametrize("query", ["，。！？……——", "的 了 和", "“关于”"])
def test_a_query_of_only_punctuation_or_stop_words_finds_nothing_and_says_why(
    world, draft, query, django_assert_num_queries
):
    draft(title="关于人才住房的若干措施", publish=True)

    with django_assert_num_queries(0):
        search = search_policies(Policy.objects.public(), query)

    assert list(search.rows) == []
    assert search.notice.startswith("检索词只有标点符号")


def test_segmentation_drops_punctuation_and_function_words():
    assert segment("关于人才的住房补贴！") == ["人才", "住房", "补贴", "住房补贴"]


def test_jieba_is_quiet_and_caches_where_it_is_told(tmp_path, capfd):
    cache_file = tmp_path / "jieba.cache"

    tokenizer = build_tokenizer(str(cache_file))

    assert capfd.readouterr().err == ""
    assert cache_file.exists()
    assert "/".join(tokenizer.cut("沂蒙惠才卡")) == "沂蒙惠才卡"


def test_the_tokenizer_is_built_once_per_process_and_caches_under_jieba_cache():
    tokenizer = get_tokenizer()

    assert get_tokenizer() is tokenizer
    assert tokenizer.cache_file == os.path.abspath(os.environ["JIEBA_CACHE"])
    assert os.path.exists(tokenizer.cache_file)
