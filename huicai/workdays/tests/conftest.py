import datetime

import pytest

from huicai.workdays import calendar
from huicai.workdays.actions import seed_calendar

# The time at which the calendar is loaded in these tests: 2 March 2026, 09:00 UTC.
SEEDED_AT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Each test starts from the database, not from a snapshot cached by an earlier (rolled-back) test."""
    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture
def official_2026(db):
    """2025 and 2026 as chinese-calendar transcribes the State Council's notices; 2027 not entered."""
    seed_calendar(at=SEEDED_AT, years=[2025, 2026])


@pytest.fixture
def advance_clock(monkeypatch):
    """Step this process's monotonic clock past the calendar's time-to-live, as if seconds had passed."""
    offset = [0.0]
    real = calendar._monotonic
    monkeypatch.setattr(calendar, "_monotonic", lambda: real() + offset[0])

    def _advance(seconds):
        offset[0] += seconds

    return _advance
