"""Seeding, demo data and the benchmark command."""

import datetime
import io

from django.core.management import call_command

from huicai.workdays.choices import YearStatus
from huicai.workdays.demo import load_demo
from huicai.workdays.models import CalendarYear, SpecialDay

AT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def test_seeding_loads_every_year_chinese_calendar_covers_and_next_year_provisionally_twice_without_change(
    db,
):
    load_demo(at=AT)
    counts = (CalendarYear.objects.count(), SpecialDay.objects.count())

    load_demo(at=AT)

    assert (CalendarYear.objects.count(), SpecialDay.objects.count()) == counts
    assert list(
        CalendarYear.objects.filter(status=YearStatus.OFFICIAL).values_list("year", flat=True)
    ) == list(range(2026, 2003, -1))
    assert CalendarYear.objects.get(pk=2027).status == YearStatus.PROVISIONAL
    assert (
        CalendarYear.objects.get(pk=2026).source
        == "国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）"
    )
    assert SpecialDay.objects.get(date=datetime.date(2026, 2, 28)).name == "春节"


def test_the_seed_command_reports_what_it_loaded(db):
    out = io.StringIO()

    call_command("seed_workdays", through_year=2027, stdout=out)

    assert (
        "chinese-calendar 1.11.0 收录 2004–2026 年；本次录入官方年份 23 个，存入暂定年份 1 个。"
        in out.getvalue()
    )


def test_the_benchmark_command_runs(official_2026):
    out = io.StringIO()

    call_command("bench_workdays", count=50, stdout=out)

    assert "add_working_days：50 次" in out.getvalue()
