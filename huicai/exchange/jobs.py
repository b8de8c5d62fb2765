"""Periodic work of the exchange app, declared in SCHEDULE at the end (huicai/schedule.py collects it)."""

import datetime

from django.utils import timezone

from huicai.core.schedule import Job
from huicai.exchange.actions import plan_batch, write_batch
from huicai.exchange.choices import BatchStatus
from huicai.exchange.models import ImportBatch


def run_waiting_imports(*, at, older_than=datetime.timedelta(minutes=5), limit=5) -> dict:
    """Run the batches whose queue job never ran (the queue was down at upload or confirmation): each is
    claimed by compare-and-swap in the action, so a worker that runs it at the same time does no harm."""
    cutoff = at - older_than
    planned = written = 0
    waiting = ImportBatch.objects.filter(status=BatchStatus.UPLOADED, created_at__lte=cutoff)
    for batch_id in waiting.values_list("pk", flat=True)[:limit]:
        plan_batch(batch_id, at=timezone.now())
        planned += 1
    confirmed = ImportBatch.objects.filter(status=BatchStatus.CONFIRMED, confirmed_at__lte=cutoff)
    for batch_id in confirmed.values_list("pk", flat=True)[:limit]:
        write_batch(batch_id, at=timezone.now())
        written += 1
    return {"planned": planned, "written": written}


SCHEDULE = [
    # Imports whose queue job never ran.
    Job("run_waiting_imports", run_waiting_imports, every=datetime.timedelta(minutes=5)),
]
