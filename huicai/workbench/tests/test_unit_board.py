"""The unit commissioner's board (S11): my talents with cards about to expire, everything waiting on me
(materials asked for, results to pass on), drafts, and all my applications."""

import datetime

from huicai.casework import actions
from huicai.talents.actions import issue_card
from huicai.talents.choices import CardKind
from huicai.workbench.tests.conftest import HTMX, commissioner_of, later, split_by_suggestion, submitted


def test_the_board_lists_only_my_talents_and_searches_them(world, login, frozen):
    client = login(world.wang_fang)

    board = client.get("/workbench/unit/").content.decode()
    found = client.get("/workbench/sections/unit_talents/?q=李", **HTMX).content.decode()
    none = client.get("/workbench/sections/unit_talents/?q=刘", **HTMX).content.decode()

    assert "李明" in board and "刘洋" not in board  # 刘洋 is qian_hui's talent
    assert "李明" in found
    assert "没有符合条件的人才" in none


def test_cards_about_to_expire_within_sixty_days_are_counted_flagged_and_filterable(world, login, frozen):
    issue_card(
        world.li_ming,
        kind=CardKind.SHANDONG,
        number="SD2026000009",
        issued_date=datetime.date(2023, 4, 1),
        valid_until_date=world.today + datetime.timedelta(days=45),
        by=world.chen_jing,
        at=world.at,
    )
    client = login(world.wang_fang)

    board = client.get("/workbench/unit/").content.decode()
    expiring = client.get("/workbench/sections/unit_talents/?expiring=on").content.decode()

    assert '<b id="count-expiring">1</b>' in board
    assert "即将到期" in expiring and "李明" in expiring


def test_a_card_expiring_after_sixty_days_is_not_flagged(world, login, frozen):
    page = login(world.wang_fang).get("/workbench/sections/unit_talents/?expiring=on").content.decode()

    assert "没有符合条件的人才" in page  # li_ming's card runs to 2028


def test_tasks_waiting_for_materials_and_results_to_pass_on_are_listed(case, login, frozen):
    world = case.world
    application = submitted(case, [case.hukou, case.housing])
    tasks = {t.department.short_name: t for t in split_by_suggestion(case, application)}
    actions.request_materials(
        tasks["市住房和城乡建设局"],
        items=[{"key": "", "name": "无房承诺书"}],
        by=case.housing_commissioner,
        at=world.at,
    )
    police = actions.accept_task(tasks["市公安局"], by=case.police, at=world.at)
    actions.complete_task(police, result="handled", note="已落户", by=case.police, at=later(world, hours=1))

    page = login(world.wang_fang).get("/workbench/unit/").content.decode()

    assert '<b id="count-materials">1</b>' in page and "无房承诺书" in page
    assert '<b id="count-results">1</b>' in page and "已落户" in page


def test_recording_that_the_talent_was_told_takes_the_task_off_the_list(case, login, frozen):
    world = case.world
    application = submitted(case, [case.hukou])
    task = actions.accept_task(application.tasks.get(), by=case.police, at=world.at)
    task = actions.complete_task(task, result="handled", by=case.police, at=world.at)
    client = login(world.wang_fang)

    response = client.post(
        f"/workbench/unit/tasks/{task.pk}/inform/",
        {f"inform-{task.pk}-via": "phone", f"inform-{task.pk}-version": task.version},
        **HTMX,
    )

    task.refresh_from_db()
    assert (
        task.informed_at is not None and task.informed_via == "phone" and task.informed_by == world.wang_fang
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith(
        '<section class="card section" id="sec-unit_results"'
    )
    assert "已记录告知" in body and "没有待告知人才的结果" in body


def test_recording_twice_is_refused_next_to_the_row_and_changes_nothing(case, login, frozen):
    world = case.world
    application = submitted(case, [case.hukou])
    task = actions.accept_task(application.tasks.get(), by=case.police, at=world.at)
    task = actions.complete_task(task, result="handled", by=case.police, at=world.at)
    client = login(world.wang_fang)
    data = {f"inform-{task.pk}-via": "phone", f"inform-{task.pk}-version": task.version}
    client.post(f"/workbench/unit/tasks/{task.pk}/inform/", data)

    again = client.post(f"/workbench/unit/tasks/{task.pk}/inform/", data, follow=True)

    assert "该记录已被他人修改" in again.content.decode()
    task.refresh_from_db()
    assert task.events.filter(action="inform").count() == 1


def test_an_inform_without_a_channel_is_refused_with_a_message(case, login, frozen):
    world = case.world
    application = submitted(case, [case.hukou])
    task = actions.accept_task(application.tasks.get(), by=case.police, at=world.at)
    task = actions.complete_task(task, result="handled", by=case.police, at=world.at)

    response = login(world.wang_fang).post(f"/workbench/unit/tasks/{task.pk}/inform/", {}, **HTMX)

    assert "请选择告知方式" in response.content.decode()
    task.refresh_from_db()
    assert task.informed_at is None


def test_drafts_link_back_into_the_wizard_and_applications_show_each_department(case, login, frozen):
    world = case.world
    draft = actions.create_application(
        talent=world.li_ming, items=[case.school], by=world.wang_fang, at=world.at
    )
    application = submitted(case, [case.hukou, case.housing])
    split_by_suggestion(case, application)

    page = login(world.wang_fang).get("/workbench/unit/").content.decode()

    assert f'href="/workbench/apply/{draft.pk}/materials/"' in page
    assert "临沂市公安局</a>：待受理" in page and "临沂市住房和城乡建设局</a>：待受理" in page


def test_the_applications_can_be_filtered_by_status(case, login, frozen):
    world = case.world
    open_one = submitted(case, [case.hukou])
    closed = submitted(case, [case.school])
    task = actions.accept_task(closed.tasks.get(), by=commissioner_of(case, closed.tasks.get()), at=world.at)
    actions.complete_task(task, result="handled", by=case.school_commissioner, at=world.at)

    page = login(world.wang_fang).get("/workbench/sections/unit_applications/?status=closed").content.decode()

    assert closed.number in page and open_one.number not in page
    assert "临沂市教育局</a>：已办结" in page
