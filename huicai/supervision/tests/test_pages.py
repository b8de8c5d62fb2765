"""The supervision pages: the board, 督办事项, and scheduling rounds, used the browser's way (forms, errors
next to fields, POST then redirect), with their query counts pinned so an N+1 fails."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from huicai.core.models import AuditEvent
from huicai.supervision import actions
from huicai.supervision.choices import OrderStatus, RoundStatus
from huicai.supervision.jobs import issue_cards
from huicai.supervision.models import Card, Round, SupervisionOrder
from huicai.supervision.tests.conftest import accepted_task, local

FRIDAY = local(2026, 3, 6)

pytestmark = pytest.mark.usefixtures("frozen")


def several_cards(case, count):
    """``count`` 兰山区 tasks, each with its card on Friday 2026-03-06: 市公安局 落户 tasks (due 03-05) red,
    市教育局 tasks (due 03-09) yellow."""
    items = [case.hukou, case.school]
    for index in range(count):
        accepted_task(case, items=[items[index % 2]])
    issue_cards(at=FRIDAY)
    assert Card.objects.count() == count


@pytest.fixture
def order(case, task):
    return actions.raise_order(
        task, content="请说明进展。", due_in_days=1, by=case.world.chen_jing, at=case.world.at
    )


@pytest.fixture
def round_(case, task):
    accepted_task(case, items=[case.school])
    return actions.open_round(
        window=case.world.windows["兰山区"],
        title="三月调度",
        answer_due_date=datetime.date(2026, 3, 4),
        by=case.world.chen_jing,
        at=case.world.at,
    )


# --- the board ----------------------------------------------------------------------------------------


def test_the_window_board_shows_its_cards_and_live_orders(case, task, order, login):
    issue_cards(at=FRIDAY)
    client = login(case.world.chen_jing)

    page = client.get("/supervision/").content.decode()

    assert "督导看板" in page
    assert task.number in page and "红牌（逾期）" in page and "李明" in page
    assert "督办逾期" in page  # the order's own red card
    assert order.get_absolute_url() in page


def test_a_department_sees_only_its_own_cards_on_the_board(case, login):
    several_cards(case, 3)
    client = login(case.police)

    page = client.get("/supervision/").content.decode()

    assert page.count("红牌（逾期）</a>") == 2
    assert "黄牌（临期预警）</a>" not in page


def test_the_board_filters_by_colour(case, task, login):
    issue_cards(at=local(2026, 3, 4))
    client = login(case.world.chen_jing)

    assert task.number in client.get("/supervision/?colour=yellow").content.decode()
    assert task.number not in client.get("/supervision/?colour=red").content.decode()


@pytest.mark.parametrize("count", [1, 6])
def test_the_board_costs_the_same_queries_for_one_card_or_many(case, login, django_assert_num_queries, count):
    several_cards(case, count)
    client = login(case.world.chen_jing)
    client.get("/supervision/")  # warm the calendar and session caches

    with django_assert_num_queries(14):
        response = client.get("/supervision/")

    assert response.status_code == 200


# --- 督办 --------------------------------------------------------------------------------------------


def test_the_window_raises_an_order_from_the_page(case, task, login):
    client = login(case.world.chen_jing)

    form = client.get(f"/supervision/tasks/{task.pk}/order/")
    response = client.post(
        f"/supervision/tasks/{task.pk}/order/", {"content": "请说明进展和办结时间。", "due_in_days": "2"}
    )

    order = SupervisionOrder.objects.get()
    assert form.status_code == 200 and "发出督办" in form.content.decode()
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    assert order.due_date == datetime.date(2026, 3, 5)  # 2 working days after Tuesday 2026-03-03


def test_a_raise_without_a_date_shows_the_error_next_to_the_field(case, task, login):
    client = login(case.world.chen_jing)

    response = client.post(f"/supervision/tasks/{task.pk}/order/", {"content": "请加快"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "请填写答复期限：工作日天数或具体日期。" in page
    assert page.index("id_due_in_days") < page.index("请填写答复期限")
    assert not SupervisionOrder.objects.exists()


def test_a_date_on_a_day_off_is_refused_on_the_page(case, task, login):
    client = login(case.world.chen_jing)

    response = client.post(
        f"/supervision/tasks/{task.pk}/order/", {"content": "请加快", "due_date": "2026-03-07"}
    )

    assert response.status_code == 400
    assert "答复期限 2026-03-07 不是工作日，请选择工作日。" in response.content.decode()


def test_the_department_answers_and_the_window_accepts_on_the_order_page(case, order, login):
    department = login(case.police)
    window = login(case.world.chen_jing)

    page = department.get(order.get_absolute_url()).content.decode()
    answered = department.post(f"/supervision/orders/{order.pk}/respond/", {"respond-response": "明日办结。"})
    review = window.get(order.get_absolute_url()).content.decode()
    closed = window.post(
        f"/supervision/orders/{order.pk}/close/", {"close-decision": "accept", "close-note": ""}
    )

    order.refresh_from_db()
    assert "提交答复" in page and "确认或退回" not in page
    assert answered.status_code == 302 and closed.status_code == 302
    assert "确认或退回" in review and "明日办结。" in review
    assert order.status == OrderStatus.CLOSED


def test_an_empty_answer_is_shown_again_with_its_error(case, order, login):
    response = login(case.police).post(f"/supervision/orders/{order.pk}/respond/", {"respond-response": ""})

    assert response.status_code == 400
    assert "该字段是必填项。" in response.content.decode()


def test_answering_a_closed_order_on_the_page_shows_the_refusal(case, order, login):
    actions.withdraw_order(order, reason="误发", by=case.world.chen_jing, at=local(2026, 3, 3))

    response = login(case.police).post(
        f"/supervision/orders/{order.pk}/respond/", {"respond-response": "补充"}
    )

    assert response.status_code == 400
    assert "该督办事项已撤销，不能再答复。" in response.content.decode()


def test_sending_back_without_a_note_shows_the_error_next_to_the_note(case, order, login):
    actions.respond_to_order(order, response="好", by=case.police, at=local(2026, 3, 3))

    response = login(case.world.chen_jing).post(
        f"/supervision/orders/{order.pk}/close/", {"close-decision": "reopen", "close-note": ""}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert page.index("id_close-note") < page.index("退回重办须写明意见。")


def test_the_window_withdraws_an_order_from_the_page(case, order, login):
    response = login(case.world.chen_jing).post(
        f"/supervision/orders/{order.pk}/withdraw/", {"withdraw-reason": "任务已改派"}
    )

    order.refresh_from_db()
    assert response.status_code == 302
    assert order.status == OrderStatus.WITHDRAWN


def test_the_department_list_puts_orders_waiting_for_its_answer_first(case, login):
    world = case.world
    first = accepted_task(case)
    second = accepted_task(case)
    answered = actions.raise_order(first, content="一", due_in_days=1, by=world.chen_jing, at=world.at)
    waiting = actions.raise_order(second, content="二", due_in_days=5, by=world.chen_jing, at=world.at)
    actions.respond_to_order(answered, response="已答", by=case.police, at=world.at)

    page = login(case.police).get("/supervision/orders/").content.decode()

    assert "督办事项" in page
    assert page.index(waiting.get_absolute_url()) < page.index(answered.get_absolute_url())


@pytest.mark.parametrize("count", [1, 6])
def test_the_order_list_costs_the_same_queries_for_one_order_or_many(
    case, login, django_assert_num_queries, count
):
    world = case.world
    for _ in range(count):
        actions.raise_order(
            accepted_task(case), content="请加快", due_in_days=2, by=world.chen_jing, at=world.at
        )
    client = login(case.police)
    client.get("/supervision/orders/")

    with django_assert_num_queries(11):
        response = client.get("/supervision/orders/")

    assert response.status_code == 200


# --- 调度 --------------------------------------------------------------------------------------------


def test_the_window_opens_a_round_from_the_page(case, task, login):
    client = login(case.world.chen_jing)

    form = client.get("/supervision/rounds/new/").content.decode()
    response = client.post(
        "/supervision/rounds/new/",
        {
            "window": case.world.windows["兰山区"].pk,
            "title": "三月调度",
            "answer_due_date": "2026-03-04",
            "note": "",
        },
    )

    round_ = Round.objects.get()
    assert "发起调度" in form
    assert response.status_code == 302 and response["Location"] == round_.get_absolute_url()
    assert round_.entries.get().task == task


def test_a_window_cannot_open_a_round_for_another_window(case, task, login):
    response = login(case.world.chen_jing).post(
        "/supervision/rounds/new/",
        {"window": case.world.windows["罗庄区"].pk, "title": "越权", "answer_due_date": "2026-03-04"},
    )

    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()
    assert not Round.objects.exists()


def test_a_department_answers_per_task_on_the_round_page(case, round_, login):
    client = login(case.police)
    entry = round_.entries.get(department__short_name="市公安局")

    page = client.get(round_.get_absolute_url()).content.decode()
    response = client.post(
        f"/supervision/rounds/{round_.pk}/entries/{entry.pk}/answer/?page=1",
        {
            f"e{entry.pk}-progress": "审核中",
            f"e{entry.pk}-obstacle": "",
            f"e{entry.pk}-expected_date": "2026-03-05",
        },
    )

    entry.refresh_from_db()
    assert "提交答复" in page
    assert "李明" in page
    assert page.count('<article class="card"') == 1  # only its own entry
    assert response.status_code == 302 and response["Location"] == f"{round_.get_absolute_url()}?page=1"
    assert (entry.progress, entry.expected_date) == ("审核中", datetime.date(2026, 3, 5))


def test_an_answer_without_progress_is_shown_again_with_its_error(case, round_, login):
    entry = round_.entries.get(department__short_name="市公安局")

    response = login(case.police).post(
        f"/supervision/rounds/{round_.pk}/entries/{entry.pk}/answer/", {f"e{entry.pk}-progress": ""}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert page.index(f"id_e{entry.pk}-progress") < page.index("该字段是必填项。")


def test_the_window_sees_every_entry_and_the_report_and_closes_the_round(case, round_, login):
    client = login(case.world.chen_jing)

    page = client.get(round_.get_absolute_url()).content.decode()
    response = client.post(f"/supervision/rounds/{round_.pk}/close/")

    round_.refresh_from_db()
    assert page.count('<article class="card"') == 2
    assert "当前汇总" in page and "结束调度并保存报告" in page
    assert "提交答复" not in page
    assert response.status_code == 302
    assert round_.status == RoundStatus.CLOSED
    assert "调度报告" in client.get(round_.get_absolute_url()).content.decode()


def test_the_round_report_exports_to_excel_with_names_but_no_id_numbers(case, round_, login):
    world = case.world
    entry = round_.entries.get(department__short_name="市公安局")
    actions.answer_entry(entry, progress="=cmd|' /C calc'!A0", by=case.police, at=local(2026, 3, 3))

    response = login(world.chen_jing).get(f"/supervision/rounds/{round_.pk}/export/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="supervision-round-{round_.pk}.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["汇总", "明细", "说明"]
    cells = [str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "李明" in cells
    assert world.li_ming.id_number not in "".join(cells)
    assert world.li_ming.mobile not in "".join(cells)
    assert "'=cmd|' /C calc'!A0" in cells  # a formula is written as text
    summary = list(workbook["汇总"].iter_rows(values_only=True))
    assert summary[0] == ("主管部门", "任务数", "已答复", "未答复", "逾期", "反映困难", "已办结")
    assert summary[-1] == ("合计", 2, 1, 1, 0, 0, 0)
    audit = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert (audit.actor, audit.object_type, audit.object_id) == (
        world.chen_jing,
        "supervision.round",
        str(round_.pk),
    )


@pytest.mark.parametrize("count", [2, 7])
def test_the_round_pages_cost_the_same_queries_for_few_or_many_tasks(
    case, login, django_assert_num_queries, count
):
    items = [case.hukou, case.housing, case.school]
    for index in range(count):
        accepted_task(case, items=[items[index % 3]])
    round_ = actions.open_round(
        window=case.world.windows["兰山区"],
        title="调度",
        answer_due_date=datetime.date(2026, 3, 4),
        by=case.world.chen_jing,
        at=case.world.at,
    )
    window = login(case.world.chen_jing)
    window.get(round_.get_absolute_url())
    window.get("/supervision/rounds/")

    with django_assert_num_queries(13):
        detail = window.get(round_.get_absolute_url())
    with django_assert_num_queries(11):
        listing = window.get("/supervision/rounds/")

    assert detail.status_code == 200 and listing.status_code == 200
    assert listing.content.decode().count(f"0 / {count}") == 1
