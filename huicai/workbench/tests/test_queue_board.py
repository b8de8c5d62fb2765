"""The department and undertaking commissioners' queue (S12, S13): open tasks by deadline, due-soon and
overdue marked, and the counter that looks a card up by number or by its scanned QR code (W12)."""

import datetime

import time_machine

from huicai.casework import actions
from huicai.casework.tests.conftest import item_fields
from huicai.catalogue import actions as catalogue
from huicai.commissioners.actions import appoint_commissioner
from huicai.directservices.cards import card_qr_payload
from huicai.testing import make_user
from huicai.workbench.tests.conftest import HTMX, commissioner_of, submitted

WEDNESDAY = datetime.datetime(2026, 3, 4, 2, 0, tzinfo=datetime.UTC)


def accepted(case, item):
    application = submitted(case, [item])
    task = application.tasks.select_related("department").get()
    return actions.accept_task(task, by=commissioner_of(case, task), at=case.world.at)


def test_the_queue_shows_only_my_departments_tasks_soonest_deadline_first(case, login):
    world = case.world
    hukou_later = accepted(case, case.hukou)  # due Thu 5 March
    pending = submitted(case, [case.hukou]).tasks.get()
    with time_machine.travel(world.at - datetime.timedelta(days=7), tick=False):
        hukou_earlier = actions.accept_task(
            submitted(case, [case.hukou], at=world.at - datetime.timedelta(days=7)).tasks.get(),
            by=case.police,
            at=world.at - datetime.timedelta(days=7),
        )  # accepted Mon 23 Feb, due Thu 26 Feb: overdue
    school = accepted(case, case.school)

    with time_machine.travel(WEDNESDAY, tick=False):
        page = login(case.police).get("/workbench/queue/").content.decode()

    order = [page.index(t.number) for t in (hukou_earlier, hukou_later, pending)]
    assert order == sorted(order)
    assert school.number not in page
    assert '<b id="count-open">3</b>' in page and '<b id="count-overdue">1</b>' in page
    assert '<b id="count-due-soon">1</b>' in page and '<b id="count-pending">1</b>' in page
    earlier_row = page[page.index(f"task-row-{hukou_earlier.pk}") :]
    assert "已逾期" in earlier_row[: earlier_row.index("</tr>")]
    later_row = page[page.index(f"task-row-{hukou_later.pk}") :]
    assert "临近截止" in later_row[: later_row.index("</tr>")]


def test_the_queue_filters_by_state_in_place(case, login, frozen):
    running = accepted(case, case.hukou)
    pending = submitted(case, [case.hukou]).tasks.get()

    body = login(case.police).get("/workbench/sections/queue_tasks/?state=pending", **HTMX).content.decode()

    assert pending.number in body and running.number not in body
    assert "<html" not in body


def test_an_unknown_filter_shows_the_whole_queue_and_says_why(case, login, frozen):
    task = accepted(case, case.hukou)

    page = login(case.police).get("/workbench/sections/queue_tasks/?state=everything").content.decode()

    assert task.number in page
    assert "选择一个有效的选项" in page


def test_the_undertaking_commissioner_sees_the_tasks_handed_to_the_institution(case, login, frozen):
    world = case.world
    item = catalogue.create_item(
        window=world.windows["临沂市"],
        by=world.zhou_min,
        at=world.at,
        **item_fields(world, "LY-YL-009", "高层次人才就医绿色通道", "市卫生健康委", 5, 10, "medical"),
    )
    item = catalogue.publish_item(item, by=world.zhou_min, at=world.at)
    health = make_user("wei_jian", "卫健专员")
    appoint_commissioner(
        user=health,
        kind="department",
        organisation=world.departments["市卫生健康委"],
        by=world.admin,
        at=world.at,
    )
    task = submitted(case, [item]).tasks.get()
    task = actions.accept_task(task, by=health, at=world.at)
    actions.delegate_task(task, undertaking_org=world.people_hospital, by=health, at=world.at)

    page = login(world.he_ping).get("/workbench/").content.decode()

    assert "<h1>办理队列</h1>" in page and task.number in page and "承办：临沂市人民医院" in page


def test_the_counter_posts_the_card_to_the_direct_service_look_up(world, login, frozen):
    client = login(world.zhao_qiang)

    board = client.get("/workbench/queue/").content.decode()
    looked_up = client.post(
        "/direct/record/", {"step": "lookup", "lookup-card": card_qr_payload(world.li_ming_card)}
    )

    assert 'action="/direct/record/"' in board and 'name="lookup-card"' in board
    assert 'src="/static/workbench/vendor/jsQR.js"' in board and 'src="/static/workbench/scan.js"' in board
    assert looked_up.status_code == 200 and "YM2026000001" in looked_up.content.decode()
