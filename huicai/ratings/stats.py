"""Satisfaction figures for dashboards and window grading (W10 完善评价结果使用机制, W17–W20).

Kept apart from ``actions.py`` because it changes nothing: it reads ratings for whoever builds the
dashboards. Ratings excluded by an upheld appeal never count.

The satisfaction rate is the share of 非常满意, 满意 and 基本满意 among the counted ratings' overall levels
(the 好评 levels of the national 好差评 scheme); 不满意 and 非常不满意 are the 差评.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from huicai.org.models import Window
from huicai.ratings.choices import GOOD_LEVELS, Level
from huicai.ratings.models import Rating


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def satisfaction_by_department(source, period=None) -> list[dict]:
    """Counts per level and the satisfaction rate of each department rated, from ``source``.

    ``source`` is a ``Rating`` queryset (already scoped by the caller, e.g. ``visible_to(user)``) or a
    ``Window``, meaning the ratings of talents at home in its subtree. ``period`` is ``(first_date,
    end_date)`` of local dates with the end excluded, on the date of rating; ``None`` for all time.

    One query. Rows come ordered by department; each is ``{"department_id", "department", "counts":
    {5: n, …, 1: n}, "total", "good", "bad", "satisfaction_rate"}`` with the rate a ``Decimal`` to four
    places (0.9375), or ``None`` when nothing counts.
    """
    if isinstance(source, Window):
        ratings = Rating.objects.filter(talent__home_window__path__startswith=source.path)
    else:
        ratings = source
    ratings = ratings.counted()
    if period is not None:
        first, end = period
        ratings = ratings.filter(rated_at__gte=_local_midnight(first), rated_at__lt=_local_midnight(end))
    per_level = {f"level_{level.value}": Count("id", filter=Q(overall=level.value)) for level in Level}
    rows = (
        ratings.order_by()
        .values("department_id", "department__name")
        .annotate(total=Count("id"), **per_level)
        .order_by("department_id")
    )
    result = []
    for row in rows:
        counts = {level.value: row[f"level_{level.value}"] for level in Level}
        good = sum(counts[level] for level in GOOD_LEVELS)
        total = row["total"]
        rate = (Decimal(good) / Decimal(total)).quantize(Decimal("0.0001"), ROUND_HALF_UP) if total else None
        result.append(
            {
                "department_id": row["department_id"],
                "department": row["department__name"],
                "counts": counts,
                "total": total,
                "good": good,
                "bad": total - good,
                "satisfaction_rate": rate,
            }
        )
    return result
