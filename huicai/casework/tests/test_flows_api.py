"""The same rules over REST: a resubmission with an item missing is a 400 naming it, handovers are taken
as ``[{ref, note}]``; an upload after an early resubmission is accepted (201), not the old 409; the window
approves or refuses 超长延期; the result document is served through the task's permission check."""

import datetime

import pytest

from huicai.casework import actions
from huicai.casework.choices import ExtensionStatus, Result, TaskStatus
from huicai.casework.tests.conftest import PDF, later, pdf, prepare
from huicai.core.models import AuditEvent
from huicai.testing import T0


@pytest.fixture
def waiting(case):
    world = case.world
    application = actions.submit_application(prepare(case, [case.hukou]), by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    notice = actions.request_materials(
        task,
        items=[{"key": "M02", "name": "补充说明"}, {"key": "", "name": "无犯罪记录证明"}],
        by=case.police,
        at=world.at,
    )
    return task, notice


def test_a_resubmission_over_the_api_names_what_is_missing_then_takes_handovers(case, waiting, login):
    task, notice = waiting
    client = login(case.world.wang_fang)
    client.post(
        f"/api/v1/applications/{task.application_id}/materials/",
        {"item": task.items.get().pk, "key": "M02", "file": pdf(), "request": notice.pk},
    )

    missing = client.post(f"/api/v1/tasks/{task.pk}/resubmit/", {}, content_type="application/json")
    bad_ref = client.post(
        f"/api/v1/tasks/{task.pk}/resubmit/",
        {"handovers": [{"ref": "../1", "note": "x"}]},
        content_type="application/json",
    )
    done = client.post(
        f"/api/v1/tasks/{task.pk}/resubmit/",
        {"handovers": [{"ref": "R2", "note": "原件交户政窗口"}]},
        content_type="application/json",
    )

    assert missing.status_code == 400
    assert "以下补正材料尚未上传：无犯罪记录证明" in missing.json()["errors"]["non_field_errors"][0]
    assert bad_ref.status_code == 400
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == TaskStatus.PENDING
    notice.refresh_from_db()
    assert notice.handovers == [{"ref": "R2", "note": "原件交户政窗口"}]


def test_an_upload_after_an_early_resubmission_is_accepted(case, waiting, login):
    task, notice = waiting
    actions.resubmit_task(
        task, handovers={"R1": "口头", "R2": "稍后补交"}, by=case.world.wang_fang, at=case.world.at
    )

    response = login(case.world.wang_fang).post(
        f"/api/v1/applications/{task.application_id}/materials/",
        {"item": task.items.get().pk, "key": "R2", "file": pdf(), "request": notice.pk},
    )

    assert response.status_code == 201, response.json()
    assert notice.materials.get().name == "无犯罪记录证明"


def test_the_window_approves_an_over_cap_extension_over_the_api(case, login, settings):
    settings.HUICAI_EXTENSION_CAP_DAYS = 2
    world = case.world
    application = actions.submit_application(prepare(case, [case.hukou]), by=world.wang_fang, at=world.at)
    task = actions.accept_task(application.tasks.get(), by=case.police, at=T0)
    extension = actions.extend_task(
        task,
        new_due_date=datetime.date(2026, 3, 10),
        reason="协查",
        explanation="已说明",
        explained_via="direct",
        by=case.police,
        at=later(world, hours=1),
    )
    url = f"/api/v1/tasks/{task.pk}/"

    by_department = login(case.police).post(
        url + "approve-extension/", {"extension": extension.pk}, content_type="application/json"
    )
    refused_without_reason = login(world.chen_jing).post(
        url + "refuse-extension/", {"extension": extension.pk}, content_type="application/json"
    )
    approved = login(world.chen_jing).post(
        url + "approve-extension/", {"extension": extension.pk}, content_type="application/json"
    )
    again = login(world.chen_jing).post(
        url + "approve-extension/", {"extension": extension.pk}, content_type="application/json"
    )

    assert by_department.status_code == 403
    assert refused_without_reason.status_code == 400
    assert approved.status_code == 200
    assert approved.json()["due_date"] == "2026-03-10"
    assert approved.json()["extensions"][0]["status"] == ExtensionStatus.APPROVED
    assert again.status_code == 409


def test_the_result_document_over_the_api_follows_the_task_check(case, login):
    world = case.world
    application = actions.submit_application(
        prepare(case, [case.hukou, case.housing]), by=world.wang_fang, at=world.at
    )
    actions.split_application(
        application, routes=actions.suggested_routes(application), by=world.chen_jing, at=world.at
    )
    task = application.tasks.get(department=world.departments["市公安局"])
    actions.accept_task(task, by=case.police, at=T0)
    actions.complete_task(
        task, result=Result.HANDLED, document=pdf(), by=case.police, at=later(world, days=1)
    )
    url = f"/api/v1/tasks/{task.pk}/result-document/"

    talent = login(world.li_ming_user).get(url)
    housing = login(case.housing_commissioner).get(url)

    assert talent.status_code == 200
    assert b"".join(talent.streaming_content) == PDF
    assert housing.status_code == 404
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).count() == 1
