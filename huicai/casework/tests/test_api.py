"""The whole flow over REST, idempotent creates, JSON errors with stable codes, 409 on conflicts."""

import datetime

import time_machine

from huicai.casework.choices import ApplicationStatus, TaskStatus
from huicai.casework.models import Application
from huicai.casework.tests.conftest import pdf

MON = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


def create(client, case, codes, **headers):
    return client.post(
        "/api/v1/applications/",
        {"talent": case.world.li_ming.pk, "items": codes, "note": "API 申办"},
        content_type="application/json",
        **headers,
    )


def prepared(client, case, codes):
    body = create(client, case, codes).json()
    for item in body["items"]:
        for material in item["materials"]:
            if material["required"]:
                response = client.post(
                    f"/api/v1/applications/{body['id']}/materials/",
                    {"item": item["id"], "key": material["key"], "file": pdf()},
                )
                assert response.status_code == 201, response.json()
    consent = client.post(
        f"/api/v1/applications/{body['id']}/consent/", {"method": "online"}, content_type="application/json"
    )
    assert consent.status_code == 200
    return consent.json()


@time_machine.travel(MON, tick=False)
def test_three_items_through_the_api_end_to_end(case, login):
    world = case.world
    unit = login(world.wang_fang)
    application = prepared(unit, case, ["LY-HJ-001", "LY-ZF-001", "LY-ZN-001"])
    submitted = unit.post(
        f"/api/v1/applications/{application['id']}/submit/", HTTP_IF_MATCH=str(application["version"])
    )
    assert submitted.json()["status"] == ApplicationStatus.SUBMITTED

    window = login(world.chen_jing)
    routes = {str(item["id"]): item["department"] for item in submitted.json()["items"]}
    split = window.post(
        f"/api/v1/applications/{application['id']}/split/",
        {"routes": routes},
        content_type="application/json",
    )
    assert split.status_code == 200
    tasks = {task["department_name"]: task for task in split.json()["tasks"]}
    assert set(tasks) == {"临沂市公安局", "临沂市住房和城乡建设局", "临沂市教育局"}

    police = login(case.police)
    queue = police.get("/api/v1/tasks/").json()
    assert [t["id"] for t in queue["results"]] == [tasks["临沂市公安局"]["id"]]
    task_id = tasks["临沂市公安局"]["id"]
    accepted = police.post(f"/api/v1/tasks/{task_id}/accept/", {}, content_type="application/json")
    assert accepted.json()["status"] == TaskStatus.ACCEPTED
    assert accepted.json()["due_date"] == "2026-03-05"
    assert "complete" in accepted.json()["allowed_steps"]
    extended = police.post(
        f"/api/v1/tasks/{task_id}/extend/",
        {
            "new_due_date": "2026-03-10",
            "reason": "需外省协查",
            "explanation": "已告知",
            "explained_via": "unit",
        },
        content_type="application/json",
    )
    assert extended.status_code == 200, extended.json()
    assert extended.json()["due_date"] == "2026-03-10"
    extension_id = extended.json()["extensions"][0]["id"]
    acknowledged = window.post(
        f"/api/v1/tasks/{task_id}/acknowledge-extension/",
        {"extension": extension_id},
        content_type="application/json",
    )
    assert acknowledged.status_code == 200, acknowledged.json()
    assert acknowledged.json()["extensions"][0]["acknowledged_at"]
    done = police.post(
        f"/api/v1/tasks/{task_id}/complete/",
        {"result": "handled", "note": "已落户"},
        content_type="application/json",
    )
    assert done.json()["status"] == TaskStatus.COMPLETED

    talent = login(world.li_ming_user)
    timeline = talent.get(f"/api/v1/applications/{application['id']}/timeline/").json()
    actions_seen = [event["action"] for event in timeline["results"]]
    assert {"create", "submit", "split", "accept", "extend", "acknowledge_extension", "complete"} <= set(
        actions_seen
    )
    informed = unit.post(
        f"/api/v1/tasks/{task_id}/inform/", {"via": "phone"}, content_type="application/json"
    )
    assert informed.json()["informed_via"] == "phone"


def test_a_retried_create_with_the_same_idempotency_key_creates_nothing_twice(case, login):
    client = login(case.world.wang_fang)

    first = create(client, case, ["LY-HJ-001"], HTTP_IDEMPOTENCY_KEY="abc-123")
    again = create(client, case, ["LY-HJ-001"], HTTP_IDEMPOTENCY_KEY="abc-123")

    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Application.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(case, login):
    client = login(case.world.wang_fang)
    create(client, case, ["LY-HJ-001"], HTTP_IDEMPOTENCY_KEY="abc-123")

    other = create(client, case, ["LY-ZF-001"], HTTP_IDEMPOTENCY_KEY="abc-123")

    assert other.status_code == 400
    assert other.json()["code"] == "invalid"
    assert "另一个不同的请求" in str(other.json()["errors"])
    assert Application.objects.count() == 1


def test_an_overlong_idempotency_key_is_refused(case, login):
    client = login(case.world.wang_fang)

    response = create(client, case, ["LY-HJ-001"], HTTP_IDEMPOTENCY_KEY="k" * 256)

    assert response.status_code == 400
    assert not Application.objects.exists()


def test_a_refused_rule_is_a_400_with_a_chinese_message(case, login):
    client = login(case.world.wang_fang)
    application = create(client, case, ["LY-HJ-001"]).json()

    response = client.post(f"/api/v1/applications/{application['id']}/submit/")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "须记录人才本人的同意" in str(response.json()["errors"])


def test_a_step_the_state_no_longer_allows_is_a_409(case, login):
    client = login(case.world.wang_fang)
    application = prepared(client, case, ["LY-HJ-001"])
    client.post(f"/api/v1/applications/{application['id']}/submit/")

    again = client.post(f"/api/v1/applications/{application['id']}/submit/")

    assert again.status_code == 409
    assert again.json() == {"code": "invalid_transition", "message": "该申办已经提交。"}


def test_a_stale_if_match_is_a_409_conflict(case, login):
    client = login(case.world.wang_fang)
    application = prepared(client, case, ["LY-HJ-001"])

    response = client.post(
        f"/api/v1/applications/{application['id']}/submit/", HTTP_IF_MATCH=str(application["version"] - 1)
    )

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert Application.objects.get().status == ApplicationStatus.DRAFT


def test_a_direct_item_cannot_be_applied_for(case, login):
    from huicai.catalogue import actions as catalogue
    from huicai.catalogue.choices import Category, ServiceMode

    world = case.world
    item = catalogue.create_item(
        window=world.windows["临沂市"],
        by=world.zhou_min,
        at=world.at,
        code="LY-JT-009",
        name="机场贵宾通道",
        category=Category.TRANSPORT,
        mode=ServiceMode.DIRECT,
        department=world.departments["临沂国际机场"],
        accepts_yimeng_card=True,
    )
    catalogue.publish_item(item, by=world.zhou_min, at=world.at)
    client = login(world.wang_fang)

    response = create(client, case, ["LY-JT-009"])

    assert response.status_code == 400
    assert "凭人才卡直接办理" in str(response.json()["errors"])


def test_the_task_list_query_count_is_bounded(case, login, django_assert_max_num_queries):
    from huicai.casework import actions
    from huicai.casework.tests.conftest import prepare

    world = case.world
    for _ in range(6):
        application = prepare(case, [case.hukou])
        actions.submit_application(application, by=world.wang_fang, at=world.at)
    client = login(case.police)

    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/tasks/")

    assert response.json()["count"] == 6


def test_the_application_list_query_count_is_bounded(case, login, django_assert_max_num_queries):
    from huicai.casework.tests.conftest import prepare

    for _ in range(6):
        prepare(case, [case.hukou])
    client = login(case.world.wang_fang)

    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/applications/")

    assert response.json()["count"] == 6


def test_a_task_under_a_supervision_order_heads_the_department_queue(case, login):
    from huicai.casework import actions
    from huicai.casework.tests.conftest import prepare
    from huicai.supervision.actions import raise_order

    world = case.world
    tasks = []
    for _ in range(3):
        application = prepare(case, [case.hukou])
        actions.submit_application(application, by=world.wang_fang, at=world.at)
        tasks.append(actions.accept_task(application.tasks.get(), by=case.police, at=world.at))
    raise_order(tasks[2], content="请说明进度", due_in_days=2, by=world.chen_jing, at=world.at)

    queue = login(case.police).get("/api/v1/tasks/").json()["results"]

    assert [row["id"] for row in queue][0] == tasks[2].pk
    assert [row["has_open_order"] for row in queue] == [True, False, False]


def test_materials_asked_for_after_submission_are_uploaded_against_the_request(case, login):
    from huicai.casework import actions
    from huicai.casework.tests.conftest import prepare

    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    material_request = actions.request_materials(
        task, items=[{"key": "", "name": "无犯罪记录证明"}], by=case.police, at=world.at
    )
    client = login(world.wang_fang)
    line = application.items.get()

    without = client.post(
        f"/api/v1/applications/{application.pk}/materials/", {"item": line.pk, "key": "R1", "file": pdf()}
    )
    with_request = client.post(
        f"/api/v1/applications/{application.pk}/materials/",
        {"item": line.pk, "key": "R1", "file": pdf(), "request": material_request.pk},
    )

    assert without.status_code == 409
    assert with_request.status_code == 201
    assert with_request.json()["name"] == "无犯罪记录证明"
