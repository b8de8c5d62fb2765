"""The system administrator is no department: a department's step on a task is taken by a holder of that
department's post, at the action, on the page and in the API; the administrator may still read the case."""

import pytest
from django.core.exceptions import PermissionDenied

from huicai.casework import actions
from huicai.casework.choices import TaskStatus
from huicai.casework.models import CaseEvent
from huicai.casework.tests.conftest import prepare


@pytest.fixture
def police_task(case):
    """A 市公安局 task waiting to be accepted."""
    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    return application.tasks.get()


def accepted_events(task):
    return CaseEvent.objects.filter(task=task, to_status=TaskStatus.ACCEPTED)


def test_the_superuser_cannot_accept_a_police_task_through_the_action(case, police_task):
    with pytest.raises(PermissionDenied):
        actions.accept_task(police_task, by=case.world.admin, at=case.world.at)

    police_task.refresh_from_db()
    assert police_task.status == TaskStatus.PENDING
    assert not accepted_events(police_task).exists()


def test_the_superuser_cannot_accept_a_police_task_on_the_page_but_can_read_it(case, police_task, login):
    client = login(case.world.admin)

    page = client.get(f"/cases/tasks/{police_task.pk}/")
    response = client.post(f"/cases/tasks/{police_task.pk}/accept/", {"accept-version": police_task.version})

    police_task.refresh_from_db()
    assert page.status_code == 200
    assert f'action="/cases/tasks/{police_task.pk}/accept/"' not in page.content.decode()
    assert response.status_code == 403
    assert police_task.status == TaskStatus.PENDING
    assert not accepted_events(police_task).exists()


def test_the_superuser_cannot_accept_a_police_task_through_the_api(case, police_task, login):
    client = login(case.world.admin)

    response = client.post(f"/api/v1/tasks/{police_task.pk}/accept/", {}, content_type="application/json")

    police_task.refresh_from_db()
    assert response.status_code == 403
    assert police_task.status == TaskStatus.PENDING
    assert not accepted_events(police_task).exists()


def test_the_police_commissioner_accepts_the_same_task(case, police_task):
    actions.accept_task(police_task, by=case.world.zhao_qiang, at=case.world.at)

    police_task.refresh_from_db()
    assert police_task.status == TaskStatus.ACCEPTED
    assert accepted_events(police_task).get().by == case.world.zhao_qiang


def test_the_superuser_takes_no_window_step_either(case):
    world = case.world
    application = prepare(case, [case.hukou, case.housing])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    routes = actions.suggested_routes(application)

    with pytest.raises(PermissionDenied):
        actions.split_application(application, routes=routes, by=world.admin, at=world.at)

    assert not application.tasks.exists()


def test_the_superuser_takes_no_undertaking_step(case, police_task):
    world = case.world
    task = actions.accept_task(police_task, by=world.zhao_qiang, at=world.at)

    with pytest.raises(PermissionDenied):
        actions.report_back(task, note="已办", by=world.admin, at=world.at)
