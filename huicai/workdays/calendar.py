"""Working days on the official Chinese calendar: the one module that counts them (W9, W13).

Convention (the measures count every limit in working days, 工作日):

- The day of acceptance (the start date) is **not** counted, whatever day it is. A limit of N working
  days ends at the close of the N-th working day after it: accepted on Monday 2026-03-02 with a limit of
  1, the task is due at the close of Tuesday 2026-03-03.
- A working day is Monday to Friday, except the days off of the State Council's yearly notice, plus the
  Saturdays and Sundays that the notice makes working days (调休上班).
- N must be a whole number of at least 1; anything else is refused with a Chinese ``ValueError``.
- ``working_days_between(a, b)`` counts the working days after ``a`` up to and including ``b``, so
  ``working_days_between(start, add_working_days(start, n)) == n``; it is negative when ``b`` is before
  ``a`` (a task 2 working days overdue) and 0 when they are the same day.

A year that nobody has entered is never refused (a task accepted in December runs into January): it is
computed from the statutory holidays by rule (``huicai.workdays.sources.provisional_days``) and every answer
that depends on it says so (``DueDate.provisional``).

Caching, and why this way. A deadline computation must not query per day, and pages compute thousands of
them. Each process therefore holds one immutable snapshot of the whole calendar (a few dozen rows a year)
with, per year, the sorted list of its working days as ordinals; a computation is then a dictionary look-up
and a binary search. The snapshot is tagged with the token of the single ``CalendarRevision`` row, which
every change of the calendar replaces (inside the changing transaction). A process compares its token
with the database's at most once every ``CHECK_SECONDS`` seconds (3 queries to reload when it differs, 1
otherwise), so:

- in the process that made the change the cache is dropped at once (and again on commit), so the change
  is seen immediately, including by the recomputation of deadlines in the same transaction;
- every other process sees it at most ``CHECK_SECONDS`` seconds after the commit;
- computing 100 or 100,000 deadlines costs at most 3 queries.

A time-to-live check was chosen over a check on every call because one query per call would cost more
than the computation itself and make a list of 100 deadlines 100 queries; and over a cross-process cache
server because the project runs on SQLite or PostgreSQL alone. The trade-off is the few seconds during
which another process may still use the previous calendar, and the same few seconds after a change that
was rolled back; calendar changes are rare administrative acts, announced in advance, so this is
harmless. The clock used for the time-to-live is the process's monotonic clock, not the domain's time.
"""

import bisect
import datetime
import threading
import time
from dataclasses import dataclass

from django.utils.translation import gettext as _

from huicai.workdays.choices import DayKind, YearStatus
from huicai.workdays.models import CalendarRevision, CalendarYear, SpecialDay
from huicai.workdays.sources import PROVISIONAL_SOURCE, provisional_days

# How long a process trusts its cached calendar before comparing its token with the database's.
CHECK_SECONDS = 5.0
# A guard against runaway loops; the longest committed limits in the catalogue are a few dozen days.
MAX_WORKING_DAYS = 2000

_monotonic = time.monotonic  # replaced in tests to step past the time-to-live
_lock = threading.Lock()
_current = None
_check_after = 0.0


@dataclass(frozen=True)
class DueDate:
    """A computed due date and whether it rests on a year whose calendar is still provisional."""

    date: datetime.date
    provisional: bool = False
    provisional_years: tuple[int, ...] = ()


class YearTable:
    """One year's calendar in memory: its special days and the sorted ordinals of its working days."""

    __slots__ = ("year", "status", "source", "special", "ordinals", "last_ordinal")

    def __init__(self, year: int, status: str, source: str, special: dict):
        self.year = year
        self.status = status
        self.source = source
        self.special = special
        first = datetime.date(year, 1, 1).toordinal()
        self.last_ordinal = datetime.date(year, 12, 31).toordinal()
        ordinals = []
        for ordinal in range(first, self.last_ordinal + 1):
            kind = special.get(ordinal)
            # date.fromordinal(o).weekday() == (o + 6) % 7: Monday is 0.
            if kind == DayKind.WORKDAY or (kind is None and (ordinal + 6) % 7 < 5):
                ordinals.append(ordinal)
        self.ordinals = ordinals

    @property
    def provisional(self) -> bool:
        return self.status != YearStatus.OFFICIAL


class Calendar:
    """An immutable snapshot of the calendar at one revision; use ``get_calendar()`` to obtain one."""

    def __init__(self, token: str, years: dict, days: dict):
        # years: {year: (status, source)}; days: {year: {ordinal: kind}} for the years stored in the database.
        self.token = token
        self._years = years
        self._days = days
        self._tables = {}

    def table(self, year: int) -> YearTable:
        table = self._tables.get(year)
        if table is None:
            table = self._tables[year] = self._build(year)
        return table

    def _build(self, year: int) -> YearTable:
        if not 1 <= year <= 9998:
            raise ValueError(_("日期超出可计算的范围。"))
        stored = self._years.get(year)
        if stored is not None:
            status, source = stored
            return YearTable(year, status, source, self._days.get(year, {}))

        special = {entry.date.toordinal(): entry.kind for entry in provisional_days(year)}
        return YearTable(year, YearStatus.PROVISIONAL, PROVISIONAL_SOURCE, special)

    # --- Questions about years. ---

    def year_status(self, year: int) -> str:
        stored = self._years.get(year)
        return stored[0] if stored is not None else YearStatus.PROVISIONAL

    def is_official(self, year: int) -> bool:
        return self.year_status(year) == YearStatus.OFFICIAL

    # --- Questions about days. ---

    def is_working_day(self, day: datetime.date) -> bool:
        _check_date(day)
        ordinal = day.toordinal()
        kind = self.table(day.year).special.get(ordinal)
        if kind is not None:
            return kind == DayKind.WORKDAY
        return day.weekday() < 5

    def add_working_days_with_basis(self, start_date: datetime.date, n: int) -> DueDate:
        """The close of the n-th working day after ``start_date``, and whether it rests on a provisional year."""
        _check_date(start_date)
        _check_limit(n)
        after = start_date.toordinal()
        year = start_date.year
        remaining = n
        provisional_years = ()
        while True:
            table = self.table(year)
            ordinals = table.ordinals
            index = bisect.bisect_right(ordinals, after)
            # This year's days count only if some of them lie after the start date.
            if table.status != YearStatus.OFFICIAL and after < table.last_ordinal:
                provisional_years += (year,)
            available = len(ordinals) - index
            if remaining <= available:
                due = datetime.date.fromordinal(ordinals[index + remaining - 1])
                return DueDate(due, bool(provisional_years), provisional_years)
            remaining -= available
            year += 1

    def add_working_days(self, start_date: datetime.date, n: int) -> datetime.date:
        return self.add_working_days_with_basis(start_date, n).date

    def working_days_between(self, a: datetime.date, b: datetime.date) -> int:
        """Working days after ``a`` up to and including ``b``; negative when ``b`` is before ``a``."""
        _check_date(a)
        _check_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        low, high = a.toordinal(), b.toordinal()
        count = 0
        for year in range(a.year, b.year + 1):
            ordinals = self.table(year).ordinals
            count += bisect.bisect_right(ordinals, high) - bisect.bisect_right(ordinals, low)
        return count

    def provisional_years_between(self, a: datetime.date, b: datetime.date) -> tuple[int, ...]:
        """The provisional years that ``working_days_between(a, b)`` depends on (the days after the earlier
        date, up to and including the later one)."""
        low, high = min(a, b), max(a, b)
        if low == high:
            return ()
        first = (low + datetime.timedelta(days=1)).year
        return tuple(year for year in range(first, high.year + 1) if not self.is_official(year))


def _check_date(day) -> None:
    if isinstance(day, datetime.datetime) or not isinstance(day, datetime.date):
        raise TypeError(_("须传入日期（date），收到的是 %(type)s。") % {"type": type(day).__name__})


def _check_limit(n) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValueError(_("办结时限须为整数个工作日，收到的是“%(value)s”。") % {"value": n})
    if n < 1:
        raise ValueError(_("办结时限须至少为 1 个工作日，收到的是 %(value)s。") % {"value": n})
    if n > MAX_WORKING_DAYS:
        raise ValueError(_("办结时限不能超过 %(max)s 个工作日。") % {"max": MAX_WORKING_DAYS})


# --- The per-process cache. ---


def _read_token() -> str:
    return next(iter(CalendarRevision.objects.filter(pk=1).values_list("token", flat=True)), "")


def load_calendar(token: str | None = None) -> Calendar:
    """Read the whole calendar from the database (2 queries, 3 with the token)."""
    if token is None:
        token = _read_token()
    years = {
        year: (status, source)
        for year, status, source in CalendarYear.objects.values_list("year", "status", "source")
    }
    days = {}
    for year, day, kind in SpecialDay.objects.values_list("calendar_year_id", "date", "kind"):
        days.setdefault(year, {})[day.toordinal()] = kind
    return Calendar(token, years, days)


def get_calendar() -> Calendar:
    """The current calendar: the cached snapshot, checked against the database every ``CHECK_SECONDS``."""
    global _current, _check_after
    now = _monotonic()
    current = _current
    if current is not None and now < _check_after:
        return current
    with _lock:
        current = _current
        if current is not None and now < _check_after:
            return current
        token = _read_token()
        if current is None or current.token != token:
            current = load_calendar(token)
            _current = current
        _check_after = now + CHECK_SECONDS
        return current


def invalidate() -> None:
    """Drop this process's snapshot: called by every action that changes the calendar (and on commit)."""
    global _current, _check_after
    with _lock:
        _current = None
        _check_after = 0.0


# --- The questions the rest of the project asks. ---


def is_working_day(day: datetime.date) -> bool:
    return get_calendar().is_working_day(day)


def add_working_days(start_date: datetime.date, n: int) -> datetime.date:
    """The due date of a limit of ``n`` working days accepted on ``start_date`` (see the module docstring)."""
    return get_calendar().add_working_days_with_basis(start_date, n).date


def add_working_days_with_basis(start_date: datetime.date, n: int) -> DueDate:
    """Like ``add_working_days``, and whether the answer rests on a provisional year (``DueDate``)."""
    return get_calendar().add_working_days_with_basis(start_date, n)


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """Working days after ``a`` up to and including ``b`` (negative when ``b`` is before ``a``)."""
    return get_calendar().working_days_between(a, b)


def calendar_warning(today: datetime.date) -> str | None:
    """A warning for administrators when a year that deadlines run into has no official calendar yet.

    From November on, next year's notice is due (it is usually published in late October or November)
    and tasks accepted now run into next year; this year's calendar should always be official.
    """
    cal = get_calendar()
    if not cal.is_official(today.year):
        return _(
            "%(year)s年的官方工作日历尚未录入，本年的办结时限暂按推算的节假日计算并标为“暂定”。"
            "请录入国务院办公厅的节假日安排通知。"
        ) % {"year": today.year}
    if today.month >= 11 and not cal.is_official(today.year + 1):
        return _(
            "%(year)s年的官方工作日历尚未录入，跨入%(year)s年的办结时限暂按推算的节假日计算并标为“暂定”。"
            "国务院办公厅通知发布后，请在“工作日历”中录入或导入。"
        ) % {"year": today.year + 1}
    return None
