"""The pages: the register, recording, handling a difficulty, check-in rounds and answering them.

Every page: anonymous → login, outsider → 404, seen but not theirs to change → 403, allowed → done.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huicai.outreach import actions
from huicai.outreach.choices import DifficultyStatus, EntryStatus
from huicai.outreach.models import CheckinEntry, CheckinRound, Difficulty, TalentStatusChange
from huicai.outreach.tests.conftest import record
from huicai.talents.models import Talent


@pytest.fixture
def at_county(world):
    """li_ming's difficulty, passed by wang_fang to the 兰山区 window."""
    difficulty = record(world)
    return actions.escalate_difficulty(difficulty, note="请窗口协调。", by=world.wang_fang, at=world.at)


@pytest.fixture
def open_round(world):
    return actions.open_checkin_round(
        window=world.windows["兰山区"], title="一季度状态调度", by=world.chen_jing, at=world.at
    )


# --- the register -----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, at_county, open_round):
    entry = open_round.entries.get()
    for url in [
        "/outreach/",
        "/outreach/difficulties/new/",
        f"/outreach/difficulties/{at_county.pk}/",
        "/outreach/checkins/",
        f"/outreach/checkins/{open_round.pk}/",
        "/outreach/checkins/pending/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    assert client.post(f"/outreach/checkins/entries/{entry.pk}/answer/").status_code == 302


@pytest.mark.parametrize("persona", ["sun_lei", "qian_hui", "he_ping"])
def test_outsiders_get_404_on_a_difficulty_and_its_steps(world, login, at_county, persona):
    client = login(getattr(world, persona))

    assert client.get(f"/outreach/difficulties/{at_county.pk}/").status_code == 404
    assert (
        client.post(f"/outreach/difficulties/{at_county.pk}/respond/", {"respond-response": "x"}).status_code
        == 404
    )
    assert "李明" not in client.get("/outreach/").content.decode()


@pytest.mark.parametrize("persona", ["li_ming_user", "wang_fang", "chen_jing", "zhou_min"])
def test_those_concerned_see_the_difficulty_and_its_history(world, login, at_county, persona):
    response = login(getattr(world, persona)).get(f"/outreach/difficulties/{at_county.pk}/")

    assert response.status_code == 200
    assert "请窗口协调。" in response.content.decode()


def test_seeing_is_not_handling_the_talent_and_the_city_window_may_not_answer_a_county_held_one(
    world, login, at_county
):
    talent = login(world.li_ming_user).post(
        f"/outreach/difficulties/{at_county.pk}/respond/", {"respond-response": "自行答复"}
    )
    city = login(world.zhou_min).post(
        f"/outreach/difficulties/{at_county.pk}/escalate/", {"escalate-note": "上报"}
    )

    assert (talent.status_code, city.status_code) == (403, 403)
    assert Difficulty.objects.get(pk=at_county.pk).status == DifficultyStatus.ESCALATED


def test_the_county_window_escalates_to_the_city_window_from_the_detail_page(world, login, at_county):
    client = login(world.chen_jing)
    page = client.get(f"/outreach/difficulties/{at_county.pk}/").content.decode()

    response = client.post(
        f"/outreach/difficulties/{at_county.pk}/escalate/", {"escalate-note": "需市级协调。"}
    )

    assert "上报至临沂市高层次人才服务窗口" in page
    assert response.status_code == 302
    assert Difficulty.objects.get(pk=at_county.pk).holder_window == world.windows["临沂市"]


def test_an_empty_response_shows_the_form_again_with_a_chinese_error(world, login, at_county):
    response = login(world.chen_jing).post(
        f"/outreach/difficulties/{at_county.pk}/respond/", {"respond-response": ""}
    )

    assert response.status_code == 400
    assert "请填写答复内容。" in response.content.decode()
    assert Difficulty.objects.get(pk=at_county.pk).status == DifficultyStatus.ESCALATED


def test_escalating_from_the_city_window_is_refused_with_a_message(world, login, at_county):
    actions.escalate_difficulty(at_county, note="报市", by=world.chen_jing, at=world.at)
    client = login(world.zhou_min)

    page = client.get(f"/outreach/difficulties/{at_county.pk}/").content.decode()
    response = client.post(
        f"/outreach/difficulties/{at_county.pk}/escalate/", {"escalate-note": "再报"}, follow=True
    )

    assert 'id="step-escalate"' not in page  # no form offered at the top
    assert "市级窗口已是最高一级，不能再上报；请直接答复。" in response.content.decode()


def test_an_unknown_step_is_404(world, login, at_county):
    assert login(world.chen_jing).post(f"/outreach/difficulties/{at_county.pk}/accept/").status_code == 404


def test_a_talent_reports_a_difficulty_from_their_phone(world, login):
    client = login(world.li_ming_user)
    form = client.get("/outreach/difficulties/new/").content.decode()

    response = client.post(
        "/outreach/difficulties/new/",
        {"kind": "suggestion", "category": "life", "content": "希望增加人才公寓周边班车。"},
    )

    difficulty = Difficulty.objects.get()
    assert 'name="talent"' not in form  # they report for themself
    assert 'name="viewport"' in form
    assert response["Location"] == f"/outreach/difficulties/{difficulty.pk}/"
    assert (difficulty.talent, difficulty.kind, difficulty.recorded_by) == (
        world.li_ming,
        "suggestion",
        world.li_ming_user,
    )


def test_an_empty_report_is_refused_and_nothing_is_recorded(world, login):
    response = login(world.wang_fang).post(
        "/outreach/difficulties/new/",
        {"talent": world.li_ming.pk, "kind": "difficulty", "category": "work", "content": ""},
    )

    assert response.status_code == 200
    assert "请填写困难或意见建议的内容。" in response.content.decode()
    assert not Difficulty.objects.exists()


def test_a_commissioner_cannot_record_for_a_talent_they_cannot_see(world, login):
    response = login(world.qian_hui).post(
        "/outreach/difficulties/new/",
        {"talent": world.li_ming.pk, "kind": "difficulty", "category": "work", "content": "越权登记"},
    )

    assert response.status_code == 200
    assert "未找到该人才，或您无权为其登记。" in response.content.decode()
    assert not Difficulty.objects.exists()


def test_the_register_filters_by_status_kind_and_what_is_mine(world, login, at_county):
    record(world, content="建议开通人才专线。", kind="suggestion")
    client = login(world.chen_jing)

    escalated = client.get("/outreach/?status=escalated").content.decode()
    suggestions = client.get("/outreach/?kind=suggestion").content.decode()
    mine = client.get("/outreach/?mine=1").content.decode()

    assert "子女入学需要协调" in escalated and "建议开通人才专线" not in escalated
    assert "建议开通人才专线" in suggestions and "子女入学需要协调" not in suggestions
    assert "子女入学需要协调" in mine and "建议开通人才专线" not in mine  # the suggestion is wang_fang's


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_register_query_count_does_not_grow_with_its_rows(world, login, django_assert_max_num_queries):
    client = login(world.chen_jing)
    for n in range(2):
        record(world, content=f"困难{n}")
    few = _queries(client, "/outreach/")
    for n in range(8):
        difficulty = record(world, content=f"更多困难{n}")
        actions.escalate_difficulty(difficulty, note="报窗口", by=world.wang_fang, at=world.at)

    with django_assert_max_num_queries(few):
        response = client.get("/outreach/")

    assert response.content.decode().count("/outreach/difficulties/") >= 10


def test_the_register_is_paginated(world, login):
    for n in range(27):
        record(world, content=f"困难{n}")

    response = login(world.wang_fang).get("/outreach/?page=2")

    assert "第 2 / 2 页，共 27 条" in response.content.decode()


# --- check-in rounds --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["li_ming_user", "wang_fang", "zhao_qiang"])
def test_round_pages_are_for_windows(world, login, persona):
    client = login(getattr(world, persona))

    assert client.get("/outreach/checkins/").status_code == 403
    assert client.get("/outreach/checkins/new/").status_code == 403


def test_a_window_opens_a_round_and_follows_its_progress(world, login):
    client = login(world.chen_jing)

    response = client.post(
        "/outreach/checkins/new/", {"window": world.windows["兰山区"].pk, "title": "二季度调度"}
    )
    checkin_round = CheckinRound.objects.get()
    detail = client.get(f"/outreach/checkins/{checkin_round.pk}/").content.decode()
    listing = client.get("/outreach/checkins/").content.decode()

    assert response["Location"] == f"/outreach/checkins/{checkin_round.pk}/"
    assert '<b id="progress">0 / 1</b>' in detail
    assert "0 / 1" in listing


def test_a_second_open_round_is_refused_on_the_form(world, login, open_round):
    response = login(world.chen_jing).post(
        "/outreach/checkins/new/", {"window": world.windows["兰山区"].pk, "title": "重复"}
    )

    assert "该窗口已有进行中的状态调度，请先结束后再发起新一轮。" in response.content.decode()
    assert CheckinRound.objects.count() == 1


def test_another_countys_window_does_not_see_the_round_and_the_city_sees_but_does_not_close_it(
    world, login, open_round
):
    outsider = login(world.sun_lei)
    city = login(world.zhou_min)

    assert outsider.get(f"/outreach/checkins/{open_round.pk}/").status_code == 404
    assert outsider.post(f"/outreach/checkins/{open_round.pk}/close/").status_code == 404
    assert city.get(f"/outreach/checkins/{open_round.pk}/").status_code == 200
    assert city.post(f"/outreach/checkins/{open_round.pk}/close/").status_code == 403
    assert CheckinRound.objects.get().status == "open"


def test_closing_marks_the_unanswered(world, login, open_round):
    response = login(world.chen_jing).post(f"/outreach/checkins/{open_round.pk}/close/", follow=True)

    assert "本轮调度已结束，1 位人才未答复。" in response.content.decode()
    assert open_round.entries.get().status == EntryStatus.NO_ANSWER


def test_the_unit_commissioner_answers_with_one_click(world, login, open_round):
    client = login(world.wang_fang)
    entry = open_round.entries.get()
    page = client.get("/outreach/checkins/pending/").content.decode()

    response = client.post(
        f"/outreach/checkins/entries/{entry.pk}/answer/",
        {
            f"e{entry.pk}-employment_status": "employed",
            f"e{entry.pk}-lives_in_linyi": "1",
            f"e{entry.pk}-note": "",
        },
    )

    assert "李明" in page and 'value="employed"' in page
    assert response["Location"] == "/outreach/checkins/pending/"
    assert CheckinEntry.objects.get(pk=entry.pk).status == EntryStatus.ANSWERED
    assert Talent.objects.get(pk=world.li_ming.pk).employment_confirmed_date is not None


def test_the_talent_answers_their_own_entry_with_htmx_and_gets_the_row_back(world, login, open_round):
    entry = open_round.entries.get()

    response = login(world.li_ming_user).post(
        f"/outreach/checkins/entries/{entry.pk}/answer/",
        {f"e{entry.pk}-employment_status": "left", f"e{entry.pk}-lives_in_linyi": "0"},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="entry-{entry.pk}"' in body and "已答复：已离职，不在临沂居住" in body
    assert "<html" not in body
    assert TalentStatusChange.objects.get().by == world.li_ming_user
    assert Difficulty.objects.get().kind == "status_change"


def test_answering_a_closed_rounds_entry_shows_the_reason_and_changes_nothing(world, login, open_round):
    entry = open_round.entries.get()
    actions.close_checkin_round(open_round, by=world.chen_jing, at=world.at)

    response = login(world.wang_fang).post(
        f"/outreach/checkins/entries/{entry.pk}/answer/",
        {f"e{entry.pk}-employment_status": "left", f"e{entry.pk}-lives_in_linyi": "0"},
        follow=True,
    )

    assert "本轮调度已结束，不能再答复。" in response.content.decode()
    assert not TalentStatusChange.objects.exists()


def test_entries_are_404_to_outsiders_and_403_to_the_window(world, login, open_round):
    entry = open_round.entries.get()
    data = {f"e{entry.pk}-employment_status": "employed", f"e{entry.pk}-lives_in_linyi": "1"}

    assert (
        login(world.qian_hui).post(f"/outreach/checkins/entries/{entry.pk}/answer/", data).status_code == 404
    )
    assert (
        login(world.chen_jing).post(f"/outreach/checkins/entries/{entry.pk}/answer/", data).status_code == 403
    )
    assert login(world.chen_jing).get("/outreach/checkins/pending/").status_code == 403
    assert CheckinEntry.objects.get(pk=entry.pk).status == EntryStatus.PENDING


def test_round_pages_query_counts_do_not_grow_with_rounds_or_entries(
    world, login, django_assert_max_num_queries
):
    from huicai.core.identifiers import make_mobile, make_resident_id
    from huicai.talents.actions import register_talent

    client = login(world.chen_jing)
    first = actions.open_checkin_round(
        window=world.windows["兰山区"], title="第1轮", by=world.chen_jing, at=world.at
    )
    few_rounds = _queries(client, "/outreach/checkins/")
    few_entries = _queries(client, f"/outreach/checkins/{first.pk}/")
    wang_fang = login(world.wang_fang)
    few_pending = _queries(wang_fang, "/outreach/checkins/pending/")
    actions.close_checkin_round(first, by=world.chen_jing, at=world.at)
    for n in range(6):
        register_talent(
            by=world.chen_jing,
            at=world.at,
            unit_commissioner=world.wang_fang_post,
            name=f"人才{n}",
            id_number=make_resident_id("372822", datetime.date(1980, 1, 1 + n), 60 + n),
            category=world.category_c,
            employer=world.linyi_pharma,
            home_window=world.windows["兰山区"],
            mobile=make_mobile(42345678 + n),
        )
    for n in range(2, 6):
        checkin_round = actions.open_checkin_round(
            window=world.windows["兰山区"], title=f"第{n}轮", by=world.chen_jing, at=world.at
        )
        if n < 5:
            actions.close_checkin_round(checkin_round, by=world.chen_jing, at=world.at)

    with django_assert_max_num_queries(few_rounds):
        client.get("/outreach/checkins/")
    with django_assert_max_num_queries(few_entries):
        detail = client.get(f"/outreach/checkins/{checkin_round.pk}/")
    with django_assert_max_num_queries(few_pending):
        pending = wang_fang.get("/outreach/checkins/pending/")

    assert '<b id="progress">0 / 7</b>' in detail.content.decode()
    assert pending.content.decode().count('class="card entry"') == 7


def test_the_window_records_the_catalogue_change_from_the_detail_page(reach, login):
    world = reach.world
    difficulty = record(world)
    actions.escalate_difficulty(difficulty, note="报窗口", by=world.wang_fang, at=world.at)
    client = login(world.chen_jing)

    response = client.post(
        f"/outreach/difficulties/{difficulty.pk}/link-catalogue/",
        {"link-catalogue-item": reach.health_item.pk, "link-catalogue-version_number": "1"},
    )
    missing = client.post(
        f"/outreach/difficulties/{difficulty.pk}/link-catalogue/",
        {"link-catalogue-item": reach.health_item.pk, "link-catalogue-version_number": "7"},
        follow=True,
    )

    assert response.status_code == 302
    assert Difficulty.objects.get(pk=difficulty.pk).catalogue_version == reach.health_item.published_version
    assert "该服务事项没有第 7 版。" in missing.content.decode()
    assert (
        login(world.wang_fang)
        .post(
            f"/outreach/difficulties/{difficulty.pk}/link-catalogue/",
            {"link-catalogue-item": reach.health_item.pk},
        )
        .status_code
        == 403
    )
