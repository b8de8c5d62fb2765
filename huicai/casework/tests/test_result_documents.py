"""结果文书 (W13): the document a department uploads on completion reaches the talent, the unit commissioner
and the window through the permission check; another department of the same application never sees it
(need-to-know); every download is audited; the file is stored under a random name."""

import pytest

from huicai.casework import actions
from huicai.casework.choices import Result
from huicai.casework.tests.conftest import PDF, later, pdf, prepare
from huicai.core.models import AuditEvent


@pytest.fixture
def completed(case):
    """Li Ming's 落户 and 人才公寓, split; 市公安局 completes 落户 with a result document."""
    world = case.world
    application = actions.submit_application(
        prepare(case, [case.hukou, case.housing]), by=world.wang_fang, at=world.at
    )
    actions.split_application(
        application, routes=actions.suggested_routes(application), by=world.chen_jing, at=world.at
    )
    police_task = application.tasks.get(department=world.departments["市公安局"])
    housing_task = application.tasks.get(department=world.departments["市住房和城乡建设局"])
    actions.accept_task(police_task, by=case.police, at=later(world, hours=1))
    actions.accept_task(housing_task, by=case.housing_commissioner, at=later(world, hours=1))
    police_task = actions.complete_task(
        police_task,
        result=Result.HANDLED,
        note="已办理落户",
        document=pdf("落户审批表 李明.pdf"),
        by=case.police,
        at=later(world, days=1),
    )
    return police_task, housing_task


def test_the_document_is_stored_under_a_random_name_with_its_original_name_kept(completed):
    police_task, _housing_task = completed

    assert police_task.result_document_name == "落户审批表 李明.pdf"
    assert "李明" not in police_task.result_document.name
    assert police_task.result_document.name.startswith("results/2026/03/")
    assert police_task.result_document_type == "application/pdf"


@pytest.mark.parametrize("who", ["li_ming_user", "wang_fang", "chen_jing", "police"])
def test_the_talent_the_unit_the_window_and_the_department_download_it_audited(case, completed, login, who):
    police_task, _housing_task = completed
    user = getattr(case.world, who, None) or case.police

    response = login(user).get(f"/cases/tasks/{police_task.pk}/result-document/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    audit = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT, actor=user)
    assert (audit.object_type, audit.object_id, audit.detail) == (
        "casework.task",
        str(police_task.pk),
        "result document download",
    )


def test_another_department_of_the_same_application_gets_a_404_and_nothing_is_audited(case, completed, login):
    police_task, _housing_task = completed

    response = login(case.housing_commissioner).get(f"/cases/tasks/{police_task.pk}/result-document/")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


def test_a_task_without_a_document_is_a_404(case, completed, login):
    _police_task, housing_task = completed

    response = login(case.world.wang_fang).get(f"/cases/tasks/{housing_task.pk}/result-document/")

    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(completed, client):
    police_task, _housing_task = completed

    response = client.get(f"/cases/tasks/{police_task.pk}/result-document/")

    assert response.status_code == 302
    assert "/result-document/" not in response["Location"].split("next=")[0]


def test_the_task_page_offers_the_download_to_the_talent(case, completed, login):
    police_task, _housing_task = completed

    page = login(case.world.li_ming_user).get(f"/cases/tasks/{police_task.pk}/").content.decode()

    assert f'href="/cases/tasks/{police_task.pk}/result-document/"' in page
    assert "下载落户审批表 李明.pdf" in page
