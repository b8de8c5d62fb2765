"""Periodic work of the engagement app, declared in SCHEDULE at the end (huicai/schedule.py collects it)."""

import datetime

from django.utils import timezone

from huicai.core.schedule import Job
from huicai.engagement.actions import offer_rule
from huicai.engagement.models import EligibilityRule


def offer_new_matches(*, at) -> dict:
    """W16-1 政策找人, daily: each active rule whose policy is in force or whose item is published is offered
    to the talents who newly match it (a talent who turned the right age, a new arrival, a newly registered
    talent). Each (rule, talent) is offered once, ever: the unique ``Offer`` row and the rule's row lock make
    a second run, or two schedulers at once, send nothing twice. One transaction per rule."""
    day = timezone.localdate(at)
    rules = offers = 0
    for rule in EligibilityRule.objects.active().with_targets().order_by("pk"):
        if not rule.is_offerable_on(day):
            continue
        rules += 1
        offers += offer_rule(rule, at=at)
    return {"day": day.isoformat(), "rules": rules, "offers": offers}


SCHEDULE = [
    Job("engagement_offer_new_matches", offer_new_matches, daily_at=datetime.time(8, 30)),
]
