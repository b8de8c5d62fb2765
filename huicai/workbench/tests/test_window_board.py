"""The window commissioner's board (S14, W9, W13): split multi-item applications with the catalogue's
routing pre-filled, reroute returned tasks, acknowledge delays, supervise every open task of the
jurisdiction by department, and find talents without a unit commissioner."""

import datetime

import time_machine

from huicai.casework import actions
from huicai.casework.choices import ApplicationStatus, TaskStatus
from huicai.core.identifiers import make_mobile, make_resident_id
from huicai.talents.actions import register_talent
from huicai.workbench.tests.conftest import HTMX, commissioner_of, extend, split_by_suggestion, submitted


def section(page, name):
    """The HTML of one section of a board."""
    start = page.index(f'id="sec-{name}"')
    return page[start : page.index("</section>", start)]


def row(html, first_cell):
    start = html.index(f"<td>{first_cell}</td>")
    return html[start : html.index("</tr>", start)]


def split_data(application, routes):
    data = {f"split-{application.pk}-version": application.version}
    data.update({f"split-{application.pk}-route-{line}": department for line, department in routes.items()})
    return data


def test_the_intake_pre_fills_each_line_with_the_catalogues_department(case, login, frozen):
    world = case.world
    application = submitted(case, [case.hukou, case.housing, case.school])

    page = login(world.chen_jing).get("/workbench/window/").content.decode()

    assert '<b id="count-intake">1</b>' in page
    for line_id, department_id in actions.suggested_routes(application).items():
        field = f'name="split-{application.pk}-route-{line_id}"'
        assert field in page
        select = page[page.index(field) : page.index("</select>", page.index(field))]
        assert f'<option value="{department_id}" selected>' in select


def test_a_single_item_application_never_reaches_the_intake(case, login, frozen):
    submitted(case, [case.hukou])

    page = login(case.world.chen_jing).get("/workbench/window/").content.decode()

    assert '<b id="count-intake">0</b>' in page


def test_splitting_from_the_board_creates_one_task_per_department(case, login, frozen):
    world = case.world
    application = submitted(case, [case.hukou, case.housing, case.school])
    routes = actions.suggested_routes(application)

    response = login(world.chen_jing).post(
        f"/workbench/window/applications/{application.pk}/split/", split_data(application, routes), **HTMX
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_PROGRESS
    assert sorted(application.tasks.values_list("department__short_name", flat=True)) == [
        "市住房和城乡建设局",
        "市公安局",
        "市教育局",
    ]
    body = response.content.decode()
    assert "已分办为 3 个任务" in body and "没有待梳理的多事项申办" in body


def test_the_window_may_correct_the_suggested_department(case, login, frozen):
    world = case.world
    application = submitted(case, [case.hukou, case.school])
    routes = actions.suggested_routes(application)
    school_line = application.items.get(service_item=case.school).pk
    routes[school_line] = world.departments["市公安局"].pk

    login(world.chen_jing).post(
        f"/workbench/window/applications/{application.pk}/split/", split_data(application, routes)
    )

    assert list(application.tasks.values_list("department__short_name", flat=True)) == ["市公安局"]


def test_a_split_on_a_stale_copy_is_refused_beside_the_application_and_changes_nothing(case, login, frozen):
    world = case.world
    application = submitted(case, [case.hukou, case.housing])
    data = split_data(application, actions.suggested_routes(application))
    data[f"split-{application.pk}-version"] = application.version - 1

    response = login(world.chen_jing).post(
        f"/workbench/window/applications/{application.pk}/split/", data, **HTMX
    )

    assert "该记录已被他人修改" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and not application.tasks.exists()


def test_a_split_naming_an_unknown_department_is_refused_next_to_the_field(case, login, frozen):
    world = case.world
    application = submitted(case, [case.hukou, case.housing])
    data = split_data(application, {line: 999999 for line in actions.suggested_routes(application)})

    response = login(world.chen_jing).post(
        f"/workbench/window/applications/{application.pk}/split/", data, **HTMX
    )

    assert "请选择有效的主管部门" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_returned_task_is_rerouted_from_the_board(case, login, frozen):
    world = case.world
    application = submitted(case, [case.hukou, case.school])
    police = next(t for t in split_by_suggestion(case, application) if t.department.short_name == "市公安局")
    police = actions.return_task(police, reason="非本部门事项", by=case.police, at=world.at)
    client = login(world.chen_jing)

    board = client.get("/workbench/window/").content.decode()
    response = client.post(
        f"/workbench/window/tasks/{police.pk}/reroute/",
        {
            f"reroute-{police.pk}-department": world.departments["市住房和城乡建设局"].pk,
            f"reroute-{police.pk}-version": police.version,
        },
        **HTMX,
    )

    assert '<b id="count-returned">1</b>' in board and "非本部门事项" in board
    police.refresh_from_db()
    assert police.status == TaskStatus.PENDING and police.department.short_name == "市住房和城乡建设局"
    assert "已改派至 临沂市住房和城乡建设局" in response.content.decode()


def test_rerouting_to_the_same_department_is_refused_beside_the_task(case, login, frozen):
    world = case.world
    application = submitted(case, [case.hukou, case.school])
    police = next(t for t in split_by_suggestion(case, application) if t.department.short_name == "市公安局")
    police = actions.return_task(police, reason="非本部门事项", by=case.police, at=world.at)

    response = login(world.chen_jing).post(
        f"/workbench/window/tasks/{police.pk}/reroute/",
        {
            f"reroute-{police.pk}-department": police.department_id,
            f"reroute-{police.pk}-version": police.version,
        },
        **HTMX,
    )

    assert "改派的部门与原部门相同" in response.content.decode()
    police.refresh_from_db()
    assert police.status == TaskStatus.RETURNED


def test_an_extension_is_acknowledged_from_the_board(case, login, frozen):
    world = case.world
    application = submitted(case, [case.hukou])
    task = actions.accept_task(application.tasks.get(), by=case.police, at=world.at)
    extension = extend(case, task)
    client = login(world.chen_jing)

    board = client.get("/workbench/window/").content.decode()
    response = client.post(f"/workbench/window/extensions/{extension.pk}/acknowledge/", **HTMX)

    assert '<b id="count-extensions">1</b>' in board and "需向省厅核查境外居留记录" in board
    extension.refresh_from_db()
    assert extension.acknowledged_by == world.chen_jing
    assert "没有待确认的延期备案" in response.content.decode()


def test_the_supervision_board_counts_due_soon_overdue_extended_and_suspended_by_department(case, login):
    world = case.world
    # Three single-item applications accepted on Monday 2 March: hukou (3 working days, due Thu 5 March),
    # school (5, due Mon 9 March), housing (10, due Mon 16 March).
    tasks = {}
    for item in (case.hukou, case.school, case.housing):
        application = submitted(case, [item])
        task = application.tasks.select_related("department").get()
        tasks[task.department.short_name] = actions.accept_task(
            task, by=commissioner_of(case, task), at=world.at
        )
    extend(case, tasks["市住房和城乡建设局"])
    actions.suspend_task(
        tasks["市教育局"],
        reason="expert_review",
        legal_basis="专家评审",
        by=case.school_commissioner,
        at=world.at,
    )

    # Friday 6 March: hukou is a day late; nothing else is within two working days.
    with time_machine.travel(datetime.datetime(2026, 3, 6, 2, 0, tzinfo=datetime.UTC), tick=False):
        page = login(world.chen_jing).get("/workbench/window/").content.decode()
        overdue = (
            login(world.chen_jing)
            .get(
                f"/workbench/sections/window_supervision_tasks/?state=overdue&department={world.departments['市公安局'].pk}"
            )
            .content.decode()
        )
    # Housing, extended from 16 to 18 March, is due soon on Monday 16 March (two working days ahead).
    with time_machine.travel(datetime.datetime(2026, 3, 16, 2, 0, tzinfo=datetime.UTC), tick=False):
        later_page = login(world.chen_jing).get("/workbench/sections/window_supervision/").content.decode()

    board = section(page, "window_supervision")
    assert 'badge-flag overdue">1<' in row(board, "临沂市公安局")
    assert "state=suspended" in row(board, "临沂市教育局")
    housing = row(board, "临沂市住房和城乡建设局")
    assert "state=extended" in housing and "due_soon" not in housing
    assert tasks["市公安局"].number in overdue and "已逾期" in overdue
    assert "state=due_soon" in row(section(later_page, "window_supervision"), "临沂市住房和城乡建设局")


def test_the_supervision_board_stops_at_the_jurisdiction(case, login, frozen):
    application = submitted(case, [case.hukou])
    actions.accept_task(application.tasks.get(), by=case.police, at=case.world.at)

    page = login(case.world.sun_lei).get("/workbench/window/").content.decode()

    assert "辖区内没有在办任务" in page


def test_talents_without_an_open_unit_commissioner_are_listed(world, login, frozen):
    # Registered by the window before the employer named a unit commissioner (S6 asks for one).
    zhang_wei = register_talent(
        by=world.chen_jing,
        at=world.at,
        name="张伟",
        id_number=make_resident_id("372822", datetime.date(1988, 8, 8), 77),
        category=world.category_c,
        employer=world.linyi_pharma,
        home_window=world.windows["兰山区"],
        mobile=make_mobile(33345678),
    )

    page = login(world.chen_jing).get("/workbench/window/").content.decode()
    outsider = login(world.sun_lei).get("/workbench/window/").content.decode()

    assert '<b id="count-unassigned">1</b>' in page
    assert f'href="/talents/{zhang_wei.pk}/"' in page and "李明" not in section(page, "window_unassigned")
    assert '<b id="count-unassigned">0</b>' in outsider
