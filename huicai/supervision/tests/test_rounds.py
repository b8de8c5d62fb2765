"""W8 调度: a window opens a round over its jurisdiction's open tasks (a snapshot), each department answers
per task, those who have not are chased at most once per working day, and the window closes the round
with a report that is kept."""

import datetime

import pytest

from huicai.casework import actions as casework
from huicai.notifications.models import Notification
from huicai.supervision import actions
from huicai.supervision.choices import ROUND_NOTICE, RoundStatus
from huicai.supervision.jobs import chase_rounds
from huicai.supervision.models import Round, RoundEntry
from huicai.supervision.tests.conftest import accepted_task, local, submitted_task

TUESDAY = local(2026, 3, 3)
WEDNESDAY = local(2026, 3, 4)
FRIDAY = local(2026, 3, 6)


@pytest.fixture
def tasks(case):
    """Two 兰山区 tasks (市公安局 running, 市教育局 pending) and one of 罗庄区 (another jurisdiction)."""
    world = case.world
    police = accepted_task(case)
    school = submitted_task(case, [case.school])
    luozhuang = submitted_task(case, [case.housing], talent=world.liu_yang, by=world.qian_hui)
    return police, school, luozhuang


@pytest.fixture
def round_(case, tasks):
    return actions.open_round(
        window=case.world.windows["兰山区"],
        title="三月第一次调度",
        answer_due_date=datetime.date(2026, 3, 4),
        note="请逐项报告进展。",
        by=case.world.chen_jing,
        at=case.world.at,
    )


def chases_to(user):
    return Notification.objects.filter(recipient=user, kind=ROUND_NOTICE, title__startswith="催报").count()


def test_opening_a_round_snapshots_the_open_tasks_of_the_jurisdiction_and_tells_their_departments(
    case, tasks, round_
):
    police, school, _luozhuang = tasks

    entries = list(round_.entries.order_by("task_id"))

    assert [(e.task, e.task_status, e.due_date) for e in entries] == [
        (police, "accepted", datetime.date(2026, 3, 5)),
        (school, "pending", None),
    ]
    assert round_.opened_on == datetime.date(2026, 3, 2)
    for user in (case.police, case.school_commissioner):
        notice = Notification.objects.get(recipient=user, kind=ROUND_NOTICE)
        assert notice.title.startswith("调度：兰山区")
        assert notice.link == round_.get_absolute_url()
    assert not Notification.objects.filter(recipient=case.housing_commissioner, kind=ROUND_NOTICE).exists()


def test_the_snapshot_does_not_move_with_the_task(case, tasks, round_):
    police, _school, _ = tasks

    casework.complete_task(police, result="handled", note="已办", by=case.police, at=TUESDAY)

    entry = round_.entries.get(task=police)
    assert entry.task_status == "accepted"
    assert entry.task_status_label == "办理中"


def test_the_city_window_round_covers_every_county(case, tasks):
    world = case.world

    round_ = actions.open_round(
        window=world.windows["临沂市"],
        title="全市调度",
        answer_due_date=datetime.date(2026, 3, 4),
        by=world.zhou_min,
        at=world.at,
    )

    assert round_.entries.count() == 3


def test_a_window_with_no_open_task_has_nothing_to_schedule(case):
    with pytest.raises(actions.SupervisionError) as error:
        actions.open_round(
            window=case.world.windows["兰山区"],
            title="空调度",
            answer_due_date=datetime.date(2026, 3, 4),
            by=case.world.chen_jing,
            at=case.world.at,
        )

    assert error.value.messages == ["辖区内没有未办结的任务，无需调度。"]


def test_a_second_open_round_of_the_same_window_is_refused(case, round_):
    with pytest.raises(actions.SupervisionError) as error:
        actions.open_round(
            window=case.world.windows["兰山区"],
            title="又一次",
            answer_due_date=datetime.date(2026, 3, 4),
            by=case.world.chen_jing,
            at=TUESDAY,
        )

    assert error.value.messages == ["该窗口已有进行中的调度，请先结束后再发起。"]


@pytest.mark.parametrize(
    "answer_due_date, message",
    [
        (datetime.date(2026, 3, 1), "答复期限不能早于今天。"),
        (datetime.date(2026, 3, 7), "答复期限 2026-03-07 不是工作日，请选择工作日。"),
    ],
)
def test_the_answer_date_must_be_a_working_day_not_in_the_past(case, tasks, answer_due_date, message):
    with pytest.raises(actions.SupervisionError) as error:
        actions.open_round(
            window=case.world.windows["兰山区"],
            title="调度",
            answer_due_date=answer_due_date,
            by=case.world.chen_jing,
            at=case.world.at,
        )

    assert error.value.messages == [message]
    assert not Round.objects.exists()


@pytest.mark.parametrize("persona", ["sun_lei", "zhao_qiang", "wang_fang"])
def test_only_the_windows_own_staff_may_open_its_round(case, tasks, persona):
    with pytest.raises(actions.NotAllowed):
        actions.open_round(
            window=case.world.windows["兰山区"],
            title="调度",
            answer_due_date=datetime.date(2026, 3, 4),
            by=getattr(case.world, persona),
            at=case.world.at,
        )


def test_a_department_answers_for_its_task(case, round_, tasks):
    entry = round_.entries.get(task=tasks[0])

    entry = actions.answer_entry(
        entry,
        progress="已完成材料审核",
        obstacle="需省厅核验",
        expected_date=datetime.date(2026, 3, 5),
        by=case.police,
        at=TUESDAY,
    )

    assert (entry.progress, entry.obstacle, entry.expected_date) == (
        "已完成材料审核",
        "需省厅核验",
        datetime.date(2026, 3, 5),
    )
    assert (entry.answered_by, entry.answered_at) == (case.police, TUESDAY)


def test_an_answer_may_be_corrected_while_the_round_is_open(case, round_, tasks):
    entry = round_.entries.get(task=tasks[0])
    actions.answer_entry(entry, progress="审核中", by=case.police, at=TUESDAY)

    entry = actions.answer_entry(entry, progress="已办结", by=case.police, at=WEDNESDAY)

    assert (entry.progress, entry.answered_at) == ("已办结", WEDNESDAY)


def test_another_department_may_not_answer_and_the_window_may_not_answer_for_it(case, round_, tasks):
    entry = round_.entries.get(task=tasks[0])

    for user in (case.school_commissioner, case.world.chen_jing):
        with pytest.raises(actions.NotAllowed):
            actions.answer_entry(entry, progress="代答", by=user, at=TUESDAY)


@pytest.mark.parametrize(
    "answer, message",
    [
        ({"progress": ""}, "请填写进展情况。"),
        ({"progress": "进行中", "expected_date": datetime.date(2026, 3, 2)}, "预计办结日期不能早于今天。"),
    ],
)
def test_an_incomplete_answer_is_refused(case, round_, tasks, answer, message):
    entry = round_.entries.get(task=tasks[0])

    with pytest.raises(actions.SupervisionError) as error:
        actions.answer_entry(entry, **answer, by=case.police, at=TUESDAY)

    assert error.value.messages == [message]
    assert not RoundEntry.objects.filter(answered_at__isnull=False).exists()


def test_a_closed_round_takes_no_more_answers(case, round_, tasks):
    actions.close_round(round_, by=case.world.chen_jing, at=TUESDAY)
    entry = round_.entries.get(task=tasks[0])

    with pytest.raises(actions.InvalidTransition) as error:
        actions.answer_entry(entry, progress="迟到的答复", by=case.police, at=WEDNESDAY)

    assert error.value.messages == ["本轮调度已结束，不能再答复。"]


def test_closing_keeps_the_report_as_it_stood(case, round_, tasks):
    police_task = tasks[0]
    actions.answer_entry(
        round_.entries.get(task=police_task),
        progress="审核中",
        obstacle="需省厅核验",
        by=case.police,
        at=TUESDAY,
    )

    closed = actions.close_round(round_, by=case.world.chen_jing, at=FRIDAY)
    casework.complete_task(police_task, result="handled", note="已办", by=case.police, at=local(2026, 3, 9))

    closed.refresh_from_db()
    assert closed.status == RoundStatus.CLOSED
    assert (closed.closed_by, closed.closed_at) == (case.world.chen_jing, FRIDAY)
    report = closed.report
    assert report["as_of"] == "2026-03-06"
    rows = {row["department"]: row for row in report["departments"]}
    assert rows["临沂市公安局"] == {
        "department_id": police_task.department_id,
        "department": "临沂市公安局",
        "tasks": 1,
        "answered": 1,
        "unanswered": 0,
        "overdue": 1,  # due 2026-03-05, still running on 2026-03-06
        "obstacles": 1,
        "completed": 0,
    }
    assert rows[tasks[1].department.name]["unanswered"] == 1
    assert report["totals"] == {
        "tasks": 2,
        "answered": 1,
        "unanswered": 1,
        "overdue": 1,
        "obstacles": 1,
        "completed": 0,
    }


def test_closing_twice_or_by_a_department_is_refused(case, round_):
    with pytest.raises(actions.NotAllowed):
        actions.close_round(round_, by=case.police, at=TUESDAY)
    actions.close_round(round_, by=case.world.chen_jing, at=TUESDAY)

    with pytest.raises(actions.InvalidTransition) as error:
        actions.close_round(round_, by=case.world.chen_jing, at=TUESDAY)

    assert error.value.messages == ["本轮调度已经结束。"]


def test_departments_that_have_not_answered_are_chased_once_per_working_day(case, round_, tasks):
    actions.answer_entry(round_.entries.get(task=tasks[0]), progress="审核中", by=case.police, at=TUESDAY)

    same_day_as_opening = chase_rounds(at=local(2026, 3, 2, 17, 10))
    tuesday = chase_rounds(at=TUESDAY)
    tuesday_again = chase_rounds(at=TUESDAY + datetime.timedelta(hours=4))
    saturday = chase_rounds(at=local(2026, 3, 7))
    monday = chase_rounds(at=local(2026, 3, 9))

    assert same_day_as_opening == {"departments_chased": 0}
    assert tuesday == {"departments_chased": 1}
    assert tuesday_again == {"departments_chased": 0}
    assert saturday == {"skipped": "outside working hours"}
    assert monday == {"departments_chased": 1}
    assert chases_to(case.school_commissioner) == 2
    assert chases_to(case.police) == 0  # answered
    notice = Notification.objects.filter(recipient=case.school_commissioner, title__startswith="催报").first()
    assert (
        notice.title
        == "催报：兰山区高层次人才服务窗口「三月第一次调度」尚有1项任务未答复，答复期限2026-03-04"
    )


def test_a_closed_round_is_not_chased(case, round_):
    actions.close_round(round_, by=case.world.chen_jing, at=TUESDAY)

    assert chase_rounds(at=WEDNESDAY) == {"departments_chased": 0}
    assert chases_to(case.school_commissioner) == 0
