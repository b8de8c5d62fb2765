"""Need-to-know inside one application (issue 13).

Li Ming's application asks for three items: 落户 at 市公安局, 人才公寓 at 市住房和城乡建设局 (which hands
it to its apartment service centre) and 子女入学 at 市教育局, whose item alone asks for the child's
出生医学证明. Every item files its own copy of the ID card. The talent, his unit commissioner, the window
chain and the system administrator see the whole application; each department and the institution see the
header, their own task, its items and materials, its events and the application's milestones without
notes; never a sibling's materials, results, notes or events. The matrix below asks every route that
serves application data, as every role, and reads what comes back.
"""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from huicai.casework import actions
from huicai.casework.choices import Result
from huicai.casework.models import Material
from huicai.casework.tests.conftest import item_fields, later, pdf
from huicai.catalogue import actions as catalogue
from huicai.catalogue.choices import Category
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.org.models import UndertakingOrg
from huicai.testing import make_user

SPLIT_NOTE = "窗口梳理：三项并联，优先办理"
POLICE_RESULT = "户口已迁入兰山区金雀山街道"
SCHOOL_RESULT = "已安排至临沂第一实验小学一年级"
HOUSING_ORDER = "请公寓中心核定房源"
HOUSING_REPORT = "已核定人才公寓一套，待签约"
BIRTH_CERTIFICATE = "出生医学证明"
SCHOOL_ITEM = "子女入学安排（含出生医学证明）"

# What each secret belongs to: the part of the application that may show it.
SECRETS = {
    "police": [POLICE_RESULT],
    "housing": [HOUSING_ORDER, HOUSING_REPORT],
    "school": [SCHOOL_RESULT, BIRTH_CERTIFICATE, SCHOOL_ITEM],
    "window": [SPLIT_NOTE],
}
# Who sees which parts. Those who see the whole application see every part.
WHOLE = {"police", "housing", "school", "window"}
ROLES = {
    "talent": WHOLE,
    "unit": WHOLE,
    "window": WHOLE,
    "city": WHOLE,
    "admin": WHOLE,
    "police": {"police"},
    "school": {"school"},
    "housing": {"housing"},
    "institution": {"housing"},
}


@pytest.fixture
def three_departments(case):
    """The application split, the police and the school done, housing handed to its institution."""
    world = case.world
    fields = item_fields(world, "LY-ZN-009", SCHOOL_ITEM, "市教育局", 5, 15, Category.CHILDREN)
    fields["materials"] = [
        {"name": "居民身份证", "required": True, "copies": 1, "notes": ""},
        {"name": BIRTH_CERTIFICATE, "required": True, "copies": 1, "notes": "子女的出生医学证明"},
    ]
    school_item = catalogue.publish_item(
        catalogue.create_item(window=world.windows["临沂市"], by=world.zhou_min, at=world.at, **fields),
        by=world.zhou_min,
        at=world.at,
    )
    centre = UndertakingOrg.objects.create(
        name="临沂市人才公寓服务中心",
        department=world.departments["市住房和城乡建设局"],
        division=world.divisions["临沂市"],
    )
    institution_user = make_user("zhang_gy", "张公寓")
    appoint_commissioner(
        user=institution_user, kind=PostKind.UNDERTAKING, organisation=centre, by=world.admin, at=world.at
    )

    application = actions.create_application(
        talent=world.li_ming, items=[case.hukou, case.housing, school_item], by=world.wang_fang, at=world.at
    )
    for line in application.items.select_related("item_version"):
        for material in line.materials_required:
            name = f"{material['name']}-{line.item_version.name}.pdf"
            actions.upload_material(
                line, key=material["key"], file=pdf(name), by=world.wang_fang, at=world.at
            )
    actions.record_consent(application, method="signed", by=world.wang_fang, at=world.at)
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    actions.split_application(
        application,
        routes=actions.suggested_routes(application),
        note=SPLIT_NOTE,
        by=world.chen_jing,
        at=world.at,
    )
    tasks = {
        "police": application.tasks.get(department__short_name="市公安局"),
        "housing": application.tasks.get(department__short_name="市住房和城乡建设局"),
        "school": application.tasks.get(department__short_name="市教育局"),
    }
    for part, commissioner in [
        ("police", case.police),
        ("housing", case.housing_commissioner),
        ("school", case.school_commissioner),
    ]:
        actions.accept_task(tasks[part], by=commissioner, at=later(world, hours=1))
    actions.complete_task(
        tasks["police"], result=Result.HANDLED, note=POLICE_RESULT, by=case.police, at=later(world, days=1)
    )
    actions.complete_task(
        tasks["school"],
        result=Result.HANDLED,
        note=SCHOOL_RESULT,
        by=case.school_commissioner,
        at=later(world, days=1),
    )
    actions.delegate_task(
        tasks["housing"],
        undertaking_org=centre,
        note=HOUSING_ORDER,
        by=case.housing_commissioner,
        at=later(world, days=1),
    )
    actions.report_back(tasks["housing"], note=HOUSING_REPORT, by=institution_user, at=later(world, days=2))

    materials = {
        part: list(Material.objects.filter(application_item__task=task).order_by("id"))
        for part, task in tasks.items()
    }
    people = {
        "talent": world.li_ming_user,
        "unit": world.wang_fang,
        "window": world.chen_jing,
        "city": world.zhou_min,
        "admin": world.admin,
        "police": case.police,
        "school": case.school_commissioner,
        "housing": case.housing_commissioner,
        "institution": institution_user,
        "outsider": world.sun_lei,
    }
    return application, tasks, materials, people


def text_of(response) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def assert_shows_exactly_its_part(text, role, where, carried):
    """Every secret of a part the role may not see is absent; every one of its own parts that the route
    carries (``carried``) is present, so the absence cannot come from an empty page."""
    for part, secrets in SECRETS.items():
        for secret in secrets:
            if part not in ROLES[role]:
                assert secret not in text, f"{role} must not see {secret!r} on {where}"
            elif secret in carried:
                assert secret in text, f"{role} should see {secret!r} on {where}"


# --- the application: page, API detail, API timeline ----------------------------------------------------

EVENT_NOTES = {POLICE_RESULT, SCHOOL_RESULT, HOUSING_ORDER, HOUSING_REPORT, SPLIT_NOTE}
# Each route and the secrets it carries for those who may see them.
APPLICATION_ROUTES = {
    # The page: items, materials, tasks and the timeline.
    "/cases/applications/{pk}/": {*EVENT_NOTES, BIRTH_CERTIFICATE, SCHOOL_ITEM},
    # The API detail: items with their guides, tasks with their results, materials.
    "/api/v1/applications/{pk}/": {POLICE_RESULT, SCHOOL_RESULT, BIRTH_CERTIFICATE, SCHOOL_ITEM},
    # The API timeline: events and their notes.
    "/api/v1/applications/{pk}/timeline/": EVENT_NOTES,
}


@pytest.mark.parametrize("route", sorted(APPLICATION_ROUTES))
@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_role_reads_exactly_its_part_of_the_application(three_departments, login, route, role):
    application, _tasks, _materials, people = three_departments
    url = route.format(pk=application.pk)

    response = login(people[role]).get(url)

    assert response.status_code == 200
    text = text_of(response)
    if "timeline" not in route:
        assert application.number in text  # the header is everyone's
    assert_shows_exactly_its_part(text, role, url, APPLICATION_ROUTES[route])


@pytest.mark.parametrize("route", sorted(APPLICATION_ROUTES))
def test_an_outsider_gets_404_on_the_application(three_departments, login, route):
    application, _tasks, _materials, people = three_departments

    response = login(people["outsider"]).get(route.format(pk=application.pk))

    assert response.status_code == 404


@pytest.mark.parametrize("role", ["police", "institution"])
def test_a_task_holder_gets_only_its_tasks_items_and_materials_in_the_api(three_departments, login, role):
    application, tasks, materials, people = three_departments
    own = "police" if role == "police" else "housing"

    data = login(people[role]).get(f"/api/v1/applications/{application.pk}/").json()

    assert [task["id"] for task in data["tasks"]] == [tasks[own].pk]
    assert {item["task"] for item in data["items"]} == {tasks[own].pk}
    assert sorted(material["id"] for material in data["materials"]) == [m.pk for m in materials[own]]


def test_the_talent_gets_every_task_item_and_material_in_the_api(three_departments, login):
    application, tasks, materials, people = three_departments

    data = login(people["talent"]).get(f"/api/v1/applications/{application.pk}/").json()

    assert sorted(task["id"] for task in data["tasks"]) == sorted(task.pk for task in tasks.values())
    assert len(data["items"]) == 3
    assert sorted(m["id"] for m in data["materials"]) == sorted(m.pk for ms in materials.values() for m in ms)


def test_a_department_reads_the_milestones_of_the_timeline_without_their_notes(three_departments, login):
    application, tasks, _materials, people = three_departments

    events = login(people["police"]).get(f"/api/v1/applications/{application.pk}/timeline/").json()["results"]

    assert {event["task"] for event in events} == {None, tasks["police"].number}
    assert {event["action"] for event in events if event["task"] is None} == {"create", "submit", "split"}
    assert all(event["note"] == "" and event["data"] == {} for event in events if event["task"] is None)


def test_the_page_tells_a_department_it_sees_only_its_part(three_departments, login):
    application, _tasks, _materials, people = three_departments

    police_page = login(people["police"]).get(f"/cases/applications/{application.pk}/")
    unit_page = login(people["unit"]).get(f"/cases/applications/{application.pk}/")

    assert 'id="need-to-know"' in police_page.content.decode()
    assert 'id="need-to-know"' not in unit_page.content.decode()


def test_the_application_list_shows_the_header_to_everyone_who_holds_a_part(three_departments, login):
    application, _tasks, _materials, people = three_departments

    for role in ROLES:
        data = login(people[role]).get("/api/v1/applications/").json()

        assert [row["number"] for row in data["results"]] == [application.number], role
        assert_no_part_at_all(json.dumps(data, ensure_ascii=False), role)


def assert_no_part_at_all(text, role):
    """Lists carry headers only: no result, note or material of any task, whoever reads them."""
    for secrets in SECRETS.values():
        for secret in secrets:
            assert secret not in text, f"{secret!r} in a list read by {role}"


# --- the tasks: page and API ---------------------------------------------------------------------------


@pytest.mark.parametrize("route", ["/cases/tasks/{pk}/", "/api/v1/tasks/{pk}/"])
@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_role_opens_the_tasks_of_its_part_and_gets_404_on_the_others(
    three_departments, login, route, role
):
    _application, tasks, _materials, people = three_departments
    client = login(people[role])

    for part, task in tasks.items():
        response = client.get(route.format(pk=task.pk))

        if part in ROLES[role]:
            assert response.status_code == 200, (part, route)
            text = text_of(response)
            for other, secrets in SECRETS.items():
                if other not in (part, "window"):
                    assert not any(secret in text for secret in secrets), (part, other, route)
        else:
            assert response.status_code == 404, (part, route)


# --- other pages that show an application or its tasks -------------------------------------------------


@pytest.mark.parametrize("role", ["police", "school", "housing", "institution"])
@pytest.mark.parametrize("route", ["/workbench/queue/", "/talents/{talent}/", "/cases/tasks/?status="])
def test_a_task_holders_boards_and_lists_show_no_siblings_part(three_departments, login, role, route):
    application, _tasks, _materials, people = three_departments

    response = login(people[role]).get(route.format(talent=application.talent_id))

    assert response.status_code == 200
    text = text_of(response)
    for part, secrets in SECRETS.items():
        if part not in ROLES[role]:
            assert not any(secret in text for secret in secrets), (part, route)


def test_the_talents_own_board_shows_every_result(three_departments, login):
    _application, _tasks, _materials, people = three_departments

    text = login(people["talent"]).get("/workbench/talent/").content.decode()

    assert POLICE_RESULT in text and SCHOOL_RESULT in text


# --- downloads -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted([*ROLES, "outsider"]))
def test_every_role_downloads_the_materials_of_its_part_only(three_departments, login, role):
    _application, _tasks, materials, people = three_departments
    client = login(people[role])

    for part, files in materials.items():
        for material in files:
            response = client.get(f"/cases/materials/{material.pk}/")

            expected = 200 if part in ROLES.get(role, set()) else 404
            assert response.status_code == expected, (part, material.name)


def test_the_police_cannot_download_the_childs_birth_certificate_nor_the_schools_copy_of_the_id_card(
    three_departments, login
):
    _application, _tasks, materials, people = three_departments
    birth_certificate = next(m for m in materials["school"] if m.name == BIRTH_CERTIFICATE)
    schools_id_card = next(m for m in materials["school"] if m.name == "居民身份证")
    polices_id_card = next(m for m in materials["police"] if m.name == "居民身份证")
    client = login(people["police"])

    assert client.get(f"/cases/materials/{birth_certificate.pk}/").status_code == 404
    assert client.get(f"/cases/materials/{schools_id_card.pk}/").status_code == 404
    assert client.get(f"/cases/materials/{polices_id_card.pk}/").status_code == 200


# --- query counts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["police", "unit"])
def test_reading_a_part_costs_a_bounded_number_of_queries(
    three_departments, login, role, django_assert_max_num_queries
):
    application, _tasks, _materials, people = three_departments
    client = login(people[role])

    with django_assert_max_num_queries(18):
        assert client.get(f"/cases/applications/{application.pk}/").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(f"/api/v1/applications/{application.pk}/").status_code == 200


# --- every route that serves application data is in the matrix ----------------------------------------

# Routes that read an application, its tasks, materials or events, by the test above that covers them.
COVERED = {
    "casework:application": "test_every_role_reads_exactly_its_part_of_the_application",
    "application-detail": "test_every_role_reads_exactly_its_part_of_the_application",
    "application-timeline": "test_every_role_reads_exactly_its_part_of_the_application",
    "application-list": "test_the_application_list_shows_the_header_to_everyone_who_holds_a_part",
    "casework:applications": "headers only, through Application.objects.visible_to",
    "casework:task": "test_every_role_opens_the_tasks_of_its_part_and_gets_404_on_the_others",
    "task-detail": "test_every_role_opens_the_tasks_of_its_part_and_gets_404_on_the_others",
    "casework:tasks": "tasks only, through Task.objects.visible_to",
    "task-list": "tasks only, through Task.objects.visible_to",
    "casework:material": "test_every_role_downloads_the_materials_of_its_part_only",
    "casework:result_document": "test_result_documents.py: every role downloads those of its part only",
    "task-result-document": "test_result_documents.py: the API serves the same check",
}
# Routes of casework that change state (POST only) and answer with what the pages and API above show.
WRITES = {
    "casework:application_create",
    "casework:application_step",
    "casework:task_step",
    "casework:extension_acknowledge",
    "casework:extension_decide",
    "casework:task_upload",
    "application-consent",
    "application-materials",
    "application-split",
    "application-submit",
    "application-withdraw",
    "task-accept",
    "task-acknowledge-extension",
    "task-approve-extension",
    "task-refuse-extension",
    "task-complete",
    "task-delegate",
    "task-extend",
    "task-inform",
    "task-report-back",
    "task-request-materials",
    "task-reroute",
    "task-resubmit",
    "task-resume",
    "task-return",
    "task-suspend",
    "task-withdraw",
}


def route_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_casework_route_is_in_the_matrix_or_only_writes():
    names = set(route_names(get_resolver().url_patterns))

    casework = {name for name in names if name.startswith(("casework:", "application-", "task-"))}

    assert casework - set(COVERED) - WRITES == set(), "add the new route to the need-to-know matrix"


def test_a_department_sees_the_open_steps_of_its_own_task_only(case, login):
    """Stage clocks: after the split each department holds an acceptance step; the 公安局 commissioner's
    page lists theirs and none of the siblings', while the window sees all three."""
    world = case.world
    application = actions.create_application(
        talent=world.li_ming, items=[case.hukou, case.housing, case.school], by=world.wang_fang, at=world.at
    )
    for line in application.items.select_related("item_version"):
        for material in line.materials_required:
            actions.upload_material(line, key=material["key"], file=pdf(), by=world.wang_fang, at=world.at)
    actions.record_consent(application, method="signed", by=world.wang_fang, at=world.at)
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    actions.split_application(
        application, routes=actions.suggested_routes(application), by=world.chen_jing, at=world.at
    )

    def open_steps_section(user):
        content = login(user).get(application.get_absolute_url()).content.decode()
        start = content.index('id="open-steps"')
        return content[start : content.index("</section>", start)]

    police, window = open_steps_section(case.police), open_steps_section(world.chen_jing)

    assert "市公安局" in police
    assert "市住房和城乡建设局" not in police and "市教育局" not in police
    assert all(name in window for name in ["市公安局", "市住房和城乡建设局", "市教育局"])
