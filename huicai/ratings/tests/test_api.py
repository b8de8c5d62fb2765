"""/api/v1/ratings/ and /api/v1/rectifications/: the same actions as the pages, with the shared error
format (400 rule, 403 role, 404 out of scope, 409 state or stale copy)."""

import datetime

import pytest
import time_machine

from huicai.api.tests.conformance import errors_against_schema
from huicai.ratings import actions
from huicai.ratings.choices import RectificationStatus
from huicai.ratings.models import Rating, Rectification
from huicai.ratings.tests.conftest import completed_task, later, rate, rate_badly, serve

GOOD = {
    "mode": "offline",
    "overall": 5,
    "efficiency": 5,
    "service_level": 4,
    "attitude": 5,
    "comment": "好。",
}


@pytest.fixture
def now(world):
    with time_machine.travel(later(world, days=1), tick=False) as traveller:
        yield traveller


def post(client, url, data, **headers):
    return client.post(url, data, content_type="application/json", headers=headers)


# --- ratings -----------------------------------------------------------------------------------------


def test_the_talent_creates_a_rating_of_a_task(case, task, now, login):
    client = login(case.world.li_ming_user)

    response = post(client, "/api/v1/ratings/", {**GOOD, "task": task.pk})

    assert response.status_code == 201
    body = response.json()
    assert body["channel"] == "platform"
    assert body["channel_display"] == "人才本人"
    assert body["department_name"] == case.world.departments["市公安局"].name
    assert body["rated_commissioner"] == "赵强"
    assert "rated_by" not in body
    assert Rating.objects.get().task == task


def test_the_talent_creates_a_rating_of_a_direct_service(direct, login):
    world = direct.world
    service = serve(direct)
    client = login(world.li_ming_user)

    with time_machine.travel(later(world, hours=1), tick=False):
        response = post(client, "/api/v1/ratings/", {**GOOD, "direct_service": service.pk})

    assert response.status_code == 201
    assert response.json()["direct_service"] == service.pk


def test_a_retried_create_with_the_same_idempotency_key_creates_one_rating(case, task, now, login):
    client = login(case.world.li_ming_user)

    first = post(client, "/api/v1/ratings/", {**GOOD, "task": task.pk}, **{"Idempotency-Key": "r-1"})
    again = post(client, "/api/v1/ratings/", {**GOOD, "task": task.pk}, **{"Idempotency-Key": "r-1"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Rating.objects.count() == 1


def test_a_duplicate_is_409_with_the_reason(case, task, now, login):
    client = login(case.world.li_ming_user)
    post(client, "/api/v1/ratings/", {**GOOD, "task": task.pk})

    response = post(client, "/api/v1/ratings/", {**GOOD, "task": task.pk})

    assert response.status_code == 409
    assert response.json()["message"] == "您已评价过此服务，不能重复评价。"


def test_outside_the_period_is_400_with_the_reason(case, task, login):
    client = login(case.world.li_ming_user)

    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC), tick=False):
        response = post(client, "/api/v1/ratings/", {**GOOD, "task": task.pk})

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == [
        "已超过评价期限：服务完成后 5 个工作日内可以评价（截至 2026-03-09）。"
    ]
    assert not Rating.objects.exists()


def test_a_missing_indicator_is_400(case, task, now, login):
    client = login(case.world.li_ming_user)

    response = post(client, "/api/v1/ratings/", {"task": task.pk, "mode": "online", "overall": 5})

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["请评价“办事效率”。"]


def test_a_task_out_of_scope_is_refused_and_a_window_that_sees_it_may_not_rate(case, task, now, login):
    world = case.world

    outsider = post(login(world.sun_lei), "/api/v1/ratings/", {**GOOD, "task": task.pk})
    window = post(login(world.chen_jing), "/api/v1/ratings/", {**GOOD, "task": task.pk})

    assert outsider.status_code == 400
    assert outsider.json()["errors"]["task"] == ["未找到该任务，或您无权评价。"]
    assert window.status_code == 403
    assert not Rating.objects.exists()


def test_the_list_is_scoped(case, task, login):
    world = case.world
    rate(task, by=world.wang_fang, at=later(world, days=1))

    seen = {
        persona: login(getattr(world, persona)).get("/api/v1/ratings/").json()["count"]
        for persona in (
            "li_ming_user",
            "wang_fang",
            "zhao_qiang",
            "chen_jing",
            "zhou_min",
            "sun_lei",
            "qian_hui",
        )
    }

    assert seen == {
        "li_ming_user": 1,
        "wang_fang": 1,
        "zhao_qiang": 1,
        "chen_jing": 1,
        "zhou_min": 1,
        "sun_lei": 0,
        "qian_hui": 0,
    }
    assert login(world.sun_lei).get(f"/api/v1/ratings/{Rating.objects.get().pk}/").status_code == 404


@pytest.mark.parametrize("count", [1, 4])
def test_the_rating_list_takes_the_same_queries_however_many_rows(
    case, login, django_assert_num_queries, count
):
    world = case.world
    for _ in range(count):
        rate_badly(completed_task(case), by=world.li_ming_user, at=later(world, days=1))
    client = login(world.zhao_qiang)

    with django_assert_num_queries(9):
        response = client.get("/api/v1/ratings/")

    assert response.json()["count"] == count


def test_pending_lists_what_the_caller_may_still_rate(case, task, now, login):
    body = login(case.world.wang_fang).get("/api/v1/ratings/pending/").json()

    assert body["count"] == 1
    (entry,) = body["results"]
    assert (entry["kind"], entry["id"], entry["channel"]) == ("task", task.pk, "unit")
    assert entry["deadline"] == "2026-03-09"


# --- rectifications ----------------------------------------------------------------------------------


@pytest.fixture
def opened(case, task):
    world = case.world
    return rate_badly(task, by=world.wang_fang, at=later(world, days=1)).rectification


def test_the_loop_over_the_api(case, opened, now, login):
    world = case.world
    department = login(world.zhao_qiang)
    window = login(world.chen_jing)

    detail = department.get(f"/api/v1/rectifications/{opened.pk}/").json()
    answered = post(
        department,
        f"/api/v1/rectifications/{opened.pk}/respond/",
        {"kind": "by_date", "note": "将于月底前优化。", "promised_date": "2026-03-31"},
    )
    called = post(
        window, f"/api/v1/rectifications/{opened.pk}/callback/", {"result": "satisfied", "note": "满意。"}
    )

    assert detail["events"][0]["by"] == "单位专员代评"
    assert (
        errors_against_schema(
            department.get(f"/api/v1/rectifications/{opened.pk}/"), "GET", "/api/v1/rectifications/{id}/"
        )
        == []
    )
    assert "王芳" not in str(detail)
    assert answered.status_code == 200
    assert answered.json()["status"] == "responded"
    assert answered.json()["promised_date"] == "2026-03-31"
    assert called.status_code == 200
    assert called.json()["status"] == "closed"


def test_appeal_and_ruling_over_the_api(case, opened, now, login):
    world = case.world
    department = login(world.zhao_qiang)

    appealed = post(
        department,
        f"/api/v1/rectifications/{opened.pk}/appeal/",
        {"reason": "评价对象错误。", "evidence": "系统日志。"},
    )
    ruled = post(
        login(world.chen_jing),
        f"/api/v1/rectifications/{opened.pk}/rule/",
        {"ruling": "upheld", "note": "属实。"},
    )
    talent_view = login(world.li_ming_user).get(f"/api/v1/rectifications/{opened.pk}/").json()

    assert appealed.json()["status"] == "appealed"
    assert ruled.json()["status"] == "voided"
    assert ruled.json()["appeal_reason"] == "评价对象错误。"
    assert ruled.json()["ratings"][0]["counted"] is False
    assert "appeal_reason" not in talent_view
    assert all(event["note"] != "评价对象错误。" for event in talent_view["events"])


def test_a_step_the_state_no_longer_allows_is_409_and_a_stale_version_is_409(case, opened, now, login):
    world = case.world
    department = login(world.zhao_qiang)

    stale = post(
        department,
        f"/api/v1/rectifications/{opened.pk}/respond/",
        {"kind": "immediate", "note": "已整改。"},
        **{"If-Match": str(opened.version + 5)},
    )
    early_callback = post(
        login(world.chen_jing), f"/api/v1/rectifications/{opened.pk}/callback/", {"result": "satisfied"}
    )

    assert stale.status_code == 409
    assert early_callback.status_code == 409
    assert early_callback.json()["message"].startswith("整改当前状态为“待部门核实整改”")
    assert Rectification.objects.get().status == RectificationStatus.OPEN


def test_a_rule_refused_is_400_with_the_reason(case, opened, now, login):
    response = post(
        login(case.world.zhao_qiang),
        f"/api/v1/rectifications/{opened.pk}/respond/",
        {"kind": "by_date", "note": "将优化。"},
    )

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["限期整改须填写承诺完成日期。"]


def test_wrong_roles_get_403_and_outsiders_404(case, opened, now, login):
    world = case.world

    talent = post(login(world.li_ming_user), f"/api/v1/rectifications/{opened.pk}/respond/", {})
    window = post(login(world.chen_jing), f"/api/v1/rectifications/{opened.pk}/respond/", {})
    department = post(login(world.zhao_qiang), f"/api/v1/rectifications/{opened.pk}/rule/", {})
    outsiders = [
        login(user).get(f"/api/v1/rectifications/{opened.pk}/").status_code
        for user in (world.sun_lei, world.qian_hui, case.housing_commissioner)
    ]
    outsider_step = post(login(world.sun_lei), f"/api/v1/rectifications/{opened.pk}/callback/", {})

    assert (talent.status_code, window.status_code, department.status_code) == (403, 403, 403)
    assert outsiders == [404, 404, 404]
    assert outsider_step.status_code == 404


def test_the_rectification_list_is_scoped(case, opened, login):
    world = case.world

    counts = {
        persona: login(getattr(world, persona)).get("/api/v1/rectifications/").json()["count"]
        for persona in ("zhao_qiang", "chen_jing", "zhou_min", "li_ming_user", "sun_lei")
    }

    assert counts == {"zhao_qiang": 1, "chen_jing": 1, "zhou_min": 1, "li_ming_user": 1, "sun_lei": 0}
    assert login(case.housing_commissioner).get("/api/v1/rectifications/").json()["count"] == 0


@pytest.mark.parametrize("count", [1, 4])
def test_the_rectification_list_takes_the_same_queries_however_many_rows(
    case, login, django_assert_num_queries, count
):
    world = case.world
    for _ in range(count):
        rate_badly(completed_task(case), by=world.li_ming_user, at=later(world, days=1))
    client = login(world.zhao_qiang)

    with django_assert_num_queries(9):
        response = client.get("/api/v1/rectifications/")

    assert response.json()["count"] == count


def test_an_upheld_ruling_by_the_served_window_commissioner_is_refused_over_the_api(direct, login):
    world = direct.world
    service = serve(direct, by=world.chen_jing, place="兰山区人才服务窗口")
    rectification = rate_badly(
        direct_service=service, by=world.li_ming_user, at=later(world, hours=1)
    ).rectification
    actions.appeal_rectification(
        rectification, reason="不实。", evidence="录像。", by=world.zhao_qiang, at=later(world, hours=2)
    )

    with time_machine.travel(later(world, hours=3), tick=False):
        response = post(
            login(world.chen_jing),
            f"/api/v1/rectifications/{rectification.pk}/rule/",
            {"ruling": "upheld", "note": "x"},
        )

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["不能裁定针对本人工作的申诉。"]
