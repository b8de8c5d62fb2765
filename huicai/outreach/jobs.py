"""Periodic work of the outreach app, declared in SCHEDULE at the end (huicai/schedule.py collects it)."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.core.schedule import Job
from huicai.notifications.actions import notify
from huicai.outreach.actions import pending_entries_by_unit_user
from huicai.outreach.choices import CHECKIN_CHASE, RoundStatus
from huicai.outreach.models import CheckinRound
from huicai.workdays import calendar


def _not_chased_today(today):
    return Q(status=RoundStatus.OPEN) & (Q(last_chased_date__isnull=True) | Q(last_chased_date__lt=today))


def _due_round_ids(today) -> list[int]:
    return list(
        CheckinRound.objects.filter(_not_chased_today(today)).order_by("pk").values_list("pk", flat=True)
    )


def chase_checkins(*, at) -> dict:
    """S14-4: remind the unit commissioners who still owe answers in an open check-in round, at most once
    per working day per round, and never on a day off of the official calendar.

    Each round's day is claimed with a compare-and-swap on ``last_chased_date``, in its own transaction
    with its notices: two schedulers, or a second run the same day, find the day taken and send nothing;
    a failure rolls the claim back and leaves the round to the next run.
    """
    today = timezone.localdate(at)
    if not calendar.is_working_day(today):
        return {"day": today.isoformat(), "working_day": False, "rounds": 0, "notified": 0}
    due = list(
        CheckinRound.objects.filter(_not_chased_today(today)).order_by("pk").values_list("pk", flat=True)
    )
    rounds = notified = 0
    for pk in due:
        with transaction.atomic():
            claimed = CheckinRound.objects.filter(_not_chased_today(today), pk=pk).update(
                last_chased_date=today
            )
            if claimed != 1:
                continue  # another scheduler took today's reminder, or the round was closed meanwhile
            checkin_round = CheckinRound.objects.select_related("window").get(pk=pk)
            rounds += 1
            for user, count in pending_entries_by_unit_user(checkin_round).items():
                notify(
                    [user],
                    kind=CHECKIN_CHASE,
                    title=_("状态调度待答复：%(title)s") % {"title": checkin_round.title},
                    body=_(
                        "%(window)s的状态调度中，您对接的 %(count)d 位人才尚未答复是否在职、是否在临沂居住。"
                    )
                    % {"window": checkin_round.window.name, "count": count},
                    link=reverse("outreach:pending"),
                    at=at,
                )
                notified += 1
    return {"day": today.isoformat(), "working_day": True, "rounds": rounds, "notified": notified}


SCHEDULE = [
    Job("outreach_chase_checkins", chase_checkins, daily_at=datetime.time(9, 0), working_days_only=True),
]
