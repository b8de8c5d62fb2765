"""The supervision API: the same actions as the pages, scoped lists with pinned query counts, explicit
fields, and errors through the shared handler (400 refused, 403 wrong role, 404 out of reach, 409 state)."""

import datetime

import pytest

from huicai.supervision import actions
from huicai.supervision.choices import OrderStatus, RoundStatus
from huicai.supervision.jobs import issue_cards
from huicai.supervision.models import Round, SupervisionOrder
from huicai.supervision.tests.conftest import accepted_task, local

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def order(case, task):
    return actions.raise_order(
        task, content="请说明进展", due_in_days=1, by=case.world.chen_jing, at=case.world.at
    )


@pytest.fixture
def round_(case, task):
    return actions.open_round(
        window=case.world.windows["兰山区"],
        title="调度",
        answer_due_date=datetime.date(2026, 3, 4),
        by=case.world.chen_jing,
        at=case.world.at,
    )


# --- orders -----------------------------------------------------------------------------------------


def test_a_window_creates_an_order_and_a_retry_with_the_same_key_creates_nothing_more(case, task, login):
    client = login(case.world.chen_jing)
    body = {"task": task.pk, "content": "请加快办理", "due_in_days": 2}

    first = client.post(
        "/api/v1/supervision-orders/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )
    again = client.post(
        "/api/v1/supervision-orders/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1"
    )

    assert first.status_code == 201
    data = first.json()
    assert set(data) == {
        "id",
        "task",
        "task_number",
        "talent_name",
        "department",
        "department_name",
        "window",
        "window_name",
        "content",
        "due_date",
        "status",
        "status_display",
        "is_overdue",
        "raised_at",
        "response",
        "responded_at",
        "review_note",
        "closed_at",
    }
    assert (data["status"], data["due_date"], data["talent_name"]) == ("open", "2026-03-05", "李明")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert SupervisionOrder.objects.count() == 1


def test_a_create_with_a_day_off_is_a_400_with_the_reason(case, task, login):
    response = login(case.world.chen_jing).post(
        "/api/v1/supervision-orders/",
        {"task": task.pk, "content": "请加快", "due_date": "2026-03-07"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "non_field_errors": ["答复期限 2026-03-07 不是工作日，请选择工作日。"]
    }


def test_a_create_on_a_task_out_of_reach_is_refused_as_not_found(case, task, login):
    response = login(case.world.sun_lei).post(
        "/api/v1/supervision-orders/",
        {"task": task.pk, "content": "越权", "due_in_days": 1},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"task": ["未找到该任务，或您无权督办。"]}


def test_a_department_may_not_create_an_order(case, task, login):
    response = login(case.police).post(
        "/api/v1/supervision-orders/",
        {"task": task.pk, "content": "自己督办自己", "due_in_days": 1},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_respond_then_responding_again_is_a_409_with_the_reason(case, order, login):
    client = login(case.police)

    first = client.post(
        f"/api/v1/supervision-orders/{order.pk}/respond/",
        {"response": "明日办结"},
        content_type="application/json",
    )
    second = client.post(
        f"/api/v1/supervision-orders/{order.pk}/respond/",
        {"response": "补充"},
        content_type="application/json",
    )

    assert first.status_code == 200 and first.json()["status"] == OrderStatus.ANSWERED
    assert second.status_code == 409
    assert second.json() == {
        "code": "invalid_transition",
        "message": "该督办事项已答复，正在等待窗口确认，不能重复答复。",
    }


def test_the_window_closes_or_reopens_through_the_api(case, order, login):
    actions.respond_to_order(order, response="明日办结", by=case.police, at=case.world.at)
    client = login(case.world.chen_jing)

    reopened = client.post(
        f"/api/v1/supervision-orders/{order.pk}/close/",
        {"accept": False, "note": "请写明日期", "due_in_days": 1},
        content_type="application/json",
    )
    actions.respond_to_order(order, response="3月5日办结", by=case.police, at=case.world.at)
    closed = client.post(
        f"/api/v1/supervision-orders/{order.pk}/close/", {"accept": True}, content_type="application/json"
    )

    assert reopened.status_code == 200
    assert (reopened.json()["status"], reopened.json()["due_date"]) == ("open", "2026-03-04")
    assert closed.status_code == 200 and closed.json()["status"] == OrderStatus.CLOSED


def test_the_wrong_role_gets_403_and_an_outsider_404_on_order_steps(case, order, login):
    window = login(case.world.chen_jing)
    department = login(case.police)
    outsider = login(case.world.sun_lei)

    assert (
        window.post(f"/api/v1/supervision-orders/{order.pk}/respond/", {"response": "代答"}).status_code
        == 403
    )
    assert (
        department.post(f"/api/v1/supervision-orders/{order.pk}/close/", {"accept": True}).status_code == 403
    )
    assert (
        department.post(f"/api/v1/supervision-orders/{order.pk}/withdraw/", {"reason": "x"}).status_code
        == 403
    )
    assert outsider.get(f"/api/v1/supervision-orders/{order.pk}/").status_code == 404
    assert (
        outsider.post(f"/api/v1/supervision-orders/{order.pk}/respond/", {"response": "x"}).status_code == 404
    )


def test_the_order_list_is_scoped_and_puts_waiting_orders_first(case, login):
    world = case.world
    first = actions.raise_order(
        accepted_task(case), content="一", due_in_days=1, by=world.chen_jing, at=world.at
    )
    second = actions.raise_order(
        accepted_task(case), content="二", due_in_days=3, by=world.chen_jing, at=world.at
    )
    actions.respond_to_order(first, response="已答", by=case.police, at=world.at)

    mine = login(case.police).get("/api/v1/supervision-orders/").json()
    others = login(case.housing_commissioner).get("/api/v1/supervision-orders/").json()
    outsider = login(world.sun_lei).get("/api/v1/supervision-orders/").json()

    assert [row["id"] for row in mine["results"]] == [second.pk, first.pk]
    assert others["count"] == 0 and outsider["count"] == 0


@pytest.mark.parametrize("count", [1, 5])
def test_the_order_list_query_count_does_not_grow(case, login, django_assert_num_queries, count):
    world = case.world
    for _ in range(count):
        actions.raise_order(
            accepted_task(case), content="请加快", due_in_days=2, by=world.chen_jing, at=world.at
        )
    client = login(world.chen_jing)
    client.get("/api/v1/supervision-orders/")

    with django_assert_num_queries(10):
        response = client.get("/api/v1/supervision-orders/")

    assert response.json()["count"] == count


# --- rounds -----------------------------------------------------------------------------------------


def test_a_window_opens_a_round_and_a_department_answers_then_the_window_closes_it(case, task, login):
    window = login(case.world.chen_jing)
    department = login(case.police)

    created = window.post(
        "/api/v1/rounds/",
        {"title": "三月调度", "answer_due_date": "2026-03-04"},
        content_type="application/json",
    )
    round_id = created.json()["id"]
    entries = department.get(f"/api/v1/rounds/{round_id}/entries/").json()
    entry_id = entries["results"][0]["id"]
    answered = department.post(
        f"/api/v1/rounds/{round_id}/answer/",
        {"entry": entry_id, "progress": "审核中", "expected_date": "2026-03-05"},
        content_type="application/json",
    )
    closed = window.post(f"/api/v1/rounds/{round_id}/close/")

    assert created.status_code == 201
    assert created.json()["window_name"] == case.world.windows["兰山区"].name
    assert created.json()["report"]["totals"]["tasks"] == 1
    assert entries["count"] == 1 and entries["results"][0]["talent_name"] == "李明"
    assert answered.status_code == 200 and answered.json()["progress"] == "审核中"
    assert closed.status_code == 200 and closed.json()["status"] == RoundStatus.CLOSED
    assert closed.json()["report"]["totals"]["answered"] == 1
    assert (
        department.get(f"/api/v1/rounds/{round_id}/").json()["report"] is None
    )  # the report is the window's


def test_round_errors_through_the_shared_handler(case, round_, login):
    department = login(case.police)
    window = login(case.world.chen_jing)
    entry = round_.entries.get()

    forbidden = department.post(f"/api/v1/rounds/{round_.pk}/close/")
    not_mine = login(case.school_commissioner).get(f"/api/v1/rounds/{round_.pk}/")
    no_create = department.post(
        "/api/v1/rounds/", {"title": "x", "answer_due_date": "2026-03-04"}, content_type="application/json"
    )
    twice = window.post(
        "/api/v1/rounds/", {"title": "x", "answer_due_date": "2026-03-04"}, content_type="application/json"
    )
    window.post(f"/api/v1/rounds/{round_.pk}/close/")
    late = department.post(
        f"/api/v1/rounds/{round_.pk}/answer/",
        {"entry": entry.pk, "progress": "迟到"},
        content_type="application/json",
    )

    assert forbidden.status_code == 403
    assert not_mine.status_code == 404
    assert no_create.status_code == 403
    assert twice.status_code == 400
    assert twice.json()["errors"] == {"non_field_errors": ["该窗口已有进行中的调度，请先结束后再发起。"]}
    assert late.status_code == 409 and late.json()["message"] == "本轮调度已结束，不能再答复。"


def test_a_window_cannot_open_a_round_for_a_window_that_is_not_its_own(case, task, login):
    response = login(case.world.chen_jing).post(
        "/api/v1/rounds/",
        {"window": case.world.windows["罗庄区"].pk, "title": "越权", "answer_due_date": "2026-03-04"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"window": ["未找到该窗口，或您无权为其发起调度。"]}
    assert not Round.objects.exists()


@pytest.mark.parametrize("count", [1, 4])
def test_the_round_lists_query_count_does_not_grow(case, login, django_assert_num_queries, count):
    world = case.world
    for _ in range(count):
        accepted_task(case)
    round_ = actions.open_round(
        window=world.windows["兰山区"],
        title="调度",
        answer_due_date=datetime.date(2026, 3, 4),
        by=world.chen_jing,
        at=world.at,
    )
    client = login(case.police)
    client.get("/api/v1/rounds/")

    with django_assert_num_queries(10):
        listing = client.get("/api/v1/rounds/")
    with django_assert_num_queries(11):
        entries = client.get(f"/api/v1/rounds/{round_.pk}/entries/")

    assert listing.json()["count"] == 1
    assert entries.json()["count"] == count


# --- cards ------------------------------------------------------------------------------------------


def test_cards_are_read_only_and_scoped(case, task, login):
    issue_cards(at=local(2026, 3, 6))
    window = login(case.world.chen_jing)

    listing = window.get("/api/v1/cards/").json()
    post = window.post("/api/v1/cards/", {}, content_type="application/json")

    assert listing["count"] == 1
    row = listing["results"][0]
    assert (row["colour"], row["task_number"], row["due_date"], row["issued_on"]) == (
        "red",
        task.number,
        "2026-03-05",
        "2026-03-06",
    )
    assert post.status_code == 405
    assert login(case.world.sun_lei).get("/api/v1/cards/").json()["count"] == 0
    assert login(case.school_commissioner).get(f"/api/v1/cards/{row['id']}/").status_code == 404
    assert login(case.police).get("/api/v1/cards/?colour=yellow").json()["count"] == 0


@pytest.mark.parametrize("count", [1, 5])
def test_the_card_list_query_count_does_not_grow(case, login, django_assert_num_queries, count):
    for _ in range(count):
        accepted_task(case)
    issue_cards(at=local(2026, 3, 6))
    client = login(case.police)
    client.get("/api/v1/cards/")

    with django_assert_num_queries(10):
        response = client.get("/api/v1/cards/")

    assert response.json()["count"] == count


def test_anonymous_callers_get_401_or_403(case, order, client):
    for url in (
        "/api/v1/supervision-orders/",
        "/api/v1/rounds/",
        "/api/v1/cards/",
        f"/api/v1/supervision-orders/{order.pk}/",
    ):
        assert client.get(url).status_code in (401, 403), url
