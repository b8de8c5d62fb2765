"""Periodic work of the hotlines app, declared in SCHEDULE at the end (huicai/schedule.py collects it)."""

import datetime
from collections import Counter

from huicai.core.schedule import Job
from huicai.hotlines.actions import (
    fail_abandoned_deliveries,
    get_due_delivery_ids,
    queue_results,
    send_result,
)
from huicai.hotlines.models import WebhookMessage

# Far longer than the ±300 s a signed message stays acceptable: an id older than this can never be
# replayed successfully, because its timestamp fails the check first.
WEBHOOK_ID_MEMORY = datetime.timedelta(days=1)


def send_hotline_results(*, at, limit=100) -> dict:
    """S12-2: queue the result of every hotline case that closed since the last run, then send what is due
    (first attempts and retries). Safe with several schedulers at once: a delivery is unique per case and
    each send is claimed by a compare-and-swap."""
    outcome = Counter(queued=queue_results(at=at), failed=fail_abandoned_deliveries(at=at))
    for delivery_id in get_due_delivery_ids(at=at, limit=limit):
        outcome[send_result(delivery_id, at=at) or "not_claimed"] += 1
    return dict(outcome)


def forget_webhook_ids(*, at) -> dict:
    """Drop the webhook ids older than a day: the table stays small and no replay becomes possible."""
    deleted, _ = WebhookMessage.objects.filter(received_at__lt=at - WEBHOOK_ID_MEMORY).delete()
    return {"forgotten": deleted}


SCHEDULE = [
    # Every minute: the first retry of a failed result is due one minute after the failure.
    Job("hotlines_send_results", send_hotline_results, every=datetime.timedelta(minutes=1)),
    Job("hotlines_forget_webhook_ids", forget_webhook_ids, daily_at=datetime.time(3, 0)),
]
