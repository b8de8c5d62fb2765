"""Demo data for the calendar: the official years chinese-calendar covers, and next year provisional."""

from django.utils import timezone

from huicai.workdays.actions import seed_calendar


def load_demo(*, at) -> None:
    """Idempotent: official years already stored are left alone, provisional ones are not stored twice."""
    seed_calendar(at=at, through_year=timezone.localdate(at).year + 1)
