"""From November, administrators are warned while next year's official calendar is missing; and always
while this year's is."""

import datetime

import time_machine

from huicai.workdays.actions import enter_official_year
from huicai.workdays.calendar import calendar_warning
from huicai.workdays.choices import DayKind
from huicai.workdays.sources import DayEntry

D = datetime.date
AT = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)
MISSING_2027 = "2027年的官方工作日历尚未录入，跨入2027年的办结时限暂按推算的节假日计算并标为“暂定”。"


def test_there_is_no_warning_before_november(official_2026):
    assert calendar_warning(D(2026, 10, 31)) is None


def test_from_november_the_missing_next_year_is_announced(official_2026):
    assert calendar_warning(D(2026, 11, 1)).startswith(MISSING_2027)
    assert calendar_warning(D(2026, 12, 31)).startswith(MISSING_2027)


def test_the_warning_ends_once_next_year_is_entered(official_2026, world):
    enter_official_year(
        year=2027,
        days=[DayEntry(D(2027, 1, 1), DayKind.HOLIDAY, "元旦")],
        source="国办发明电〔2026〕测试号",
        by=world.admin,
        at=AT,
    )

    assert calendar_warning(D(2026, 11, 1)) is None


def test_a_current_year_without_an_official_calendar_is_announced_in_any_month(official_2026):
    assert calendar_warning(D(2027, 3, 1)).startswith("2027年的官方工作日历尚未录入，本年的办结时限")


def test_the_calendar_admin_shows_the_warning(official_2026, world, login):
    with time_machine.travel(AT, tick=False):
        client = login(world.admin)
        response = client.get("/admin/workdays/calendaryear/")

    assert response.status_code == 200
    assert MISSING_2027 in response.content.decode()
