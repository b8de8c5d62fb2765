"""A returned task: the window's reroute picker suggests the catalogue's department (issue 12)."""

import re

from huicai.casework import actions
from huicai.casework.tests.conftest import prepare
from huicai.commissioners.actions import appoint_commissioner
from huicai.testing import make_user


def test_the_reroute_picker_preselects_the_catalogues_department_marked_as_suggested(case, login):
    world = case.world
    health = make_user("wei_jk", "卫健专员")
    appoint_commissioner(
        user=health,
        kind="department",
        organisation=world.departments["市卫生健康委"],
        by=world.admin,
        at=world.at,
    )
    application = prepare(case, [case.hukou, case.school])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    routes = actions.suggested_routes(application)
    school_line = application.items.get(service_item=case.school)
    routes[school_line.pk] = world.departments["市卫生健康委"].pk  # the window's mistake
    tasks = actions.split_application(application, routes=routes, by=world.chen_jing, at=world.at)
    misrouted = next(task for task in tasks if task.department == world.departments["市卫生健康委"])
    actions.return_task(misrouted, reason="子女入学不属卫健部门管辖", by=health, at=world.at)

    page = login(world.chen_jing).get(f"/cases/tasks/{misrouted.pk}/").content.decode()

    picker = re.search(r'<select name="reroute-department".*?</select>', page, re.S).group(0)
    education = world.departments["市教育局"]
    assert re.search(rf'<option value="{education.pk}" selected>{education.name}（建议）</option>', picker)
    assert picker.count("（建议）") == 1
    assert '<optgroup label="市级部门">' in picker
