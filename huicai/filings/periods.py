"""The periods filings are made for, and their due dates.

A period is named by a token that can travel in a URL: ``2026-03`` (a month), ``2026-Q1`` (a quarter),
``2026`` (a year). Unit reports are monthly unless the city sets ``HUICAI_FILING_UNIT_PERIOD=quarter``;
window filings are quarterly (W14) and county filings annual (S18). A period's due date is counted in working
days after its last day on the official calendar (huicai.workdays), so a quarter ending before the National
Day holiday is due after it.
"""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from huicai.filings.choices import FilingKind
from huicai.workdays import calendar

MONTH, QUARTER, YEAR = "month", "quarter", "year"
TOKEN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})|-Q(?P<quarter>[1-4]))?$")


@dataclass(frozen=True)
class Period:
    """One reporting period: its first and last day (both included) and its unit."""

    unit: str
    start: datetime.date
    end: datetime.date

    @property
    def token(self) -> str:
        if self.unit == MONTH:
            return f"{self.start:%Y-%m}"
        if self.unit == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def label(self) -> str:
        if self.unit == MONTH:
            return f"{self.start.year}年{self.start.month}月"
        if self.unit == QUARTER:
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.start.year}年度"

    def contains(self, other: "Period") -> bool:
        return self.start <= other.start and other.end <= self.end

    def previous(self) -> "Period":
        return containing(self.unit, self.start - datetime.timedelta(days=1))

    def next(self) -> "Period":
        return containing(self.unit, self.end + datetime.timedelta(days=1))


def _month_end(year, month) -> datetime.date:
    first_next = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def containing(unit: str, day: datetime.date) -> Period:
    if unit == MONTH:
        return Period(MONTH, day.replace(day=1), _month_end(day.year, day.month))
    if unit == QUARTER:
        first_month = (day.month - 1) // 3 * 3 + 1
        return Period(QUARTER, datetime.date(day.year, first_month, 1), _month_end(day.year, first_month + 2))
    return Period(YEAR, datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31))


def unit_for(kind: str) -> str:
    if kind == FilingKind.UNIT:
        return QUARTER if settings.HUICAI_FILING_UNIT_PERIOD == QUARTER else MONTH
    if kind == FilingKind.QUARTERLY:
        return QUARTER
    return YEAR


def last_completed(kind: str, today: datetime.date) -> Period:
    """The latest period of ``kind`` that has ended before ``today``: the one now being filed."""
    return containing(unit_for(kind), today).previous()


def parse(token: str) -> Period:
    """A period from its token; a clear Chinese error for anything else (ids in URLs are bad input too)."""
    match = TOKEN.match((token or "").strip())
    if not match:
        raise ValidationError(_("期间格式不正确，应为 2026、2026-Q1 或 2026-03。"), code="period")
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        raise ValidationError(_("期间年份超出范围。"), code="period")
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise ValidationError(_("期间月份不正确。"), code="period")
        return containing(MONTH, datetime.date(year, month, 1))
    if match["quarter"]:
        return containing(QUARTER, datetime.date(year, (int(match["quarter"]) - 1) * 3 + 1, 1))
    return containing(YEAR, datetime.date(year, 1, 1))


def due_working_days(kind: str) -> int:
    return settings.HUICAI_FILING_DUE_WORKING_DAYS[kind]


def due_date(kind: str, period: Period) -> datetime.date:
    """W14/S18: due the configured number of working days after the period's last day."""
    return calendar.add_working_days(period.end, due_working_days(kind))
