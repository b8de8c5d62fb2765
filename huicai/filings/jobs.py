"""Periodic work of the filings app (W14, S18), declared in SCHEDULE at the end (huicai/schedule.py
collects it): open the filings of a period once it has ended, remind filers before the due date, flag the
late ones after it, and build the large filings whose queue job never ran.

Each filing is claimed with a compare-and-swap on its own timestamp (``reminded_at``, ``late_flagged_at``)
in its own transaction with its event and notices, so two schedulers (or a rerun) never remind or flag it
twice and a failure leaves it to the next run.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.core.schedule import Job
from huicai.filings import periods
from huicai.filings.actions import (
    FILING_LEVELS,
    build_queued_filing,
    filer_users,
    open_filing,
    window_users,
)
from huicai.filings.choices import (
    FILING_LATE,
    FILING_REMINDER,
    WITH_FILER,
    BuildStatus,
    FilingAction,
    FilingKind,
)
from huicai.filings.models import Filing, FilingEvent
from huicai.notifications.actions import notify
from huicai.org.models import Window
from huicai.workdays import calendar


def expected_filers(kind, period, *, at):
    """Who files ``kind`` for ``period``: the unit commissioners holding a post with a talent assigned at the
    period's end; the active windows of the levels that file it."""
    if kind == FilingKind.UNIT:
        return [
            {"filer_post": post}
            for post in Post.objects.active_at(at)
            .filter(kind=PostKind.UNIT, assignments__active_to__isnull=True)
            .select_related("employer__window")
            .distinct()
            .order_by("pk")
        ]
    windows = Window.objects.filter(is_active=True, level__in=FILING_LEVELS[kind], parent__isnull=False)
    return [{"filer_window": window} for window in windows.select_related("parent").order_by("pk")]


def open_due_filings(*, at) -> dict:
    """W14/S18: once a period has ended, every filer's filing for it is opened as a draft with its due date,
    so the boards show it and the reminders and late flags have a row to work on. Idempotent."""
    today = timezone.localdate(at)
    opened = 0
    for kind in FilingKind.values:
        period = periods.last_completed(kind, today)
        for filer in expected_filers(kind, period, at=at):
            existing = Filing.objects.filter(kind=kind, period_start_date=period.start, **filer).exists()
            if not existing:
                open_filing(kind=kind, period=period, at=at, **filer)
                opened += 1
    return {"opened": opened}


def remind_due_filings(*, at) -> dict:
    """Filers of a filing still to file (a draft, or a returned one) are reminded once in their inbox when
    its due date is within ``HUICAI_FILING_REMIND_WORKING_DAYS`` working days."""
    today = timezone.localdate(at)
    horizon = calendar.add_working_days(today, settings.HUICAI_FILING_REMIND_WORKING_DAYS)
    due = list(
        Filing.objects.filter(
            status__in=WITH_FILER, reminded_at__isnull=True, due_date__gte=today, due_date__lte=horizon
        )
        .order_by("due_date", "pk")
        .values_list("pk", flat=True)
    )
    reminded = 0
    for pk in due:
        with transaction.atomic():
            claimed = Filing.objects.filter(pk=pk, status__in=WITH_FILER, reminded_at__isnull=True).update(
                reminded_at=at
            )
            if claimed != 1:
                continue
            filing = Filing.objects.select_related(
                "filer_window", "filer_post__user", "filer_post__employer"
            ).get(pk=pk)
            FilingEvent.objects.create(
                filing=filing,
                action=FilingAction.REMIND,
                from_status=filing.status,
                to_status=filing.status,
                by=None,
                at=at,
            )
            notify(
                filer_users(filing, at=at),
                kind=FILING_REMINDER,
                title=_("备案即将到期：%(filing)s") % {"filing": filing},
                body=_("报送期限为 %(due)s，请及时报送。") % {"due": filing.due_date.isoformat()},
                link=filing.get_absolute_url(),
                at=at,
            )
            reminded += 1
    return {"due": len(due), "reminded": reminded}


def flag_late_filings(*, at) -> dict:
    """A filing not filed by its due date is flagged late once; the filer and the parent window are told
    (W14, S18). The flag stays: it is how the tree and the boards show a late filer."""
    today = timezone.localdate(at)
    due = list(
        Filing.objects.filter(
            status__in=WITH_FILER,
            first_filed_at__isnull=True,
            late_flagged_at__isnull=True,
            due_date__lt=today,
        )
        .order_by("due_date", "pk")
        .values_list("pk", flat=True)
    )
    flagged = 0
    for pk in due:
        with transaction.atomic():
            claimed = Filing.objects.filter(
                Q(first_filed_at__isnull=True), pk=pk, late_flagged_at__isnull=True
            ).update(late_flagged_at=at)
            if claimed != 1:
                continue
            filing = Filing.objects.select_related(
                "filer_window", "filer_post__user", "filer_post__employer"
            ).get(pk=pk)
            FilingEvent.objects.create(
                filing=filing,
                action=FilingAction.LATE,
                from_status=filing.status,
                to_status=filing.status,
                by=None,
                at=at,
                note=_("报送期限 %(due)s") % {"due": filing.due_date.isoformat()},
            )
            notify(
                [*filer_users(filing, at=at), *window_users(filing.parent_window_id, at=at)],
                kind=FILING_LATE,
                title=_("备案逾期未报送：%(filing)s") % {"filing": filing},
                body=_("报送期限为 %(due)s。") % {"due": filing.due_date.isoformat()},
                link=filing.get_absolute_url(),
                at=at,
            )
            flagged += 1
    return {"due": len(due), "flagged": flagged}


def build_waiting_filings(*, at, older_than=datetime.timedelta(minutes=5), limit=3) -> dict:
    """Build the large filings whose queue job never ran (the queue was down when they were filed)."""
    cutoff = at - older_than
    waiting = Filing.objects.filter(build_status=BuildStatus.QUEUED, build_requested_at__lte=cutoff)
    built = [
        build_queued_filing(pk, at=timezone.now()) for pk in waiting.values_list("pk", flat=True)[:limit]
    ]
    return {"built": built.count("filed")}


SCHEDULE = [
    # Periods end at midnight: the new period's drafts are there in the morning.
    Job("filings_open_due", open_due_filings, daily_at=datetime.time(6, 30)),
    # Due dates are dates: one run each working morning reminds and flags.
    Job("filings_remind_due", remind_due_filings, daily_at=datetime.time(8, 50), working_days_only=True),
    Job("filings_flag_late", flag_late_filings, daily_at=datetime.time(8, 55), working_days_only=True),
    Job("filings_build_waiting", build_waiting_filings, every=datetime.timedelta(minutes=5)),
]
