"""The slow part of an import, run by the task worker (``manage.py db_worker``): the dry run of an
uploaded file, and the confirmed write. Each task computes the time at the edge and calls the action,
which claims the batch by compare-and-swap: a task run twice does the work once."""

import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def plan_import_batch(batch_id: int) -> str:
    from huicai.exchange.actions import plan_batch

    return plan_batch(batch_id, at=timezone.now()).status


@task()
def write_import_batch(batch_id: int) -> str:
    from huicai.exchange.actions import write_batch

    return write_batch(batch_id, at=timezone.now()).status


def enqueue(task_function, batch_id: int) -> None:
    """Hand a batch to the worker. Never raises: a queue that is down leaves the batch waiting, and the
    ``run_waiting_imports`` job picks it up."""
    try:
        task_function.enqueue(batch_id)
    except Exception:
        logger.exception("Could not enqueue import batch %s; the sweep will run it", batch_id)
