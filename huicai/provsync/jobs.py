"""The provincial sync's periodic work (W15): capture what changed, queue the next batch, send what is
due. Declared in ``SCHEDULE``, which the project's scheduler reads (huicai/schedule.py)."""

import datetime

from huicai.core.schedule import Job
from huicai.provsync import actions
from huicai.provsync.models import ProvincialBatch


def sync_with_province(*, at) -> dict:
    """Capture the changes since the last run; when the province's address and secret are configured,
    queue the next batch and send every batch that is due. Without them the outbox still fills, for the
    windows' downloads, and nothing is sent."""
    captured = actions.capture_changes(at=at)
    result = {"captured": sum(captured.values()), "queued": 0, "sent": 0, "failed": 0}
    if not actions.sync_configured():
        return result
    if actions.queue_batch(at=at) is not None:
        result["queued"] = 1
    for batch_id in ProvincialBatch.objects.due(at).order_by("pk").values_list("pk", flat=True):
        status = actions.send_batch(batch_id, at=at)
        if status == "sent":
            result["sent"] += 1
            # The next batch goes at once: a backlog drains in one run, one batch after the other.
            while (batch := actions.queue_batch(at=at)) is not None:
                if actions.send_batch(batch.pk, at=at) != "sent":
                    result["failed"] += 1
                    break
                result["sent"] += 1
        elif status is not None:
            result["failed"] += 1
    return result


SCHEDULE = [
    Job("provsync_province", sync_with_province, every=datetime.timedelta(minutes=10)),
]
