"""A year without an official calendar is computed by rule, flagged provisional, and recomputed when an
administrator enters the State Council's notice (W13: a deadline that moves is recorded and announced)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from huicai.notifications.models import Notification
from huicai.workdays.actions import close_deadline, enter_official_year, open_deadline, store_provisional_year
from huicai.workdays.calendar import add_working_days_with_basis, get_calendar
from huicai.workdays.choices import DayKind, YearStatus
from huicai.workdays.models import CalendarYear, DeadlineChange, SpecialDay
from huicai.workdays.sources import DayEntry, package_years

D = datetime.date
AT = datetime.datetime(2026, 12, 28, 9, 0, tzinfo=datetime.UTC)
ENTERED_AT = datetime.datetime(2026, 12, 30, 10, 0, tzinfo=datetime.UTC)
# A notice for 2027 as it might read: 元旦 1月1日（周五）放假，1月4日（周一）也放假.
NOTICE_2027 = [
    DayEntry(D(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
    DayEntry(D(2027, 1, 4), DayKind.HOLIDAY, "元旦"),
]


def test_chinese_calendar_1_11_covers_2004_to_2026_only():
    assert package_years() == range(2004, 2027)


def test_a_deadline_running_into_a_year_nobody_entered_is_computed_and_flagged_provisional(official_2026):
    # Monday 28 Dec 2026: 29 (1), 30 (2), 31 (3), Fri 1 Jan 2027 元旦 by rule, Mon 4 (4), Tue 5 (5).
    due = add_working_days_with_basis(D(2026, 12, 28), 5)

    assert due.date == D(2027, 1, 5)
    assert due.provisional is True
    assert due.provisional_years == (2027,)


def test_a_deadline_ending_before_the_new_year_is_not_provisional(official_2026):
    due = add_working_days_with_basis(D(2026, 12, 28), 3)

    assert due.date == D(2026, 12, 31)
    assert due.provisional is False


def test_a_task_accepted_on_new_years_eve_depends_only_on_next_year(official_2026):
    assert add_working_days_with_basis(D(2026, 12, 31), 1).provisional_years == (2027,)


def test_provisional_years_follow_the_statutory_holidays_by_rule(official_2026):
    # 2027 by rule: 春节 Feb 5 (除夕, Fri) to Feb 10; Thu 4 Feb (1), then Thu 11 Feb (2).
    due = add_working_days_with_basis(D(2027, 2, 3), 2)

    assert due.date == D(2027, 2, 11)
    assert due.provisional is True


@pytest.fixture
def provisional_deadline(official_2026, world):
    return open_deadline(
        start_date=D(2026, 12, 28),
        working_days=5,
        label="李明 出入境证件办理",
        responsible=[world.zhao_qiang, world.chen_jing],
        at=AT,
    )


def test_entering_the_official_year_recomputes_records_and_announces_the_move(provisional_deadline, world):
    assert provisional_deadline.due_date == D(2027, 1, 5)
    assert provisional_deadline.is_provisional

    enter_official_year(
        year=2027, days=NOTICE_2027, source="国办发明电〔2026〕测试号", by=world.admin, at=ENTERED_AT
    )

    provisional_deadline.refresh_from_db()
    assert provisional_deadline.due_date == D(2027, 1, 6)
    assert provisional_deadline.is_provisional is False
    change = DeadlineChange.objects.get(deadline=provisional_deadline)
    assert (change.old_due_date, change.new_due_date) == (D(2027, 1, 5), D(2027, 1, 6))
    assert change.by == world.admin
    assert change.at == ENTERED_AT
    assert change.reason == "录入2027年官方工作日历（国办发明电〔2026〕测试号）"
    notice = Notification.objects.get(recipient=world.zhao_qiang)
    assert notice.title == "办结时限已调整：李明 出入境证件办理"
    assert "截止日期由 2027-01-05 改为 2027-01-06" in notice.body
    assert Notification.objects.filter(recipient=world.chen_jing).count() == 1
    assert CalendarYear.objects.get(pk=2027).status == YearStatus.OFFICIAL


def test_a_deadline_the_official_year_confirms_loses_its_flag_without_a_change(provisional_deadline, world):
    enter_official_year(
        year=2027,
        days=[DayEntry(D(2027, 1, 1), DayKind.HOLIDAY, "元旦")],
        source="国办发明电〔2026〕测试号",
        by=world.admin,
        at=ENTERED_AT,
    )

    provisional_deadline.refresh_from_db()
    assert provisional_deadline.due_date == D(2027, 1, 5)
    assert provisional_deadline.is_provisional is False
    assert not DeadlineChange.objects.exists()
    assert not Notification.objects.exists()


def test_a_closed_deadline_is_not_moved(provisional_deadline, world):
    close_deadline(provisional_deadline, at=AT)

    enter_official_year(
        year=2027, days=NOTICE_2027, source="国办发明电〔2026〕测试号", by=world.admin, at=ENTERED_AT
    )

    provisional_deadline.refresh_from_db()
    assert provisional_deadline.due_date == D(2027, 1, 5)
    assert not DeadlineChange.objects.exists()


def test_one_person_responsible_for_several_moved_deadlines_gets_one_notification(official_2026, world):
    for label in ["事项甲", "事项乙"]:
        open_deadline(
            start_date=D(2026, 12, 28), working_days=5, label=label, responsible=[world.zhao_qiang], at=AT
        )

    enter_official_year(
        year=2027, days=NOTICE_2027, source="国办发明电〔2026〕测试号", by=world.admin, at=ENTERED_AT
    )

    notice = Notification.objects.get(recipient=world.zhao_qiang)
    assert notice.title == "2 项办结时限已调整"
    assert "事项甲" in notice.body and "事项乙" in notice.body


def test_entering_the_official_year_replaces_its_stored_provisional_days(official_2026, world):
    store_provisional_year(year=2027, at=AT)
    assert SpecialDay.objects.filter(calendar_year=2027, name="劳动节（补假）").exists()

    enter_official_year(
        year=2027, days=NOTICE_2027, source="国办发明电〔2026〕测试号", by=world.admin, at=ENTERED_AT
    )

    assert list(SpecialDay.objects.filter(calendar_year=2027).values_list("date", flat=True)) == [
        D(2027, 1, 1),
        D(2027, 1, 4),
    ]


def test_the_same_notice_entered_twice_changes_nothing_the_second_time(official_2026, world):
    enter_official_year(
        year=2027, days=NOTICE_2027, source="国办发明电〔2026〕测试号", by=world.admin, at=ENTERED_AT
    )
    calendar_year = CalendarYear.objects.get(pk=2027)

    enter_official_year(year=2027, days=NOTICE_2027, source="国办发明电〔2026〕测试号", by=world.admin, at=AT)

    assert CalendarYear.objects.get(pk=2027).updated_at == calendar_year.updated_at
    assert SpecialDay.objects.filter(calendar_year=2027).count() == 2


def test_an_amendment_to_an_official_year_adds_days_and_notes_its_source(official_2026, world):
    enter_official_year(
        year=2027, days=NOTICE_2027, source="国办发明电〔2026〕测试号", by=world.admin, at=ENTERED_AT
    )

    enter_official_year(
        year=2027,
        days=[DayEntry(D(2027, 1, 5), DayKind.HOLIDAY, "延长假期")],
        source="国办发明电〔2027〕1号",
        by=world.admin,
        at=ENTERED_AT,
    )

    calendar_year = CalendarYear.objects.get(pk=2027)
    assert calendar_year.source == "国办发明电〔2026〕测试号；国办发明电〔2027〕1号"
    assert calendar_year.days.count() == 3


def test_an_official_year_needs_a_source(official_2026, world):
    with pytest.raises(ValidationError) as error:
        enter_official_year(year=2027, days=NOTICE_2027, source="  ", by=world.admin, at=ENTERED_AT)

    assert error.value.messages == ["请注明依据，例如“国办发明电〔2025〕7号”。"]
    assert not CalendarYear.objects.filter(pk=2027).exists()


def test_a_count_of_working_days_says_which_provisional_years_it_rests_on(official_2026):
    cal = get_calendar()

    assert cal.provisional_years_between(D(2026, 12, 28), D(2027, 1, 5)) == (2027,)
    assert cal.provisional_years_between(D(2027, 1, 5), D(2026, 12, 28)) == (2027,)
    assert cal.provisional_years_between(D(2026, 3, 2), D(2026, 12, 31)) == ()
