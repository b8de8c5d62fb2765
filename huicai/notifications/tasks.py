"""Background sending through Django's Tasks API (the django-tasks backport; the database queue in
production, run by ``manage.py db_worker``).

A task only computes the time at the edge and calls the action; whatever happens to one delivery is
recorded on its row, so the task itself succeeds unless the database is gone.
"""

from django.utils import timezone
from django_tasks import task

from huicai.notifications.actions import send_delivery


@task()
def send_deliveries(delivery_ids: list[int]) -> dict[str, int]:
    outcome: dict[str, int] = {}
    for delivery_id in delivery_ids:
        status = send_delivery(delivery_id, at=timezone.now()) or "not_claimed"
        outcome[status] = outcome.get(status, 0) + 1
    return outcome
