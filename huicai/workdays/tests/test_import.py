"""Importing a year's official calendar from a file: everything or nothing, every error in Chinese with
its line number (W9, W13)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from huicai.workdays.actions import enter_official_year
from huicai.workdays.choices import DayKind, YearStatus
from huicai.workdays.forms import decode_calendar_file, parse_calendar_file
from huicai.workdays.models import CalendarRevision, CalendarYear, SpecialDay
from huicai.workdays.sources import DayEntry

D = datetime.date
AT = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)
GOOD_FILE = "date,kind,name\n2027-01-01,休,元旦\n\n# 春节\n2027-02-06,班,春节\n2027-02-08,holiday,春节\n"


def import_text(text, *, year=2027, source="国办发明电〔2026〕测试号", by=None):
    days = parse_calendar_file(text)
    return enter_official_year(year=year, days=days, source=source, by=by, at=AT)


def error_messages(text, **kwargs):
    with pytest.raises(ValidationError) as error:
        import_text(text, **kwargs)
    return error.value.messages


def test_a_good_file_is_entered_with_its_kinds_and_names(official_2026):
    import_text(GOOD_FILE)

    assert list(SpecialDay.objects.filter(calendar_year=2027).values_list("date", "kind", "name")) == [
        (D(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
        (D(2027, 2, 6), DayKind.WORKDAY, "春节"),
        (D(2027, 2, 8), DayKind.HOLIDAY, "春节"),
    ]
    assert CalendarYear.objects.get(pk=2027).status == YearStatus.OFFICIAL


def test_a_file_saved_by_excel_in_gb18030_is_read():
    text = decode_calendar_file("2027-01-01,休,元旦\n".encode("gb18030"))

    assert parse_calendar_file(text) == [DayEntry(D(2027, 1, 1), DayKind.HOLIDAY, "元旦", line=1)]


def test_a_bad_date_an_unknown_kind_and_a_wrong_column_count_are_each_named_by_line(official_2026):
    messages = error_messages("2027-01-01,休,元旦\n2027-02-30,休,春节\n2027-02-08,调,春节\n2027-02-09\n")

    assert messages == [
        "第 2 行：日期“2027-02-30”无效，应写作 2027-01-01。",
        "第 3 行：类型“调”无法识别，须为“休”或“班”（或 holiday / workday）。",
        "第 4 行：应为“日期,类型,名称”三列（名称可省），实际为 1 列。",
    ]
    assert not SpecialDay.objects.filter(calendar_year=2027).exists()


def test_a_date_of_another_year_is_refused_by_line(official_2026):
    assert error_messages("2027-01-01,休,元旦\n2026-12-31,休,元旦\n") == [
        "第 2 行：日期 2026-12-31 不在 2027 年内。"
    ]
    assert not CalendarYear.objects.filter(pk=2027).exists()


def test_a_make_up_working_day_on_a_weekday_is_refused(official_2026):
    assert error_messages("2027-01-06,班,元旦\n") == [
        "第 1 行：2027-01-06 是星期三，本来就是工作日，不能登记为调休上班（“班”）。"
    ]


def test_the_same_day_twice_with_different_meanings_in_one_file_refuses_the_whole_file(official_2026):
    token = CalendarRevision.objects.get().token

    messages = error_messages("2027-01-01,休,元旦\n2027-02-06,班,春节\n2027-02-06,休,春节\n")

    assert messages == ["第 3 行：2027-02-06 重复出现且含义不同：第 2 行为“班”，此处为“休”。"]
    assert not SpecialDay.objects.filter(calendar_year=2027).exists()
    assert CalendarRevision.objects.get().token == token


def test_the_same_day_twice_with_the_same_meaning_is_kept_once(official_2026):
    import_text("2027-01-01,休,元旦\n2027-01-01,休,元旦\n")

    assert SpecialDay.objects.filter(calendar_year=2027).count() == 1


def test_a_day_conflicting_with_an_official_year_refuses_the_whole_file(official_2026):
    before = list(SpecialDay.objects.filter(calendar_year=2026).values_list("date", "kind"))

    messages = error_messages(
        "2026-12-31,休,跨年\n2026-02-14,休,春节\n", year=2026, source="国办发明电〔2026〕更正"
    )

    assert messages == [
        "第 2 行：2026-02-14 在已生效的 2026 年官方日历中为“班”，不能改为“休”；如通知确有更正，请先在管理后台删除该日。"
    ]
    assert list(SpecialDay.objects.filter(calendar_year=2026).values_list("date", "kind")) == before
    assert "更正" not in CalendarYear.objects.get(pk=2026).source


def test_an_empty_file_is_refused(official_2026):
    assert error_messages("date,kind,name\n") == ["没有任何日期，未作更改。"]


def test_a_binary_file_is_refused():
    with pytest.raises(ValidationError, match="无法识别文件编码|不是文本格式"):
        parse_calendar_file(decode_calendar_file(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe\xfd"))


def test_the_import_command_enters_a_file(official_2026, tmp_path, world):
    path = tmp_path / "2027.csv"
    path.write_text(GOOD_FILE, encoding="utf-8")

    call_command("import_workdays", str(path), year=2027, source="国办发明电〔2026〕测试号", by="admin")

    calendar_year = CalendarYear.objects.get(pk=2027)
    assert calendar_year.status == YearStatus.OFFICIAL
    assert calendar_year.updated_by == world.admin
    assert calendar_year.days.count() == 3


def test_the_import_command_reports_the_bad_line_and_enters_nothing(official_2026, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("2027-01-01,休,元旦\n2027-13-01,休,元旦\n", encoding="utf-8")

    with pytest.raises(CommandError, match="第 2 行：日期“2027-13-01”无效"):
        call_command("import_workdays", str(path), year=2027, source="国办发明电〔2026〕测试号")

    assert not CalendarYear.objects.filter(pk=2027).exists()
