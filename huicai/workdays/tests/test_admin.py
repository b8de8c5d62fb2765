"""Administrators enter and correct the calendar in the admin; each save moves the deadlines it affects."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from huicai.notifications.models import Notification
from huicai.workdays.actions import open_deadline
from huicai.workdays.choices import YearStatus
from huicai.workdays.models import CalendarYear, DeadlineChange, SpecialDay

D = datetime.date
NOW = datetime.datetime(2026, 12, 21, 9, 0, tzinfo=datetime.UTC)
IMPORT_URL = "/admin/workdays/calendaryear/import/"


@pytest.fixture
def deadline(official_2026, world):
    return open_deadline(
        start_date=D(2026, 12, 28),
        working_days=5,
        label="李明 人才公寓",
        responsible=[world.chen_jing],
        at=NOW,
    )


def upload(text):
    return SimpleUploadedFile("2027.csv", text.encode("utf-8"), content_type="text/csv")


def test_importing_a_file_in_the_admin_makes_the_year_official_and_moves_deadlines(deadline, world, login):
    with time_machine.travel(NOW, tick=False):
        client = login(world.admin)
        response = client.post(
            IMPORT_URL,
            {
                "year": "2027",
                "source": "国办发明电〔2026〕测试号",
                "file": upload("2027-01-01,休,元旦\n2027-01-04,休,元旦\n"),
            },
        )

    assert response.status_code == 302
    assert response["Location"] == "/admin/workdays/calendaryear/2027/change/"
    assert CalendarYear.objects.get(pk=2027).status == YearStatus.OFFICIAL
    deadline.refresh_from_db()
    assert deadline.due_date == D(2027, 1, 6)
    assert DeadlineChange.objects.get(deadline=deadline).by == world.admin
    assert Notification.objects.filter(recipient=world.chen_jing).count() == 1


def test_a_bad_file_in_the_admin_shows_the_line_and_saves_nothing(deadline, world, login):
    client = login(world.admin)

    response = client.post(
        IMPORT_URL,
        {
            "year": "2027",
            "source": "国办发明电〔2026〕测试号",
            "file": upload("2027-01-02,休,元旦\n2027-01-02,班,元旦\n"),
        },
    )

    assert response.status_code == 200
    assert "第 2 行：2027-01-02 重复出现且含义不同：第 1 行为“休”，此处为“班”。" in response.content.decode()
    assert not CalendarYear.objects.filter(pk=2027).exists()


def test_the_import_page_is_for_calendar_administrators_only(official_2026, world, login, client):
    assert client.get(IMPORT_URL).status_code == 302  # anonymous: to the admin login

    response = login(world.zhou_min).get(IMPORT_URL)  # staff without calendar permissions

    assert response.status_code == 403


def test_adding_a_day_in_the_admin_recomputes_the_deadlines_it_moves(deadline, world, login):
    client = login(world.admin)
    url = "/admin/workdays/calendaryear/2026/change/"
    days = list(SpecialDay.objects.filter(calendar_year=2026))
    data = {
        "status": YearStatus.OFFICIAL,
        "source": CalendarYear.objects.get(pk=2026).source,
        "days-TOTAL_FORMS": str(len(days) + 1),
        "days-INITIAL_FORMS": str(len(days)),
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
    }
    for i, day in enumerate(days):
        data |= {
            f"days-{i}-id": str(day.pk),
            f"days-{i}-calendar_year": "2026",
            f"days-{i}-date": day.date.isoformat(),
            f"days-{i}-kind": day.kind,
            f"days-{i}-name": day.name,
        }
    new = len(days)
    data |= {
        f"days-{new}-calendar_year": "2026",
        f"days-{new}-date": "2026-12-30",
        f"days-{new}-kind": "holiday",
    }

    response = client.post(url, data)

    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.due_date == D(2027, 1, 6)
    assert deadline.changes.get().reason == "管理员修改2026年工作日历"


def test_a_make_up_day_on_a_weekday_entered_in_the_admin_is_refused_in_chinese(official_2026, world, login):
    client = login(world.admin)

    response = client.post(
        "/admin/workdays/calendaryear/add/",
        {
            "year": "2030",
            "status": YearStatus.OFFICIAL,
            "source": "测试",
            "days-TOTAL_FORMS": "1",
            "days-INITIAL_FORMS": "0",
            "days-MIN_NUM_FORMS": "0",
            "days-MAX_NUM_FORMS": "1000",
            "days-0-date": "2030-01-02",
            "days-0-kind": "workday",
        },
    )

    assert response.status_code == 200
    assert "调休上班日须为星期六或星期日。" in response.content.decode()
    assert not CalendarYear.objects.filter(pk=2030).exists()


def test_a_day_of_another_year_entered_in_the_admin_is_refused_in_chinese(official_2026, world, login):
    client = login(world.admin)

    response = client.post(
        "/admin/workdays/calendaryear/add/",
        {
            "year": "2030",
            "status": YearStatus.OFFICIAL,
            "source": "测试",
            "days-TOTAL_FORMS": "1",
            "days-INITIAL_FORMS": "0",
            "days-MIN_NUM_FORMS": "0",
            "days-MAX_NUM_FORMS": "1000",
            "days-0-date": "2031-01-01",
            "days-0-kind": "holiday",
        },
    )

    assert response.status_code == 200
    assert "日期不在所属年度内。" in response.content.decode()
    assert not CalendarYear.objects.filter(pk=2030).exists()


def test_the_deadline_admin_lists_deadlines_with_a_constant_number_of_queries(
    deadline, world, login, django_assert_max_num_queries
):
    client = login(world.admin)
    client.get("/admin/workdays/deadline/")

    # 12 for the page, 4 for the audit row every superuser request writes (accounts/middleware.py), and on
    # PostgreSQL one more: the advisory lock that keeps the audit chain from forking.
    with django_assert_max_num_queries(16 + (connection.vendor == "postgresql")):
        response = client.get("/admin/workdays/deadline/")

    assert response.status_code == 200
    assert "李明 人才公寓" in response.content.decode()


def test_a_year_page_lists_its_holidays_and_make_up_days_with_a_constant_number_of_queries(
    official_2026, world, login, django_assert_max_num_queries
):
    client = login(world.admin)
    client.get("/admin/workdays/calendaryear/2026/change/")

    with django_assert_max_num_queries(15):
        response = client.get("/admin/workdays/calendaryear/2026/change/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "2026-02-28 班 春节" in html
    assert "国办发明电〔2025〕7号" in html
