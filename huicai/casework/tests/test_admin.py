"""Applications and tasks can be read in the admin but not changed there: a status set through the admin
would skip the guards and leave no event."""

from huicai.casework import actions
from huicai.casework.choices import ApplicationStatus, TaskStatus
from huicai.casework.models import CaseEvent
from huicai.casework.tests.conftest import prepare


def submitted(case):
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=case.world.wang_fang, at=case.world.at)
    application.refresh_from_db()
    return application


def test_the_superuser_reads_a_task_and_its_application_in_the_admin(case, login):
    application = submitted(case)
    task = application.tasks.get()
    client = login(case.world.admin)

    pages = [
        client.get("/admin/casework/application/"),
        client.get(f"/admin/casework/application/{application.pk}/change/"),
        client.get("/admin/casework/task/"),
        client.get(f"/admin/casework/task/{task.pk}/change/"),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200, 200]
    assert task.number in pages[3].content.decode()


def test_a_tasks_status_cannot_be_set_in_the_admin(case, login):
    task = submitted(case).tasks.get()
    events = CaseEvent.objects.count()
    client = login(case.world.admin)

    response = client.post(
        f"/admin/casework/task/{task.pk}/change/",
        {"status": TaskStatus.COMPLETED, "result": "handled", "department": task.department_id},
    )

    task.refresh_from_db()
    assert response.status_code == 403
    assert (task.status, task.result) == (TaskStatus.PENDING, "")
    assert CaseEvent.objects.count() == events


def test_an_applications_status_cannot_be_set_in_the_admin(case, login):
    application = submitted(case)
    events = CaseEvent.objects.count()
    client = login(case.world.admin)

    response = client.post(
        f"/admin/casework/application/{application.pk}/change/", {"status": ApplicationStatus.CLOSED}
    )

    application.refresh_from_db()
    assert response.status_code == 403
    assert application.status == ApplicationStatus.IN_PROGRESS
    assert CaseEvent.objects.count() == events


def test_cases_cannot_be_added_or_deleted_in_the_admin(case, login):
    application = submitted(case)
    client = login(case.world.admin)

    responses = [
        client.get("/admin/casework/application/add/"),
        client.get("/admin/casework/task/add/"),
        client.post(f"/admin/casework/application/{application.pk}/delete/", {"post": "yes"}),
        client.post(f"/admin/casework/task/{application.tasks.get().pk}/delete/", {"post": "yes"}),
    ]

    assert [response.status_code for response in responses] == [403, 403, 403, 403]
    assert application.tasks.count() == 1
