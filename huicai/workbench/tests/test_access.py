"""Who gets which workbench: anonymous visitors sign in first, a board of a role one does not hold is a
403, and records outside one's jurisdiction are a 404 even through a board's one-click actions."""

import pytest

from huicai.casework import actions
from huicai.casework.models import Extension
from huicai.workbench.tests.conftest import extend, split_by_suggestion, submitted

BOARDS = {
    "/workbench/talent/": "li_ming_user",
    "/workbench/unit/": "wang_fang",
    "/workbench/window/": "chen_jing",
    "/workbench/queue/": "zhao_qiang",
    "/workbench/dashboard/": "zhou_min",
    "/workbench/apply/": "wang_fang",
    "/workbench/dashboard/data/": "zhou_min",
    "/workbench/dashboard/export/": "zhou_min",
    "/workbench/dashboard/applications/": "zhou_min",
    "/workbench/dashboard/tasks/": "zhou_min",
    "/workbench/sections/unit_talents/": "wang_fang",
    "/workbench/sections/window_intake/": "chen_jing",
    "/workbench/sections/queue_tasks/": "he_ping",
}


@pytest.mark.parametrize("path", sorted(BOARDS))
def test_anonymous_visitors_are_sent_to_sign_in(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("path, holder", sorted(BOARDS.items()))
def test_each_board_opens_for_its_role_and_is_refused_to_a_talent_or_a_department(world, login, path, holder):
    allowed = login(getattr(world, holder))
    talent = login(world.li_ming_user)
    department = login(world.zhao_qiang)

    assert allowed.get(path).status_code == 200
    if holder != "li_ming_user":
        assert talent.get(path).status_code == 403
    if holder not in ("zhao_qiang", "he_ping"):
        assert department.get(path).status_code == 403


def test_an_unknown_section_is_not_found(world, login):
    assert login(world.wang_fang).get("/workbench/sections/nothing/").status_code == 404


def test_a_person_with_no_post_and_no_talent_record_gets_a_page_that_says_so(world, login):
    from huicai.testing import make_user

    nobody = make_user("nobody", "无岗位")

    response = login(nobody).get("/workbench/")

    assert response.status_code == 200
    assert "没有可用的工作台" in response.content.decode()


def test_the_home_page_is_the_first_board_held_with_the_others_a_tab_away(world, login):
    page = login(world.zhou_min).get("/workbench/").content.decode()

    # zhou_min manages the city window and works at it: the dashboard first, the window board a tab away.
    assert "<h1>管理驾驶舱</h1>" in page
    assert 'href="/workbench/window/"' in page and "窗口专员工作台" in page


@pytest.mark.parametrize(
    "username, heading",
    [
        ("li_ming_user", "您好，李明"),
        ("wang_fang", "单位专员工作台"),
        ("chen_jing", "窗口专员工作台"),
        ("zhao_qiang", "办理队列"),
        ("he_ping", "办理队列"),
        ("admin", "管理驾驶舱"),
    ],
)
def test_each_role_lands_on_its_own_board(world, login, username, heading):
    page = login(getattr(world, username)).get("/workbench/").content.decode()

    assert f"<h1>{heading}</h1>" in page


def test_an_outsider_window_cannot_split_acknowledge_or_reroute_outside_its_jurisdiction(case, login):
    world = case.world
    three = submitted(case, [case.hukou, case.housing, case.school])
    other = submitted(case, [case.hukou, case.school])
    tasks = split_by_suggestion(case, other)
    police = next(t for t in tasks if t.department.short_name == "市公安局")
    police = actions.accept_task(police, by=case.police, at=world.at)
    extend(case, police)
    extension = Extension.objects.get()
    outsider = login(world.sun_lei)

    assert outsider.post(f"/workbench/window/applications/{three.pk}/split/", {}).status_code == 404
    assert outsider.post(f"/workbench/window/extensions/{extension.pk}/acknowledge/").status_code == 404
    assert outsider.post(f"/workbench/window/tasks/{police.pk}/reroute/", {}).status_code == 404
    three.refresh_from_db()
    extension.refresh_from_db()
    assert three.status == "submitted" and extension.acknowledged_at is None


def test_another_unit_commissioner_cannot_open_the_wizard_on_someone_elses_talent_or_draft(case, login):
    world = case.world
    draft = actions.create_application(
        talent=world.li_ming, items=[case.hukou], by=world.wang_fang, at=world.at
    )
    qian_hui = login(world.qian_hui)

    assert qian_hui.get(f"/workbench/apply/talents/{world.li_ming.pk}/").status_code == 404
    assert qian_hui.get(f"/workbench/apply/{draft.pk}/materials/").status_code == 404
    assert (
        qian_hui.post(f"/workbench/apply/{draft.pk}/review/", {"version": draft.version}).status_code == 404
    )


def test_a_window_commissioner_who_can_see_a_draft_has_no_wizard_to_prepare_it(case, login):
    world = case.world
    draft = actions.create_application(
        talent=world.li_ming, items=[case.hukou], by=world.wang_fang, at=world.at
    )
    chen_jing = login(world.chen_jing)

    # The window commissioner has no unit board at all: refused before the draft is looked at.
    assert chen_jing.get(f"/workbench/apply/{draft.pk}/materials/").status_code == 403
