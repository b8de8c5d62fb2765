"""People search in their own words (孩子上学, 买房, 看病); the policies are written in the measures' words.
Synonyms kept by window staff bridge the two; policies in force come before expired ones (issue 12)."""

import datetime
import importlib.util
from pathlib import Path

import pytest

from huicai.core.models import AuditEvent
from huicai.core.transitions import NotAllowed
from huicai.policies import actions, search
from huicai.policies.apps import starts_a_web_server
from huicai.policies.models import Policy, SearchSynonym
from huicai.policies.search import search_policies


def found(query):
    result = search_policies(Policy.objects.public(), query)
    return [hit.policy.title for hit in result.hits(result.rows)]


@pytest.fixture
def library(world, draft):
    draft(title="高层次人才子女入学服务办法", body="人才子女入学由教育部门统筹安排。", publish=True)
    draft(title="人才购房补贴实施细则", body="在本市首次购房的人才可申请购房补贴。", publish=True)
    draft(title="高层次人才就医绿色通道办法", body="人才就医可享受预约诊疗服务。", publish=True)


def test_without_a_synonym_the_everyday_words_find_nothing(library):
    assert found("孩子上学") == []
    assert found("买房") == []


def test_a_synonym_finds_the_policy_in_its_own_words(library, world):
    actions.save_synonym(phrase="孩子上学", terms="子女入学", by=world.zhou_min, at=world.at)
    actions.save_synonym(phrase="买房", terms="购房 购房补贴", by=world.zhou_min, at=world.at)
    actions.save_synonym(phrase="看病", terms="就医", by=world.zhou_min, at=world.at)

    assert found("孩子上学") == ["高层次人才子女入学服务办法"]
    assert found("买房") == ["人才购房补贴实施细则"]
    assert found("我想问看病怎么办") == ["高层次人才就医绿色通道办法"]


def test_the_synonyms_words_stand_in_for_the_phrase_rather_than_diluting_the_match(library, world, draft):
    """孩子上学 补贴: a policy on schooling subsidies matches both things asked for, and comes first."""
    draft(title="子女入学补贴办法", body="子女入学的人才可申请补贴。", publish=True)
    actions.save_synonym(phrase="孩子上学", terms="子女入学", by=world.zhou_min, at=world.at)

    result = search_policies(Policy.objects.public(), "孩子上学 补贴")

    assert [hit.policy.title for hit in result.hits(result.rows)][0] == "子女入学补贴办法"
    assert len(result.query.groups) == 2
    assert result.query.synonyms == ["孩子上学"]


def test_an_expired_policy_ranks_below_one_in_force_whatever_its_score(world, draft):
    old = draft(
        title="人才住房补贴办法（2020年版）住房补贴",
        body="住房补贴住房补贴住房补贴。",
        issue_date=datetime.date(2020, 1, 1),
        effective_date=datetime.date(2020, 1, 1),
        publish=True,
    )
    actions.expire_policy(old, by=world.zhou_min, at=world.at, note="已被新办法替代")
    current = draft(title="人才安居办法", body="符合条件的人才可申请住房补贴。", publish=True)

    by_score = search.rank(Policy.objects.public(), ["住房补贴"], today=datetime.date(2020, 6, 1))
    assert by_score[0]["policy_id"] == old.pk  # when neither was in force, the better match led

    assert found("住房补贴") == [current.title, old.title]
    assert [hit.policy for hit in _listed()][:2] == [current, old]


def _listed():
    result = search_policies(Policy.objects.public(), "")
    return result.hits(result.rows)


def test_window_staff_keep_the_synonyms_and_every_change_is_audited(world):
    synonym = actions.save_synonym(phrase="买房", terms="购房", by=world.zhou_min, at=world.at)
    actions.save_synonym(synonym, phrase="买房", terms="购房、购房补贴", by=world.chen_jing, at=world.at)
    actions.delete_synonym(synonym, by=world.chen_jing, at=world.at)

    assert not SearchSynonym.objects.exists()
    details = list(
        AuditEvent.objects.filter(kind=AuditEvent.Kind.CONFIG_CHANGE, object_type="policies.searchsynonym")
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert details == [
        "新增检索同义词 买房 → 购房",
        "检索同义词 买房 → 购房 ⇒ 买房 → 购房 购房补贴",
        "删除检索同义词 买房 → 购房 购房补贴",
    ]


def test_nobody_else_may_change_them(world):
    with pytest.raises(NotAllowed) as error:
        actions.save_synonym(phrase="买房", terms="购房", by=world.li_ming_user, at=world.at)

    assert str(error.value) == "只有窗口专员可以维护政策检索同义词。"
    assert not SearchSynonym.objects.exists()


@pytest.mark.parametrize(
    "phrase, terms, message",
    [
        ("买", "购房", {"phrase": ["检索用语至少 2 个字。"]}),
        ("的的", "购房", {"phrase": ["检索用语只有标点符号或常用字，检索时不会用到。"]}),
        ("买房", "  ", {"terms": ["请填写至少一个对应的政策用语。"]}),
        ("买房", "买房", {"terms": ["对应政策用语不能与检索用语相同。"]}),
    ],
)
def test_a_bad_synonym_is_refused_with_a_reason_and_nothing_is_kept(world, phrase, terms, message):
    with pytest.raises(actions.ValidationError) as error:
        actions.save_synonym(phrase=phrase, terms=terms, by=world.zhou_min, at=world.at)

    assert error.value.message_dict == message
    assert not SearchSynonym.objects.exists()


def test_a_phrase_is_kept_once(world):
    actions.save_synonym(phrase="买房", terms="购房", by=world.zhou_min, at=world.at)

    with pytest.raises(actions.ValidationError) as error:
        actions.save_synonym(phrase="买房", terms="购房补贴", by=world.chen_jing, at=world.at)

    assert error.value.message_dict == {"phrase": ["“买房”已有同义词，请修改原有条目。"]}


# --- the page ---------------------------------------------------------------------------------------


def test_the_synonyms_page_adds_one_and_lists_them(world, login):
    client = login(world.chen_jing)

    response = client.post("/policies/synonyms/", {"phrase": "看病", "terms": "就医 医疗"})

    assert response.status_code == 302
    assert SearchSynonym.objects.get().terms == "就医 医疗"
    assert "就医 医疗" in client.get("/policies/synonyms/").content.decode()


def test_a_refused_synonym_is_shown_again_with_its_reason(world, login):
    response = login(world.chen_jing).post("/policies/synonyms/", {"phrase": "看病", "terms": "看病"})

    assert response.status_code == 400
    assert "对应政策用语不能与检索用语相同。" in response.content.decode()
    assert not SearchSynonym.objects.exists()


def test_the_synonyms_page_is_refused_to_talents_and_unknown_ids_are_404(world, login):
    assert login(world.li_ming_user).get("/policies/synonyms/").status_code == 403
    assert login(world.chen_jing).get("/policies/synonyms/999999/").status_code == 404
    assert login(world.chen_jing).post("/policies/synonyms/999999/delete/").status_code == 404


@pytest.mark.parametrize("rows", [1, 8])
def test_the_synonyms_list_takes_the_same_queries_however_many_rows(
    world, login, django_assert_num_queries, rows
):
    for index in range(rows):
        actions.save_synonym(phrase=f"说法{index}号", terms="购房", by=world.zhou_min, at=world.at)
    client = login(world.chen_jing)

    with django_assert_num_queries(QUERIES):
        response = client.get("/policies/synonyms/")

    assert response.content.decode().count("说法") == rows


# The session, the user, the second factor, the scope (three), the menu, the unread count; the synonyms'
# count and page.
QUERIES = 10


def test_the_filters_start_on_all_categories_and_all_regions(world, client):
    page = client.get("/policies/").content.decode()

    assert '<option value="" selected>全部类别</option>' in page
    assert '<option value="" selected>全部区域</option>' in page
    assert "---------" not in page


# --- jieba's dictionary is loaded when a worker starts ---------------------------------------------------


def test_a_gunicorn_worker_loads_the_dictionary_as_it_starts(monkeypatch):
    monkeypatch.setattr(search, "_tokenizer", None)
    spec = importlib.util.spec_from_file_location(
        "gunicorn_conf", Path(__file__).parents[3] / "gunicorn.conf.py"
    )
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)

    conf.post_worker_init(worker=None)

    assert search._tokenizer is not None


def test_the_development_server_warms_up_only_in_its_serving_process():
    assert starts_a_web_server(["manage.py", "runserver"], {"RUN_MAIN": "true"})
    assert not starts_a_web_server(["manage.py", "runserver"], {})  # the file watcher
    assert not starts_a_web_server(["manage.py", "migrate"], {"RUN_MAIN": "true"})
    assert not starts_a_web_server(["pytest"], {})
