"""Periodic work of the notifications app, declared in SCHEDULE at the end (huicai/schedule.py collects it)."""

import datetime
from collections import Counter

from django.utils import timezone

from huicai.core.schedule import Job
from huicai.notifications.actions import fail_abandoned_deliveries, get_due_delivery_ids, send_delivery


def send_pending(*, at, limit=500) -> dict:
    """Send due retries and deliveries whose queue job never ran or whose worker died (see the
    send_pending_deliveries command, which does the same by hand)."""
    outcome = Counter(failed=fail_abandoned_deliveries(at=at))
    for delivery_id in get_due_delivery_ids(at=at, limit=limit):
        outcome[send_delivery(delivery_id, at=timezone.now()) or "not_claimed"] += 1
    return dict(outcome)


SCHEDULE = [
    # Email/SMS retries whose wait is over, and deliveries the queue never ran.
    Job("send_pending_deliveries", send_pending, every=datetime.timedelta(minutes=5)),
]
