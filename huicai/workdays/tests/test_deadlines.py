"""Opening, postponing and closing a deadline (W9 deadlines in working days; W13 a delay sets a new date)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from huicai.workdays.actions import close_deadline, open_deadline, postpone_deadline
from huicai.workdays.models import Deadline, DeadlineChange

D = datetime.date
AT = datetime.datetime(2026, 2, 12, 9, 0, tzinfo=datetime.UTC)
LATER = datetime.datetime(2026, 2, 25, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def deadline(official_2026, world):
    return open_deadline(
        start_date=D(2026, 2, 12),
        working_days=5,
        label="李明 子女入学",
        responsible=[world.zhao_qiang],
        at=AT,
    )


def test_opening_a_deadline_computes_its_due_date_across_the_spring_festival(deadline, world):
    assert deadline.due_date == D(2026, 2, 26)
    assert deadline.is_provisional is False
    assert deadline.is_open
    assert list(deadline.responsible.all()) == [world.zhao_qiang]
    assert str(deadline) == "李明 子女入学：2026-02-26"


@pytest.mark.parametrize("limit", [0, -2])
def test_a_deadline_of_zero_or_fewer_working_days_is_refused_and_nothing_is_saved(official_2026, limit):
    with pytest.raises(ValidationError) as error:
        open_deadline(start_date=D(2026, 2, 12), working_days=limit, label="事项", at=AT)

    assert error.value.messages == [f"办结时限须至少为 1 个工作日，收到的是 {limit}。"]
    assert not Deadline.objects.exists()


def test_postponing_sets_a_new_completion_date_and_records_why(deadline, world):
    postpone_deadline(
        deadline, new_due_date=D(2026, 2, 28), reason="需补充材料", by=world.zhao_qiang, at=LATER
    )

    deadline.refresh_from_db()
    assert deadline.due_date == D(2026, 2, 28)  # a make-up Saturday, a working day
    assert deadline.working_days == 7
    change = deadline.changes.get()
    assert (change.old_due_date, change.new_due_date, change.reason) == (
        D(2026, 2, 26),
        D(2026, 2, 28),
        "需补充材料",
    )
    assert (change.by, change.at) == (world.zhao_qiang, LATER)


def test_postponing_to_a_holiday_is_refused(deadline, world):
    with pytest.raises(ValidationError) as error:
        postpone_deadline(
            deadline, new_due_date=D(2026, 3, 1), reason="需补充材料", by=world.zhao_qiang, at=LATER
        )

    assert error.value.messages == ["新的办结日期 2026-03-01 不是工作日。"]
    assert not DeadlineChange.objects.exists()


def test_postponing_to_an_earlier_date_or_without_a_reason_is_refused(deadline, world):
    with pytest.raises(ValidationError, match="新的办结日期须晚于原截止日期 2026-02-26"):
        postpone_deadline(deadline, new_due_date=D(2026, 2, 25), reason="提前", by=world.zhao_qiang, at=LATER)
    with pytest.raises(ValidationError, match="请说明延期原因"):
        postpone_deadline(deadline, new_due_date=D(2026, 3, 2), reason=" ", by=world.zhao_qiang, at=LATER)


def test_a_closed_deadline_is_neither_overdue_nor_postponed(deadline, world):
    assert deadline.is_overdue_on(D(2026, 2, 27))

    close_deadline(deadline, at=LATER)

    assert not deadline.is_overdue_on(D(2026, 2, 27))
    with pytest.raises(ValidationError, match="该时限已办结，不能延期"):
        postpone_deadline(deadline, new_due_date=D(2026, 3, 2), reason="延期", by=world.zhao_qiang, at=LATER)
