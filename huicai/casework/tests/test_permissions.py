"""Another employer's unit commissioner, another department's commissioner and another county's window get
404 on the application, its tasks, its materials and its timeline; those who may see get 200."""

import pytest

from huicai.casework import actions
from huicai.casework.tests.conftest import prepare
from huicai.talents.models import Talent


@pytest.fixture
def submitted(case):
    world = case.world
    application = prepare(case, [case.hukou, case.housing])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    actions.split_application(
        application, routes=actions.suggested_routes(application), by=world.chen_jing, at=world.at
    )
    police_task = application.tasks.get(department__short_name="市公安局")
    housing_task = application.tasks.get(department__short_name="市住房和城乡建设局")
    police_material = application.materials.filter(application_item__task=police_task).first()
    return application, police_task, housing_task, police_material


def urls(application, task, material):
    return [
        f"/cases/applications/{application.pk}/",
        f"/cases/tasks/{task.pk}/",
        f"/cases/materials/{material.pk}/",
        f"/api/v1/applications/{application.pk}/",
        f"/api/v1/applications/{application.pk}/timeline/",
        f"/api/v1/tasks/{task.pk}/",
    ]


@pytest.mark.parametrize(
    "persona",
    [
        "qian_hui",  # another employer's unit commissioner
        "sun_lei",  # another county's window
        "he_ping",  # an undertaking commissioner with nothing handed to them
    ],
)
def test_outsiders_get_404_on_everything(case, submitted, login, persona):
    application, police_task, _, material = submitted
    client = login(getattr(case.world, persona))

    for url in urls(application, police_task, material):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/api/v1/tasks/{police_task.pk}/accept/").status_code == 404


def test_another_departments_commissioner_sees_only_their_own_task(case, submitted, login):
    application, police_task, housing_task, material = submitted
    client = login(case.housing_commissioner)

    assert client.get(f"/cases/tasks/{police_task.pk}/").status_code == 404
    assert client.get(f"/api/v1/tasks/{police_task.pk}/").status_code == 404
    assert client.get(f"/cases/materials/{material.pk}/").status_code == 404  # filed for the police's item
    assert client.get(f"/api/v1/tasks/{housing_task.pk}/").status_code == 200
    assert client.post(f"/api/v1/tasks/{police_task.pk}/accept/").status_code == 404


@pytest.mark.parametrize("persona", ["li_ming_user", "wang_fang", "chen_jing", "zhou_min", "zhao_qiang"])
def test_those_concerned_see_everything(case, submitted, login, persona):
    application, police_task, _, material = submitted
    client = login(getattr(case.world, persona))

    for url in urls(application, police_task, material):
        assert client.get(url).status_code == 200, url


def test_a_department_commissioner_sees_the_talents_their_tasks_name_and_nobody_else(case, submitted):
    world = case.world

    assert set(Talent.objects.visible_to(case.police)) == {world.li_ming}
    assert set(Talent.objects.visible_to(case.school_commissioner)) == set()


def test_seeing_is_not_acting_a_talent_cannot_accept_and_a_window_cannot_complete(case, submitted, login):
    _, police_task, _, _ = submitted

    talent = login(case.world.li_ming_user).post(f"/api/v1/tasks/{police_task.pk}/accept/")
    window_page = login(case.world.chen_jing).post(
        f"/cases/tasks/{police_task.pk}/accept/", {"accept-version": 1}
    )

    assert talent.status_code == 403
    assert talent.json()["code"] == "permission_denied"
    assert window_page.status_code == 403


def test_anonymous_gets_the_login_page_or_401(case, submitted, client):
    application, task, material = submitted[0], submitted[1], submitted[3]

    assert client.get(f"/cases/applications/{application.pk}/").status_code == 302
    assert client.get(f"/cases/materials/{material.pk}/").status_code == 302
    assert client.get(f"/api/v1/tasks/{task.pk}/").status_code in (401, 403)
