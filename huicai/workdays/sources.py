"""Where the calendar's days come from before (or instead of) an administrator entering them.

- **Official years from chinese-calendar.** The ``chinese-calendar`` package transcribes each year's
  State Council notice (国务院办公厅关于某年部分节假日安排的通知). Version 1.11.0 covers 2004 to 2026
  inclusive (checked by reading ``chinese_calendar.constants``: the smallest and largest years of its
  ``holidays`` table; it raises ``NotImplementedError`` for 2027). It does not carry the notices' document
  numbers, so ``NOTICE_NUMBERS`` holds the ones we checked against the published notices.
- **Provisional years from the holidays package.** For a year nobody has entered, ``holidays.China``
  computes the statutory holidays by rule (元旦, 春节 with 除夕 since 2025, 清明, 劳动节, 端午, 中秋, 国庆)
  with a holiday on a weekend moved to the next weekday; it knows the 调休 make-up working days only for
  the years its maintainers transcribed. The result is an estimate, flagged provisional wherever it is used.
"""

import datetime
import functools
from dataclasses import dataclass

import chinese_calendar
import holidays

from huicai.workdays.choices import DayKind


@dataclass(frozen=True)
class DayEntry:
    """One day to enter into the calendar; ``line`` is its line in an imported file, for error messages."""

    date: datetime.date
    kind: str
    name: str = ""
    line: int | None = None


# Document numbers of the notices, checked against the texts published by the State Council.
NOTICE_NUMBERS = {
    2024: "国办发明电〔2023〕7号",
    2025: "国办发明电〔2024〕12号",
    2026: "国办发明电〔2025〕7号",
}
PACKAGE_LABEL = f"chinese-calendar {chinese_calendar.__version__}"
PROVISIONAL_SOURCE = f"按法定节假日规则推算（holidays {holidays.__version__}），待国务院办公厅通知发布后录入"


def notice_title(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


def package_source(year: int) -> str:
    """The source recorded for a year seeded from chinese-calendar."""
    number = NOTICE_NUMBERS.get(year)
    if number:
        return f"{notice_title(year)}（{number}）"
    return f"{notice_title(year)}（据 {PACKAGE_LABEL}）"


def package_years() -> range:
    """The years chinese-calendar holds official data for (2004–2026 in 1.11.0)."""
    years = [day.year for day in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def official_days_from_package(year: int) -> list[DayEntry]:
    """Year ``year``'s days off and make-up working days as chinese-calendar transcribes the notice."""
    entries = []
    for day, value in chinese_calendar.holidays.items():
        if day.year == year:
            entries.append(DayEntry(day, DayKind.HOLIDAY, chinese_calendar.Holiday(value).chinese))
    for day, value in chinese_calendar.workdays.items():
        if day.year == year:
            entries.append(DayEntry(day, DayKind.WORKDAY, chinese_calendar.Holiday(value).chinese))
    return sorted(entries, key=lambda entry: entry.date)


@functools.lru_cache(maxsize=64)
def provisional_days(year: int) -> tuple[DayEntry, ...]:
    """Year ``year``'s days off computed by rule, plus any make-up working days the holidays package knows.

    Cached per process: it depends only on the installed package, never on the database.
    """
    # The next year too: a notice may move a working day into the December before (2001-12-29 for 2002).
    rules = holidays.China(years=[year, year + 1], language="zh_CN")
    entries = [
        DayEntry(day, DayKind.HOLIDAY, str(name)[:60]) for day, name in rules.items() if day.year == year
    ]
    makeup = {day for day in getattr(rules, "weekend_workdays", ()) if day.year == year}
    entries += [DayEntry(day, DayKind.WORKDAY, "调休上班") for day in makeup if day not in rules]
    return tuple(sorted(entries, key=lambda entry: entry.date))
