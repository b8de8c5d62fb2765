"""Periodic work of commissioner management, declared in SCHEDULE at the end (huicai/schedule.py collects
it): change records from the registry's post events, reminders and overdue flags (S19), and the month's and
year's scorecards (S21)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.commissioners.models import Post
from huicai.core.schedule import Job
from huicai.notifications.actions import notify
from huicai.staffing import actions
from huicai.staffing.choices import CHANGE_DUE_SOON, CHANGE_OVERDUE, ChangeAction, ChangeStatus, Period
from huicai.staffing.models import ChangeRecord, ChangeRecordEvent
from huicai.workdays import calendar

# Reminders go out when this many working days or fewer are left.
REMIND_WORKING_DAYS = 2


def record_post_changes(*, at) -> dict:
    """S19: a change record for every new registry change (see ``actions.record_post_changes``)."""
    return actions.record_post_changes(at=at)


def remind_change_filings(*, at) -> dict:
    """S19: once, when 2 working days or fewer are left, the organisation is reminded to file a change; once,
    after the due date, the record is flagged overdue and the organisation and the window are told.

    Each record is claimed with a compare-and-swap on ``reminded_at`` / ``overdue_flagged_at`` in its own
    transaction with its event and notices, so two schedulers (or a rerun) never send twice."""
    today = timezone.localdate(at)
    soon = calendar.add_working_days(today, REMIND_WORKING_DAYS)
    reminded = _sweep(
        ChangeRecord.objects.filter(
            status=ChangeStatus.PENDING,
            reminded_at__isnull=True,
            deadline__due_date__gte=today,
            deadline__due_date__lte=soon,
        ),
        flag="reminded_at",
        action=ChangeAction.REMIND,
        kind=CHANGE_DUE_SOON,
        title=_("专员变更待报备：%(text)s，%(due)s 前报本级窗口备案"),
        tell_window=False,
        at=at,
    )
    flagged = _sweep(
        ChangeRecord.objects.filter(
            status=ChangeStatus.PENDING, overdue_flagged_at__isnull=True, deadline__due_date__lt=today
        ),
        flag="overdue_flagged_at",
        action=ChangeAction.OVERDUE,
        kind=CHANGE_OVERDUE,
        title=_("专员变更报备逾期：%(text)s，应于 %(due)s 前报备"),
        tell_window=True,
        at=at,
    )
    return {"reminded": reminded, "flagged": flagged}


def _sweep(queryset, *, flag, action, kind, title, tell_window, at) -> int:
    done = 0
    for pk in list(queryset.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            # The claim tests only the row's own columns: a condition through a join (the deadline's date)
            # becomes a subquery that PostgreSQL does not re-check after waiting for a concurrent claim.
            claimed = ChangeRecord.objects.filter(
                pk=pk, status=ChangeStatus.PENDING, **{f"{flag}__isnull": True}
            ).update(**{flag: at})
            if claimed != 1:
                continue  # filed meanwhile, or another scheduler got it
            record = ChangeRecord.objects.select_related("post", "window", "deadline").get(pk=pk)
            ChangeRecordEvent.objects.create(
                record=record,
                action=action,
                from_status=record.status,
                to_status=record.status,
                by=None,
                at=at,
                note=record.deadline.due_date.isoformat(),
            )
            recipients = actions.filers_of(record.post, at=at)
            if tell_window:
                recipients += actions._window_staff(record.window, at=at)
            notify(
                recipients,
                kind=kind,
                title=title % {"text": record.description, "due": record.deadline.due_date.isoformat()},
                link=record.get_absolute_url(),
                at=at,
            )
            done += 1
    return done


def compute_scorecards(*, at) -> dict:
    """S21: after a month ends, every post's scorecard of that month; after a year ends, of that year. A
    period's scorecards are made once (a scorecard that exists is left; the window may recompute it)."""
    today = timezone.localdate(at)
    last_month_end = today.replace(day=1)
    last_month = (last_month_end - datetime.timedelta(days=1)).replace(day=1)
    made = {"month": 0, "year": 0}
    if actions.current_weights() is None:
        return {**made, "skipped": "no weights"}
    for period, start in ((Period.MONTH, last_month), (Period.YEAR, datetime.date(today.year - 1, 1, 1))):
        done = Post.objects.filter(scorecards__period=period, scorecards__period_start=start)
        posts = actions.period_posts(period=period, period_start=start).exclude(pk__in=done)
        made[period] = actions.compute_scorecards(period=period, period_start=start, at=at, posts=posts)[
            "computed"
        ]
    return made


SCHEDULE = [
    # Changes made in the registry's pages, its API or an import become change records within minutes.
    Job("staffing_record_post_changes", record_post_changes, every=datetime.timedelta(minutes=5)),
    # Due dates are dates: one run each working morning reminds and flags.
    Job(
        "staffing_remind_change_filings",
        remind_change_filings,
        daily_at=datetime.time(8, 50),
        working_days_only=True,
    ),
    Job("staffing_compute_scorecards", compute_scorecards, daily_at=datetime.time(2, 30)),
]
