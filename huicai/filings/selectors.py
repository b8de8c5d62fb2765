"""Read-only questions other apps ask about filings (staffing's scorecards, grading's indicators, the
talent's archive). Keep these names and signatures: they are called from outside this app.

Timeliness counts a filing as due when its due date falls in [start, end] and as on time when it was first
filed on or before its due date (a later correction after a return does not make it late).
"""

import datetime

from django.db.models import Count, F, Q

from huicai.filings.choices import AWAITING_REVIEW, SUBMITTED, WITH_FILER, FilingKind, FilingStatus
from huicai.filings.models import Filing


def _timeliness(filings) -> tuple[int, int]:
    figures = filings.aggregate(
        due=Count("pk"), on_time=Count("pk", filter=Q(first_filed_date__lte=F("due_date")))
    )
    return figures["on_time"], figures["due"]


def unit_report_timeliness(
    *, post=None, window=None, start: datetime.date, end: datetime.date
) -> tuple[int, int]:
    """(on_time, due) for unit reports (W14) whose due date falls in [start, end]: one unit commissioner's
    post's, or all those filed with ``window``."""
    filings = Filing.objects.filter(kind=FilingKind.UNIT, due_date__gte=start, due_date__lte=end)
    if post is not None:
        filings = filings.filter(filer_post=post)
    if window is not None:
        filings = filings.filter(parent_window=window)
    return _timeliness(filings)


def window_filing_timeliness(*, window, start: datetime.date, end: datetime.date) -> tuple[int, int]:
    """(on_time, due) for ``window``'s quarterly and annual filings to its parent (W14, S18) due in
    [start, end]."""
    filings = Filing.objects.filter(
        filer_window=window,
        kind__in=[FilingKind.QUARTERLY, FilingKind.ANNUAL],
        due_date__gte=start,
        due_date__lte=end,
    )
    return _timeliness(filings)


def unit_reports_for_talent(talent, *, start=None, end=None):
    """The filed unit reports (W14) whose current version includes ``talent``, oldest period first; with
    ``start``/``end``, those whose period overlaps [start, end]. For the talent's archive timeline: the
    caller shows them within its own access rules (each is a ``Filing``; ``get_absolute_url`` is its page,
    seen only by the filing's chain)."""
    filings = Filing.objects.filter(
        kind=FilingKind.UNIT,
        status__in=[s for s in SUBMITTED if s != FilingStatus.RETURNED],
        versions__number=F("current_number"),
        versions__included_talents__talent=talent,
    )
    if start is not None:
        filings = filings.filter(period_end_date__gte=start)
    if end is not None:
        filings = filings.filter(period_start_date__lte=end)
    return filings.select_related("filer_post__user", "filer_post__employer", "parent_window").order_by(
        "period_start_date", "id"
    )


def board_counts(user, *, today) -> dict:
    """What waits on ``user`` (one query): their filings still to file, those late among them, and the
    filings filed with their windows waiting for review."""
    from huicai.accounts.roles import get_scope

    scope = get_scope(user)
    mine = Q(filer_post_id__in=scope.unit_post_ids) | Q(filer_window_id__in=scope.window_ids)
    to_review = Q(parent_window_id__in=scope.window_ids, status__in=AWAITING_REVIEW)
    figures = (
        Filing.objects.visible_to(user)
        .filter(mine | to_review)
        .aggregate(
            to_file=Count("pk", filter=mine & Q(status__in=WITH_FILER)),
            late=Count("pk", filter=mine & Q(status__in=WITH_FILER, due_date__lt=today)),
            to_review=Count("pk", filter=to_review),
        )
    )
    return figures


def jurisdiction_counts(user, *, today) -> dict:
    """For the dashboard: filings in the user's sight not yet filed past their due date, and filings
    waiting for review (one query)."""
    return Filing.objects.visible_to(user).aggregate(
        late=Count("pk", filter=Q(status__in=WITH_FILER, due_date__lt=today)),
        awaiting=Count("pk", filter=Q(status__in=AWAITING_REVIEW)),
    )
