"""The calendar is read once and cached in the process; a change is seen without restarting, by this
process at once and by the others within the time-to-live; computing many deadlines costs a few queries."""

import datetime
import uuid

from huicai.workdays import calendar
from huicai.workdays.actions import enter_official_year, open_deadline, recompute_open_deadlines
from huicai.workdays.choices import DayKind
from huicai.workdays.models import CalendarRevision, SpecialDay
from huicai.workdays.sources import DayEntry

D = datetime.date
AT = datetime.datetime(2026, 12, 28, 9, 0, tzinfo=datetime.UTC)


def test_a_change_entered_in_this_process_is_seen_at_once(official_2026, world):
    assert calendar.add_working_days(D(2027, 1, 4), 1) == D(2027, 1, 5)

    enter_official_year(
        year=2027,
        days=[DayEntry(D(2027, 1, 5), DayKind.HOLIDAY, "测试假日")],
        source="国办发明电〔2026〕测试号",
        by=world.admin,
        at=AT,
    )

    assert calendar.add_working_days(D(2027, 1, 4), 1) == D(2027, 1, 6)


def test_a_change_made_by_another_process_is_seen_once_the_time_to_live_has_passed(
    official_2026, advance_clock
):
    assert calendar.add_working_days(D(2026, 3, 2), 1) == D(2026, 3, 3)
    # Another process declares 3 March a day off and replaces the revision token.
    SpecialDay.objects.create(calendar_year_id=2026, date=D(2026, 3, 3), kind=DayKind.HOLIDAY, name="测试")
    CalendarRevision.objects.filter(pk=1).update(token=uuid.uuid4().hex)

    still_cached = calendar.add_working_days(D(2026, 3, 2), 1)
    advance_clock(calendar.CHECK_SECONDS + 1)
    reloaded = calendar.add_working_days(D(2026, 3, 2), 1)

    assert still_cached == D(2026, 3, 3)
    assert reloaded == D(2026, 3, 4)


def test_an_unchanged_calendar_is_checked_with_one_query_and_not_reloaded(
    official_2026, advance_clock, django_assert_num_queries
):
    calendar.add_working_days(D(2026, 3, 2), 1)
    advance_clock(calendar.CHECK_SECONDS + 1)

    with django_assert_num_queries(1):
        for day in range(1, 29):
            calendar.add_working_days(D(2026, 2, day), 10)


def test_a_hundred_deadlines_cost_at_most_three_queries_and_none_once_cached(
    official_2026, django_assert_max_num_queries, django_assert_num_queries
):
    starts = [D(2026, 1, 1) + datetime.timedelta(days=3 * i) for i in range(100)]

    with django_assert_max_num_queries(3):
        cold = [calendar.add_working_days_with_basis(start, 15) for start in starts]
    with django_assert_num_queries(0):
        warm = [calendar.add_working_days_with_basis(start, 15) for start in starts]

    assert cold == warm
    assert calendar.working_days_between(starts[0], cold[0].date) == 15


def test_recomputing_a_hundred_open_deadlines_costs_a_constant_number_of_queries(
    official_2026, world, django_assert_max_num_queries
):
    for i in range(100):
        open_deadline(
            start_date=D(2026, 12, 18) + datetime.timedelta(days=i % 10),
            working_days=10,
            label=f"事项{i}",
            responsible=[world.zhao_qiang, world.chen_jing],
            at=AT,
        )
    SpecialDay.objects.create(calendar_year_id=2026, date=D(2026, 12, 31), kind=DayKind.HOLIDAY, name="测试")
    calendar.invalidate()

    # 3 calendar + 1 deadlines + 1-2 bulk update + 1 history + 1 prefetch + 2 notifications (one per person),
    # plus savepoints.
    with django_assert_max_num_queries(15):
        moved = recompute_open_deadlines(years=[2026], by=world.admin, at=AT, reason="测试")

    assert len(moved) == 100
