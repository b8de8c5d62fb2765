"""What other apps read of commissioner management (the grading engineer's window assessment, W17–W20).

Both take a window and read that window's own registry (S19: each window keeps the registry of its level):
the change records and the training of the windows below it are theirs, graded with them.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from huicai.commissioners.models import Post
from huicai.org.choices import WindowLevel
from huicai.org.models import Window
from huicai.staffing.models import ChangeRecord, TrainingAttendance
from huicai.staffing.scoring import training_minimum_hours


def change_filing_timeliness(*, window, start: datetime.date, end: datetime.date) -> tuple[int, int]:
    """S19: (on_time, due) of the change records of ``window`` whose 7-working-day limit ends in
    [start, end] (both dates included). ``due`` counts every such record; ``on_time`` those filed by the
    close of their due date (a record still pending after it, or filed later, is not on time)."""
    records = list(
        ChangeRecord.objects.filter(
            window=window, deadline__due_date__gte=start, deadline__due_date__lte=end
        ).values_list("filed_at", "deadline__due_date")
    )
    on_time = sum(
        1 for filed_at, due in records if filed_at is not None and timezone.localdate(filed_at) <= due
    )
    return on_time, len(records)


def registry_posts(*, window, year: int):
    """The posts of ``window``'s registry held at some time in ``year``."""
    tz = timezone.get_current_timezone()
    since = datetime.datetime(year, 1, 1, tzinfo=tz)
    until = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    held = Post.objects.filter(active_from__lt=until).exclude(active_to__lte=since)
    conditions = Q(window=window) | Q(employer__window=window)
    # Departments and institutions of a division belong to its city or county window, not to its parks.
    division_window = (
        Window.objects.filter(
            division_id=window.division_id, level__in=[WindowLevel.CITY, WindowLevel.COUNTY]
        )
        .order_by("path")
        .values_list("pk", flat=True)
        .first()
    )
    if division_window == window.pk:
        conditions |= Q(department__division_id=window.division_id)
        conditions |= Q(undertaking_org__division_id=window.division_id)
    return (
        held.filter(conditions)
        .select_related("user", "employer", "window", "department", "undertaking_org")
        .order_by("kind", "pk")
    )


def training_hours(*, window, year: int) -> list[tuple]:
    """[(post, hours)] of ``window``'s registry in ``year``, fewest hours first."""
    posts = registry_posts(window=window, year=year)
    hours = dict(
        TrainingAttendance.objects.filter(post__in=[p.pk for p in posts], session__session_date__year=year)
        .values_list("post_id")
        .annotate(total=Sum("hours"))
        .values_list("post_id", "total")
    )
    rows = [(post, hours.get(post.pk) or Decimal(0)) for post in posts]
    return sorted(rows, key=lambda row: (row[1], row[0].pk))


def training_summary(*, window, year: int) -> dict:
    """S20: ``window``'s training in ``year``: how many commissioners its registry had, their training hours
    in total and on average, and how many stayed below the yearly minimum (``HUICAI_TRAINING_MIN_HOURS``)."""
    rows = training_hours(window=window, year=year)
    minimum = training_minimum_hours()
    total = sum((hours for _post, hours in rows), Decimal(0))
    average = (total / len(rows)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if rows else Decimal(0)
    return {
        "commissioners": len(rows),
        "hours_total": total,
        "hours_avg": average,
        "below_minimum": sum(1 for _post, hours in rows if hours < minimum),
    }
