"""The slow part of a large filing, run by the task worker (``manage.py db_worker``): building its snapshot
(W14, S18). The task computes the time at the edge and calls the action, which claims the filing by
compare-and-swap: a task run twice builds it once."""

import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def build_filing(filing_id: int) -> str:
    from huicai.filings.actions import build_queued_filing

    return build_queued_filing(filing_id, at=timezone.now())


def enqueue_build(filing_id: int) -> None:
    """Hand a filing to the worker. Never raises: a queue that is down leaves the filing queued, and the
    ``filings_build_waiting`` job picks it up."""
    try:
        build_filing.enqueue(filing_id)
    except Exception:
        logger.exception("Could not enqueue filing %s; the sweep will build it", filing_id)
