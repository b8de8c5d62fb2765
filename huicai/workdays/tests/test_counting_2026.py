"""Deadlines across the real 2026 holidays (国办发明电〔2025〕7号), as chinese-calendar 1.11 transcribes it:
春节 2月15日（周日）至23日（周一）放假，2月14日（周六）、2月28日（周六）上班；
国庆节 10月1日（周四）至7日（周三）放假，9月20日（周日）、10月10日（周六）上班；中秋节 9月25日至27日放假。
"""

import datetime
import random

import chinese_calendar
import pytest

from huicai.workdays.calendar import (
    add_working_days,
    add_working_days_with_basis,
    is_working_day,
    working_days_between,
)

D = datetime.date


def test_the_day_of_acceptance_is_not_counted(official_2026):
    assert add_working_days(D(2026, 3, 2), 1) == D(2026, 3, 3)


def test_a_limit_across_the_spring_festival_skips_the_holiday_and_counts_the_saturday_make_up_days(
    official_2026,
):
    # Thursday 12 Feb: Fri 13 (1), Sat 14 make-up (2), 15–23 off, Tue 24 (3), Wed 25 (4), Thu 26 (5).
    assert add_working_days(D(2026, 2, 12), 5) == D(2026, 2, 26)
    # Friday 13 Feb, 10 days: 14, 24, 25, 26, 27, Sat 28 make-up, 2 Mar, 3, 4, 5.
    assert add_working_days(D(2026, 2, 13), 10) == D(2026, 3, 5)


def test_a_task_accepted_during_the_spring_festival_starts_counting_after_it(official_2026):
    assert add_working_days(D(2026, 2, 15), 1) == D(2026, 2, 24)


def test_a_limit_across_national_day_counts_the_sunday_and_saturday_make_up_days(official_2026):
    # Friday 18 Sep: Sat 19 off, Sun 20 make-up (1), Mon 21 (2), Tue 22 (3).
    assert add_working_days(D(2026, 9, 18), 3) == D(2026, 9, 22)
    # Tuesday 29 Sep: Wed 30 (1), 1–7 Oct off, Thu 8 (2), Fri 9 (3), Sat 10 make-up (4), Mon 12 (5).
    assert add_working_days(D(2026, 9, 29), 5) == D(2026, 10, 12)


def test_working_days_between_counts_across_the_holidays(official_2026):
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 27)) == 5
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 12)) == 4
    assert working_days_between(D(2026, 10, 12), D(2026, 9, 30)) == -4
    assert working_days_between(D(2026, 10, 12), D(2026, 10, 12)) == 0


def test_is_working_day_follows_the_notice(official_2026):
    assert is_working_day(D(2026, 2, 14))  # Saturday, make-up
    assert not is_working_day(D(2026, 2, 16))  # Monday, 春节
    assert is_working_day(D(2026, 9, 20))  # Sunday, make-up
    assert not is_working_day(D(2026, 10, 6))  # Tuesday, 国庆节
    assert not is_working_day(D(2026, 3, 7))  # a plain Saturday
    assert is_working_day(D(2026, 3, 9))  # a plain Monday


def test_a_2026_deadline_is_official(official_2026):
    due = add_working_days_with_basis(D(2026, 9, 29), 5)

    assert due.date == D(2026, 10, 12)
    assert due.provisional is False
    assert due.provisional_years == ()


def test_every_2026_deadline_agrees_with_chinese_calendar_day_by_day(official_2026):
    rng = random.Random(9)
    for _ in range(300):
        start = D(2026, 1, 1) + datetime.timedelta(days=rng.randrange(300))
        limit = rng.randint(1, 40)
        expected, counted = start, 0
        while counted < limit:
            expected += datetime.timedelta(days=1)
            counted += chinese_calendar.is_workday(expected)

        assert add_working_days(start, limit) == expected, (start, limit)
        assert working_days_between(start, expected) == limit


@pytest.mark.parametrize("limit", [0, -3])
def test_a_limit_of_zero_or_fewer_days_is_refused_in_chinese(official_2026, limit):
    with pytest.raises(ValueError, match=f"办结时限须至少为 1 个工作日，收到的是 {limit}"):
        add_working_days(D(2026, 3, 2), limit)


@pytest.mark.parametrize("limit", ["5", 2.5, True, None])
def test_a_limit_that_is_not_a_whole_number_is_refused(official_2026, limit):
    with pytest.raises(ValueError, match="办结时限须为整数个工作日"):
        add_working_days(D(2026, 3, 2), limit)


def test_a_datetime_instead_of_a_date_is_refused(official_2026):
    with pytest.raises(TypeError, match="须传入日期"):
        add_working_days(datetime.datetime(2026, 3, 2, 9, 0), 1)
