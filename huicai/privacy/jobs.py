"""Periodic work of privacy, declared in SCHEDULE (huicai/schedule.py collects it): requests past their
deadline are flagged once, so the window's queue and the supervisors see them without anyone looking."""

import datetime

from django.utils import timezone

from huicai.core.schedule import Job
from huicai.privacy import actions
from huicai.privacy.models import DataRequest


def flag_overdue_requests(*, at) -> dict:
    """Flag each open request whose deadline passed before today (one transaction per request)."""
    today = timezone.localdate(at)
    flagged = 0
    for data_request in DataRequest.objects.overdue_on(today).filter(overdue_flagged_at__isnull=True):
        if actions.flag_overdue_request(data_request, at=at):
            flagged += 1
    return {"flagged": flagged}


SCHEDULE = [
    Job("flag_overdue_privacy_requests", flag_overdue_requests, daily_at=datetime.time(8, 0)),
]
