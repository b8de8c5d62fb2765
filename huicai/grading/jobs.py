"""Periodic work of window grading, declared in SCHEDULE at the end (huicai/schedule.py collects it)."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.core.schedule import Job
from huicai.grading.choices import INTERVIEW_OVERDUE, INTERVIEW_REMINDER, InterviewAction, InterviewStatus
from huicai.grading.models import Interview, InterviewEvent
from huicai.notifications.actions import notify
from huicai.workdays import calendar

REMIND_WORKING_DAYS = 3


def _recipients(interview, at):
    """The window's manager and commissioners, and the city window's commissioners."""
    posts = Post.objects.active_at(at).filter(
        Q(window_id=interview.window_id) | Q(window__parent__isnull=True), kind=PostKind.WINDOW
    )
    return [post.user for post in posts.select_related("user")]


def _claim(pk, field, condition, at) -> Interview | None:
    """Compare-and-swap on ``field``: only one scheduler (or rerun) acts on an interview."""
    claimed = Interview.objects.filter(pk=pk, status=InterviewStatus.RECTIFYING, **condition).update(
        **{field: at}
    )
    if claimed != 1:
        return None
    return Interview.objects.select_related("window").get(pk=pk)


def follow_up_rectification_plans(*, at) -> dict:
    """W20 follow-up: remind the window and the city of a 约谈's rectification plan due within
    REMIND_WORKING_DAYS working days (once), and flag a plan past its deadline as overdue (once).

    Each interview is claimed with a compare-and-swap on ``reminded_at`` / ``overdue_flagged_at`` in its
    own transaction with its event and notices, so two schedulers never act twice on one plan.
    """
    today = timezone.localdate(at)
    soon = calendar.add_working_days(today, REMIND_WORKING_DAYS)
    overdue = list(
        Interview.objects.filter(
            status=InterviewStatus.RECTIFYING, overdue_flagged_at__isnull=True, plan_due_date__lt=today
        ).values_list("pk", flat=True)
    )
    due_soon = list(
        Interview.objects.filter(
            status=InterviewStatus.RECTIFYING,
            reminded_at__isnull=True,
            plan_due_date__gte=today,
            plan_due_date__lte=soon,
        ).values_list("pk", flat=True)
    )
    flagged = reminded = 0
    for pk in overdue:
        with transaction.atomic():
            interview = _claim(
                pk, "overdue_flagged_at", {"overdue_flagged_at__isnull": True, "plan_due_date__lt": today}, at
            )
            if interview is None:
                continue
            InterviewEvent.objects.create(
                interview=interview,
                action=InterviewAction.OVERDUE,
                from_status=interview.status,
                to_status=interview.status,
                by=None,
                at=at,
                note=_("整改期限 %(due)s 已过，尚未销号。") % {"due": interview.plan_due_date.isoformat()},
            )
            notify(
                _recipients(interview, at),
                kind=INTERVIEW_OVERDUE,
                title=_("约谈整改逾期：%(window)s") % {"window": interview.window.name},
                body=_("整改期限为 %(due)s，尚未完成销号。") % {"due": interview.plan_due_date.isoformat()},
                link=interview.get_absolute_url(),
                at=at,
            )
            flagged += 1
    for pk in due_soon:
        with transaction.atomic():
            interview = _claim(pk, "reminded_at", {"reminded_at__isnull": True}, at)
            if interview is None:
                continue
            InterviewEvent.objects.create(
                interview=interview,
                action=InterviewAction.REMIND,
                from_status=interview.status,
                to_status=interview.status,
                by=None,
                at=at,
                note=_("整改期限 %(due)s 将至。") % {"due": interview.plan_due_date.isoformat()},
            )
            notify(
                _recipients(interview, at),
                kind=INTERVIEW_REMINDER,
                title=_("约谈整改即将到期：%(window)s") % {"window": interview.window.name},
                body=_("整改期限为 %(due)s，请按期完成并报市级窗口验收。")
                % {"due": interview.plan_due_date.isoformat()},
                link=interview.get_absolute_url(),
                at=at,
            )
            reminded += 1
    return {"overdue": len(overdue), "flagged": flagged, "due_soon": len(due_soon), "reminded": reminded}


SCHEDULE = [
    # Deadlines are dates: one run each working morning.
    Job(
        "grading_follow_up_rectification_plans",
        follow_up_rectification_plans,
        daily_at=datetime.time(8, 50),
        working_days_only=True,
    ),
]
