"""Fixed-window counters in the database, shared by every process (API throttles, refusal aggregation).

One statement per count: an upsert that returns the new total, on SQLite (3.35+) and PostgreSQL alike, so
two workers counting at once both land in the same row and neither count is lost.
"""

import datetime

from django.db import connection

from huicai.core.models import RateCounter


def window_start(at: datetime.datetime, seconds: int) -> int:
    return int(at.timestamp()) // seconds * seconds


def hit(name: str, *, seconds: int, at: datetime.datetime) -> int:
    """Count one occurrence of ``name`` in the ``seconds``-long window holding ``at``; the window's total."""
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (name, window_start, hits) VALUES (%s, %s, 1) "
            f"ON CONFLICT (name, window_start) DO UPDATE SET hits = {table}.hits + 1 RETURNING hits",
            [name[:200], window_start(at, seconds)],
        )
        return cursor.fetchone()[0]


def prune_rate_counters(*, at) -> dict:
    """Forget counts of windows that ended more than a day ago (no limit looks back further)."""
    cutoff = int(at.timestamp()) - 24 * 3600
    deleted, _ = RateCounter.objects.filter(window_start__lt=cutoff).delete()
    return {"deleted": deleted}
