"""The REST API: /api/v1/difficulties/, /api/v1/checkin-rounds/, /api/v1/checkin-entries/.

Bad input is 400 with Chinese messages, a refused state 409, seen-but-not-yours 403, unseen 404; lists
are scoped, paginated, and their query counts do not grow with their rows.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huicai.outreach import actions
from huicai.outreach.choices import DifficultyStatus, EntryStatus
from huicai.outreach.models import CheckinRound, Difficulty, TalentStatusChange
from huicai.outreach.tests.conftest import at_city, record


def post(client, url, data=None, **extra):
    return client.post(url, data or {}, content_type="application/json", **extra)


def test_a_unit_commissioner_records_and_escalates_through_the_api(world, login):
    client = login(world.wang_fang)

    created = post(
        client,
        "/api/v1/difficulties/",
        {
            "talent": world.li_ming.pk,
            "kind": "difficulty",
            "category": "housing",
            "content": "人才公寓维修不及时。",
        },
    )
    pk = created.json()["id"]
    escalated = post(client, f"/api/v1/difficulties/{pk}/escalate/", {"note": "请窗口协调物业。"})

    assert created.status_code == 201
    assert created.json()["holder_level"] == "unit"
    assert created.json()["allowed_steps"] == ["start", "escalate", "respond"]
    assert escalated.status_code == 200
    assert (escalated.json()["status"], escalated.json()["holder"]) == (
        "escalated",
        "兰山区高层次人才服务窗口",
    )
    assert [e["action"] for e in escalated.json()["events"]] == ["record", "escalate"]


def test_a_create_retried_with_the_same_idempotency_key_records_once(world, login):
    client = login(world.li_ming_user)
    body = {
        "talent": world.li_ming.pk,
        "kind": "suggestion",
        "category": "transport",
        "content": "增加班车。",
    }

    first = post(client, "/api/v1/difficulties/", body, headers={"Idempotency-Key": "abc-1"})
    again = post(client, "/api/v1/difficulties/", body, headers={"Idempotency-Key": "abc-1"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Difficulty.objects.count() == 1


@pytest.mark.parametrize(
    "body, field, message",
    [
        (
            {"kind": "difficulty", "category": "work", "content": ""},
            "non_field_errors",
            "请填写困难或意见建议的内容。",
        ),
        ({"kind": "status_change", "category": "work", "content": "x"}, "kind", None),
        ({"kind": "difficulty", "category": "nope", "content": "x"}, "category", None),
    ],
)
def test_bad_input_is_400_with_chinese_errors_and_records_nothing(world, login, body, field, message):
    response = post(login(world.wang_fang), "/api/v1/difficulties/", {"talent": world.li_ming.pk, **body})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["errors"]
    if message:
        assert response.json()["errors"][field] == [message]
    assert not Difficulty.objects.exists()


def test_recording_for_an_unseen_talent_is_refused(world, login):
    response = post(
        login(world.sun_lei),
        "/api/v1/difficulties/",
        {"talent": world.li_ming.pk, "kind": "difficulty", "category": "work", "content": "越权"},
    )

    assert response.status_code == 400
    assert response.json()["errors"]["talent"] == ["未找到该人才，或您无权为其登记。"]


def test_escalating_from_the_city_window_is_409(world, login):
    difficulty = at_city(world)

    response = post(
        login(world.zhou_min), f"/api/v1/difficulties/{difficulty.pk}/escalate/", {"note": "再报"}
    )

    assert response.status_code == 409
    assert response.json() == {
        "code": "invalid_transition",
        "message": "市级窗口已是最高一级，不能再上报；请直接答复。",
    }


def test_responding_to_a_closed_difficulty_is_409_and_changes_nothing(world, login):
    difficulty = record(world)
    actions.respond_to_difficulty(difficulty, response="已处理。", by=world.wang_fang, at=world.at)
    actions.close_difficulty(difficulty, by=world.wang_fang, at=world.at)

    response = post(
        login(world.wang_fang), f"/api/v1/difficulties/{difficulty.pk}/respond/", {"response": "再答"}
    )

    assert response.status_code == 409
    assert response.json()["message"] == "该事项已关闭，不能再答复。"
    assert Difficulty.objects.get(pk=difficulty.pk).response == "已处理。"


def test_respond_then_close_through_the_api(world, login):
    difficulty = at_city(world)
    city = login(world.zhou_min)

    responded = post(
        city, f"/api/v1/difficulties/{difficulty.pk}/respond/", {"response": "已协调。", "resolved": True}
    )
    closed = post(login(world.li_ming_user), f"/api/v1/difficulties/{difficulty.pk}/close/")

    assert responded.json()["status"] == DifficultyStatus.RESOLVED
    assert closed.status_code == 200
    assert closed.json()["status"] == DifficultyStatus.CLOSED


def test_the_talent_may_not_respond_403_and_an_outsider_gets_404(world, login):
    difficulty = record(world)

    talent = post(
        login(world.li_ming_user), f"/api/v1/difficulties/{difficulty.pk}/respond/", {"response": "x"}
    )
    outsider = login(world.sun_lei)

    assert talent.status_code == 403
    assert talent.json()["code"] == "permission_denied"
    assert outsider.get(f"/api/v1/difficulties/{difficulty.pk}/").status_code == 404
    assert post(outsider, f"/api/v1/difficulties/{difficulty.pk}/escalate/", {"note": "x"}).status_code == 404
    assert outsider.get("/api/v1/difficulties/").json()["count"] == 0


def test_linking_a_catalogue_change_through_the_api(reach, login):
    world = reach.world
    difficulty = at_city(world)

    response = post(
        login(world.zhou_min),
        f"/api/v1/difficulties/{difficulty.pk}/link-catalogue/",
        {"item": reach.health_item.pk, "version": 1, "note": "优化医疗保健事项"},
    )
    missing = post(
        login(world.zhou_min),
        f"/api/v1/difficulties/{difficulty.pk}/link-catalogue/",
        {"item": reach.health_item.pk, "version": 9},
    )

    assert response.status_code == 200
    assert (response.json()["catalogue_item_code"], response.json()["catalogue_version"]) == (
        "LY-YL-001",
        reach.health_item.published_version_id,
    )
    assert missing.status_code == 400
    assert missing.json()["errors"]["version"] == ["该服务事项没有此版本。"]


def test_each_role_lists_only_what_it_may_see(reach, login):
    world = reach.world
    from_talent = record(world)
    from_department = record(world, by=world.zhao_qiang, content="部门登记")
    from_hospital = record(world, by=world.he_ping, content="医院登记")

    def listed(user):
        return {row["id"] for row in login(user).get("/api/v1/difficulties/").json()["results"]}

    everything = {from_talent.pk, from_department.pk, from_hospital.pk}
    assert listed(world.li_ming_user) == everything
    assert listed(world.wang_fang) == everything
    assert listed(world.chen_jing) == everything
    assert listed(world.zhao_qiang) == {from_department.pk}
    assert listed(reach.qin_wei) == {from_hospital.pk}
    assert listed(world.he_ping) == {from_hospital.pk}
    assert listed(world.sun_lei) == set()


def test_the_list_filters_by_status_kind_and_mine(world, login):
    escalated = record(world)
    actions.escalate_difficulty(escalated, note="报窗口", by=world.wang_fang, at=world.at)
    suggestion = record(world, kind="suggestion", content="建议")
    client = login(world.chen_jing)

    def ids(query):
        return [row["id"] for row in client.get(f"/api/v1/difficulties/?{query}").json()["results"]]

    assert ids("status=escalated") == [escalated.pk]
    assert ids("kind=suggestion") == [suggestion.pk]
    assert ids("mine=1") == [escalated.pk]
    assert ids("status=pending") == [suggestion.pk, escalated.pk]


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_difficulty_list_query_count_does_not_grow(world, login, django_assert_max_num_queries):
    client = login(world.chen_jing)
    record(world)
    few = _queries(client, "/api/v1/difficulties/")
    for n in range(8):
        difficulty = record(world, content=f"困难{n}")
        actions.escalate_difficulty(difficulty, note="报窗口", by=world.wang_fang, at=world.at)
        actions.respond_to_difficulty(difficulty, response="答复", by=world.chen_jing, at=world.at)

    with django_assert_max_num_queries(few):
        response = client.get("/api/v1/difficulties/")

    assert response.json()["count"] == 9


# --- check-ins --------------------------------------------------------------------------------------


def test_a_window_opens_a_round_and_reads_its_progress(world, login, time_machine):
    time_machine.move_to(world.at)
    client = login(world.chen_jing)

    created = post(client, "/api/v1/checkin-rounds/", {"title": "二季度调度", "due_date": "2026-03-20"})
    listed = client.get("/api/v1/checkin-rounds/").json()

    assert created.status_code == 201
    assert (created.json()["window_name"], created.json()["total"], created.json()["answered"]) == (
        "兰山区高层次人才服务窗口",
        1,
        0,
    )
    assert [row["id"] for row in listed["results"]] == [created.json()["id"]]


def test_a_unit_commissioner_cannot_open_a_round(world, login):
    response = post(
        login(world.wang_fang),
        "/api/v1/checkin-rounds/",
        {"window": world.windows["兰山区"].pk, "title": "越权"},
    )

    assert response.status_code == 403
    assert not CheckinRound.objects.exists()


def test_answering_through_the_api_and_a_closed_round_is_409(world, login):
    checkin_round = actions.open_checkin_round(
        window=world.windows["兰山区"], title="调度", by=world.chen_jing, at=world.at
    )
    entry = checkin_round.entries.get()
    unit = login(world.wang_fang)

    listed = unit.get("/api/v1/checkin-entries/?open=1").json()
    answered = post(
        unit,
        f"/api/v1/checkin-entries/{entry.pk}/answer/",
        {"employment_status": "employed", "lives_in_linyi": True},
    )
    closed = post(login(world.chen_jing), f"/api/v1/checkin-rounds/{checkin_round.pk}/close/")
    late = post(
        unit,
        f"/api/v1/checkin-entries/{entry.pk}/answer/",
        {"employment_status": "left", "lives_in_linyi": False},
    )

    assert [row["id"] for row in listed["results"]] == [entry.pk]
    assert (answered.status_code, answered.json()["status"]) == (200, EntryStatus.ANSWERED)
    assert (closed.status_code, closed.json()["status"], closed.json()["answered"]) == (200, "closed", 1)
    assert late.status_code == 409
    assert late.json()["message"] == "本轮调度已结束，不能再答复。"
    assert TalentStatusChange.objects.count() == 1


def test_an_answer_missing_a_field_is_400(world, login):
    checkin_round = actions.open_checkin_round(
        window=world.windows["兰山区"], title="调度", by=world.chen_jing, at=world.at
    )
    entry = checkin_round.entries.get()

    response = post(
        login(world.wang_fang),
        f"/api/v1/checkin-entries/{entry.pk}/answer/",
        {"employment_status": "employed"},
    )

    assert response.status_code == 400
    assert "lives_in_linyi" in response.json()["errors"]


def test_check_in_visibility(world, login):
    lanshan = actions.open_checkin_round(
        window=world.windows["兰山区"], title="兰山", by=world.chen_jing, at=world.at
    )
    luozhuang = actions.open_checkin_round(
        window=world.windows["罗庄区"], title="罗庄", by=world.sun_lei, at=world.at
    )
    entry = lanshan.entries.get()

    def ids(user, url):
        return {row["id"] for row in login(user).get(url).json()["results"]}

    assert ids(world.chen_jing, "/api/v1/checkin-rounds/") == {lanshan.pk}
    assert ids(world.zhou_min, "/api/v1/checkin-rounds/") == {lanshan.pk, luozhuang.pk}
    assert ids(world.wang_fang, "/api/v1/checkin-rounds/") == set()
    assert ids(world.li_ming_user, "/api/v1/checkin-entries/") == {entry.pk}
    assert ids(world.sun_lei, "/api/v1/checkin-entries/") == {luozhuang.entries.get().pk}
    assert login(world.sun_lei).get(f"/api/v1/checkin-entries/{entry.pk}/").status_code == 404
    assert login(world.sun_lei).get(f"/api/v1/checkin-rounds/{lanshan.pk}/").status_code == 404
    window_answer = post(
        login(world.chen_jing),
        f"/api/v1/checkin-entries/{entry.pk}/answer/",
        {"employment_status": "employed", "lives_in_linyi": True},
    )
    assert window_answer.status_code == 403


def test_check_in_list_query_counts_do_not_grow(world, login, django_assert_max_num_queries):
    city = login(world.zhou_min)
    actions.open_checkin_round(window=world.windows["兰山区"], title="兰山", by=world.chen_jing, at=world.at)
    few_rounds = _queries(city, "/api/v1/checkin-rounds/")
    few_entries = _queries(city, "/api/v1/checkin-entries/")
    actions.open_checkin_round(window=world.windows["罗庄区"], title="罗庄", by=world.sun_lei, at=world.at)
    actions.open_checkin_round(window=world.windows["临沂市"], title="全市", by=world.zhou_min, at=world.at)

    with django_assert_max_num_queries(few_rounds):
        rounds = city.get("/api/v1/checkin-rounds/")
    with django_assert_max_num_queries(few_entries):
        entries = city.get("/api/v1/checkin-entries/")

    assert rounds.json()["count"] == 3
    assert entries.json()["count"] == 4
