"""The service flow's API answers as its schema says (issue 12): real responses of tasks, applications,
timelines and materials notices, in the states where fields are empty (a task not yet accepted has no due
date, a task never delegated no institution, an item not yet split no task), validate against the schema;
the materials notice is a resource with its id and items; a wrong choice lists the right ones."""

import pytest

from huicai.api.tests.conformance import errors_against_schema, schema
from huicai.casework import actions
from huicai.casework.choices import ExplainedVia
from huicai.casework.tests.conftest import prepare
from huicai.testing import force_login


@pytest.fixture
def pending(case):
    """A submitted application whose one task waits for 市公安局, with a materials notice on it."""
    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    actions.request_materials(
        task,
        items=[{"key": "1", "name": "户口簿", "note": "首页及本人页"}, {"name": "学位证书复印件"}],
        note="请一次补齐",
        by=case.police,
        at=world.at,
    )
    return task


def test_every_step_documents_its_body_its_headers_and_its_errors():
    paths = schema()["paths"]

    extend = paths["/api/v1/tasks/{id}/extend/"]["post"]
    create = paths["/api/v1/applications/"]["post"]

    body = extend["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body == "#/components/schemas/TaskExtendRequest"
    fields = schema()["components"]["schemas"]["TaskExtendRequest"]["properties"]
    assert fields["new_due_date"] == {"type": "string", "format": "date"}
    assert fields["explained_via"]["$ref"] == "#/components/schemas/ExplainedViaEnum"
    assert schema()["components"]["schemas"]["ExplainedViaEnum"]["enum"] == ExplainedVia.values
    assert {p["name"] for p in extend["parameters"] if p["in"] == "header"} == {"If-Match"}
    assert set(extend["responses"]) == {"200", "400", "401", "403", "404", "409"}
    assert {p["name"] for p in create["parameters"] if p["in"] == "header"} == {"Idempotency-Key"}
    assert {"tokenAuth": []} in extend["security"] and {"sessionAuth": []} in extend["security"]


def test_a_task_before_acceptance_conforms_with_its_empty_fields(case, pending, client):
    force_login(client, case.police)

    response = client.get(f"/api/v1/tasks/{pending.pk}/")

    assert response.status_code == 200
    assert response.json()["undertaking_org"] is None
    assert response.json()["undertaking_org_name"] is None
    assert errors_against_schema(response, "GET", "/api/v1/tasks/{id}/") == []


def test_the_queue_and_the_application_with_its_timeline_conform(case, pending, client):
    force_login(client, case.world.chen_jing)
    application = pending.application

    answers = {
        "/api/v1/tasks/": client.get("/api/v1/tasks/"),
        "/api/v1/applications/{id}/": client.get(f"/api/v1/applications/{application.pk}/"),
        "/api/v1/applications/{id}/timeline/": client.get(f"/api/v1/applications/{application.pk}/timeline/"),
    }

    for path, response in answers.items():
        assert response.status_code == 200, path
        assert errors_against_schema(response, "GET", path) == [], path
    events = answers["/api/v1/applications/{id}/timeline/"].json()["results"]
    assert any(event["data"].get("items") for event in events)


def test_a_draft_application_whose_items_have_no_task_yet_conforms(case, client):
    application = prepare(case, [case.hukou, case.housing])
    force_login(client, case.world.wang_fang)

    response = client.get(f"/api/v1/applications/{application.pk}/")

    assert [item["task"] for item in response.json()["items"]] == [None, None]
    assert errors_against_schema(response, "GET", "/api/v1/applications/{id}/") == []


def test_the_materials_notice_is_a_resource_with_its_id_and_items(case, pending, client):
    notice = pending.material_requests.get()
    force_login(client, case.world.wang_fang)

    listed = client.get(f"/api/v1/material-requests/?task={pending.pk}")
    one = client.get(f"/api/v1/material-requests/{notice.pk}/")
    in_the_task = client.get(f"/api/v1/tasks/{pending.pk}/").json()["material_requests"]

    assert [n["id"] for n in listed.json()["results"]] == [notice.pk]
    assert one.json()["items"] == [
        {"key": "1", "name": "户口簿", "note": "首页及本人页"},
        {"key": "", "name": "学位证书复印件", "note": ""},
    ]
    assert (one.json()["task"], one.json()["note"], one.json()["fulfilled"]) == (
        pending.pk,
        "请一次补齐",
        False,
    )
    assert in_the_task == [one.json()]
    assert errors_against_schema(listed, "GET", "/api/v1/material-requests/") == []
    assert errors_against_schema(one, "GET", "/api/v1/material-requests/{id}/") == []


def test_a_notice_of_a_task_one_may_not_see_is_not_found(case, pending, client):
    force_login(client, case.world.sun_lei)

    listed = client.get("/api/v1/material-requests/")
    one = client.get(f"/api/v1/material-requests/{pending.material_requests.get().pk}/")
    nonsense = client.get("/api/v1/material-requests/?task=" + "9" * 30)

    assert listed.json()["results"] == []
    assert one.status_code == 404
    assert errors_against_schema(one, "GET", "/api/v1/material-requests/{id}/") == []
    assert nonsense.json()["results"] == []


def test_the_notices_list_costs_the_same_queries_for_one_notice_or_many(
    case, pending, client, django_assert_max_num_queries
):
    world = case.world
    for _ in range(3):
        application = prepare(case, [case.hukou])
        actions.submit_application(application, by=world.wang_fang, at=world.at)
        task = application.tasks.get()
        actions.request_materials(task, items=[{"name": "户口簿"}], by=case.police, at=world.at)
    force_login(client, world.chen_jing)

    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/material-requests/")

    assert len(response.json()["results"]) == 4


def test_a_wrong_choice_is_answered_with_every_right_one(case, pending, client):
    force_login(client, case.police)

    response = client.post(
        f"/api/v1/tasks/{pending.pk}/complete/", {"result": "done"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["errors"]["result"] == [
        "“done”不是合法选项。可选值：handled（已办理）、not_handled（不予办理）。"
    ]
    assert errors_against_schema(response, "POST", "/api/v1/tasks/{id}/complete/") == []


def test_a_stale_version_and_a_refused_state_are_409_as_documented(case, pending, client):
    force_login(client, case.police)

    stale = client.post(
        f"/api/v1/tasks/{pending.pk}/accept/", {}, content_type="application/json", HTTP_IF_MATCH='"0"'
    )
    refused = client.post(f"/api/v1/tasks/{pending.pk}/resume/", {}, content_type="application/json")

    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    assert errors_against_schema(stale, "POST", "/api/v1/tasks/{id}/accept/") == []
    assert refused.status_code in (403, 409)
    assert errors_against_schema(refused, "POST", "/api/v1/tasks/{id}/resume/") == []
