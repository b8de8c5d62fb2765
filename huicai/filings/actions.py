"""Every change of state of a filing: one function each (W14, S18).

Each action takes keyword-only arguments with an explicit actor (``by``) and time (``at``), runs in one
transaction, re-reads the filing with ``select_for_update()`` and checks the version the caller saw, checks
who acts and the source state through the step table (``access.FILING_STEPS``), writes the change with its
``FilingEvent``, and tells the other side through the inbox.

Filing freezes a new ``FilingVersion`` (the snapshot and its SHA-256) and never touches an earlier one, so a
returned version stays as it was reviewed. A filing over ``HUICAI_FILING_INLINE_TALENTS`` talents is queued
instead: the task worker builds its snapshot with a progress bar on the page (``build_queued_filing``) and
then records the version exactly as an inline filing would.

Refusals: ``ActionRefused`` (400) for a rule (no reason to return, a window that files no such filing);
``InvalidTransition`` (409) when the state does not allow the step; ``StaleVersion`` (409) for a stale copy;
``NotAllowed`` (403) when the person may see the filing but not take the step.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.core.transitions import ActionRefused, NotAllowed, lock_for_update
from huicai.filings import access, periods, snapshots
from huicai.filings.choices import (
    FILING_ANSWERED,
    FILING_RECEIVED,
    BuildStatus,
    FilingAction,
    FilingKind,
    FilingStatus,
)
from huicai.filings.models import Filing, FilingEvent, FilingTalent, FilingVersion, checksum_of
from huicai.filings.tasks import enqueue_build
from huicai.notifications.actions import notify
from huicai.org.choices import WindowLevel

logger = logging.getLogger(__name__)

# W14: parks and counties file quarterly with the window above; S18: counties file their year with the city.
FILING_LEVELS = {
    FilingKind.QUARTERLY: (WindowLevel.COUNTY, WindowLevel.PARK, WindowLevel.GROUP),
    FilingKind.ANNUAL: (WindowLevel.COUNTY,),
}


def window_users(window_id, *, at):
    """The people holding a window commissioner's post at the window now."""
    posts = (
        Post.objects.active_at(at).filter(kind=PostKind.WINDOW, window_id=window_id).select_related("user")
    )
    return [post.user for post in posts]


def filer_users(filing, *, at):
    if filing.filer_post_id:
        return [filing.filer_post.user]
    return window_users(filing.filer_window_id, at=at)


@transaction.atomic
def open_filing(*, kind, period, filer_window=None, filer_post=None, by=None, at) -> Filing:
    """Open the draft of one filer's filing for one period, with its due date in working days after the
    period (W14, S18); the existing one if it is already open. The daily job opens every expected filing
    once its period has ended; ``by`` is None then."""
    if kind not in FilingKind.values:
        raise ActionRefused(_("备案类别不正确。"), code="kind")
    if period.unit != periods.unit_for(kind):
        raise ActionRefused(_("该类备案的期间不正确。"), code="period")
    if kind == FilingKind.UNIT:
        if filer_post is None or filer_post.kind != PostKind.UNIT:
            raise ActionRefused(_("单位专员服务报备只能由单位专员报送。"), code="filer")
        lookup = {"filer_post": filer_post}
        parent = filer_post.employer.window
    else:
        if filer_window is None or filer_window.level not in FILING_LEVELS[kind]:
            message = (
                _("年度档案备案由县区窗口向市级窗口报送。")
                if kind == FilingKind.ANNUAL
                else _("季度档案备案由园区和县区窗口向上级窗口报送。")
            )
            raise ActionRefused(message, code="filer")
        lookup = {"filer_window": filer_window}
        parent = filer_window.parent
    existing = Filing.objects.filter(kind=kind, period_start_date=period.start, **lookup).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            filing = Filing.objects.create(
                kind=kind,
                period_start_date=period.start,
                period_end_date=period.end,
                parent_window=parent,
                due_date=periods.due_date(kind, period),
                opened_at=at,
                **lookup,
            )
    except IntegrityError:
        # Opened by someone else (the job, the filer) between the look-up and the insert.
        return Filing.objects.get(kind=kind, period_start_date=period.start, **lookup)
    FilingEvent.objects.create(
        filing=filing,
        action=FilingAction.OPEN,
        from_status="",
        to_status=filing.status,
        by=by,
        at=at,
        note=_("报送期限 %(due)s") % {"due": filing.due_date.isoformat()},
    )
    return filing


def _lock(filing, expected_version):
    return lock_for_update(
        Filing.objects.select_related(*access.FILING_RELATED), filing.pk, expected_version=expected_version
    )


def _bump(filing, fields):
    filing.version = F("version") + 1
    filing.save(update_fields=[*fields, "version"])
    filing.refresh_from_db(fields=["version"])


@transaction.atomic
def save_remarks(filing, *, remarks, by, at, expected_version=None) -> Filing:
    """The filer's remarks on a draft or a returned filing (W14: the commissioner adds remarks to what the
    data says); they go into the snapshot when it is filed."""
    filing = _lock(filing, expected_version)
    access.FILING_STEPS.check("remarks", filing, by=by)
    # The worker is freezing the remarks it read: a change now would not be in the version.
    if filing.is_building:
        raise ActionRefused(_("快照正在生成中，请稍候。"), code="building")
    filing.remarks = remarks.strip()
    _bump(filing, ["remarks"])
    FilingEvent.objects.create(
        filing=filing,
        action=FilingAction.REMARKS,
        from_status=filing.status,
        to_status=filing.status,
        by=by,
        at=at,
        number=filing.current_number or None,
    )
    return filing


def is_large(filing) -> bool:
    return snapshots.talents_of(filing).count() > settings.HUICAI_FILING_INLINE_TALENTS


@transaction.atomic
def file_filing(filing, *, remarks=None, by, at, expected_version=None, inline=None) -> Filing:
    """File a draft with the parent window, or refile a returned one after correcting it (W14, S18).

    The snapshot is built from the data as it stands and frozen as the next version with its checksum. A
    filing over ``HUICAI_FILING_INLINE_TALENTS`` talents is queued for the task worker instead (``inline``
    forces either way); its status changes when the worker has built it."""
    filing = _lock(filing, expected_version)
    step = "refile" if filing.status == FilingStatus.RETURNED else "file"
    access.FILING_STEPS.check(step, filing, by=by)
    if filing.is_building:
        raise ActionRefused(_("快照正在生成中，请稍候。"), code="building")
    # A period is reported once it is over: its data is then complete.
    if timezone.localdate(at) <= filing.period_end_date:
        raise ActionRefused(_("本期尚未结束，期满后才能报送。"), code="period_open")
    if remarks is not None:
        filing.remarks = remarks.strip()
    if inline is None:
        inline = not is_large(filing)
    if not inline:
        filing.build_status = BuildStatus.QUEUED
        filing.build_requested_by = by
        filing.build_requested_at = at
        filing.build_error = ""
        filing.progress_done = filing.progress_total = 0
        _bump(
            filing,
            [
                "remarks",
                "build_status",
                "build_requested_by",
                "build_requested_at",
                "build_error",
                "progress_done",
                "progress_total",
            ],
        )
        FilingEvent.objects.create(
            filing=filing,
            action=FilingAction.QUEUE,
            from_status=filing.status,
            to_status=filing.status,
            by=by,
            at=at,
        )
        transaction.on_commit(lambda: enqueue_build(filing.pk), robust=True)
        return filing
    snapshot = snapshots.build_snapshot(filing, remarks=filing.remarks)
    return record_version(filing, snapshot, by=by, at=at)


def record_version(filing, snapshot, *, by, at) -> Filing:
    """Freeze ``snapshot`` as the locked filing's next version and move it to filed or refiled. Called inside
    the action's transaction, on the row it locked."""
    old = filing.status
    step = "refile" if old == FilingStatus.RETURNED else "file"
    number = filing.current_number + 1
    version = FilingVersion.objects.create(
        filing=filing,
        number=number,
        snapshot=snapshot,
        checksum=checksum_of(snapshot),
        talent_count=len(snapshot["talents"]),
        remarks=snapshot["remarks"],
        filed_by=by,
        filed_at=at,
    )
    FilingTalent.objects.bulk_create(
        [FilingTalent(version=version, talent_id=row["id"]) for row in snapshot["talents"]], batch_size=2000
    )
    filing.status = FilingStatus.REFILED if step == "refile" else FilingStatus.FILED
    filing.current_number = number
    filing.last_filed_at = at
    if filing.first_filed_at is None:
        filing.first_filed_at = at
        filing.first_filed_date = timezone.localdate(at)
    filing.build_status = BuildStatus.IDLE
    filing.progress_done = filing.progress_total
    _bump(
        filing,
        [
            "status",
            "current_number",
            "last_filed_at",
            "first_filed_at",
            "first_filed_date",
            "build_status",
            "progress_done",
        ],
    )
    FilingEvent.objects.create(
        filing=filing,
        action=FilingAction.REFILE if step == "refile" else FilingAction.FILE,
        from_status=old,
        to_status=filing.status,
        by=by,
        at=at,
        number=number,
        note=_("校验值 %(checksum)s") % {"checksum": version.checksum},
    )
    notify(
        window_users(filing.parent_window_id, at=at),
        kind=FILING_RECEIVED,
        title=_("收到备案：%(filing)s") % {"filing": filing},
        body=_("第 %(number)s 版，请审核后接收或退回。") % {"number": number},
        link=filing.get_absolute_url(),
        at=at,
    )
    return filing


def build_queued_filing(filing_id, *, at) -> str:
    """The task worker's part of a large filing: claim it (compare-and-swap, so a task run twice builds it
    once), build the snapshot writing the progress to the row as it goes, then record the version in one
    transaction on the locked row, if the filing still waits for it. A failure is kept on the row for the
    page, and the filer may file again."""
    claimed = Filing.objects.filter(pk=filing_id, build_status=BuildStatus.QUEUED).update(
        build_status=BuildStatus.RUNNING
    )
    if claimed != 1:
        return "skipped"
    filing = Filing.objects.select_related(*access.FILING_RELATED).get(pk=filing_id)

    def progress(done, total):
        Filing.objects.filter(pk=filing_id).update(progress_done=done, progress_total=total)

    try:
        snapshot = snapshots.build_snapshot(filing, remarks=filing.remarks, progress=progress)
        with transaction.atomic():
            filing = lock_for_update(Filing.objects.select_related(*access.FILING_RELATED), filing_id)
            if filing.build_status != BuildStatus.RUNNING or filing.status not in (
                FilingStatus.DRAFT,
                FilingStatus.RETURNED,
            ):
                return "skipped"
            record_version(filing, snapshot, by=filing.build_requested_by, at=at)
    except Exception as error:  # kept for the page; the filer may try again
        logger.exception("Could not build filing %s", filing_id)
        Filing.objects.filter(pk=filing_id).update(
            build_status=BuildStatus.FAILED, build_error=str(error)[:300], version=F("version") + 1
        )
        return "failed"
    return "filed"


@transaction.atomic
def accept_filing(filing, *, by, at, expected_version=None) -> Filing:
    """The parent window accepts the filed version (W14, S18); the filer is told."""
    filing = _lock(filing, expected_version)
    access.FILING_STEPS.check("accept", filing, by=by)
    old = filing.status
    filing.status = FilingStatus.ACCEPTED
    filing.accepted_at = at
    _bump(filing, ["status", "accepted_at"])
    FilingEvent.objects.create(
        filing=filing,
        action=FilingAction.ACCEPT,
        from_status=old,
        to_status=filing.status,
        by=by,
        at=at,
        number=filing.current_number,
    )
    notify(
        filer_users(filing, at=at),
        kind=FILING_ANSWERED,
        title=_("备案已接收：%(filing)s") % {"filing": filing},
        body=_("%(window)s 已接收第 %(number)s 版。")
        % {"window": filing.parent_window.name, "number": filing.current_number},
        link=filing.get_absolute_url(),
        at=at,
    )
    return filing


@transaction.atomic
def return_filing(filing, *, reason, by, at, expected_version=None) -> Filing:
    """The parent window returns the filed version with a reason (W14); the filer corrects and refiles it.
    The returned version stays, read-only, beside the next one."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("请填写退回原因。"), code="reason")
    filing = _lock(filing, expected_version)
    access.FILING_STEPS.check("return", filing, by=by)
    old = filing.status
    filing.status = FilingStatus.RETURNED
    _bump(filing, ["status"])
    FilingEvent.objects.create(
        filing=filing,
        action=FilingAction.RETURN,
        from_status=old,
        to_status=filing.status,
        by=by,
        at=at,
        number=filing.current_number,
        note=reason,
    )
    notify(
        filer_users(filing, at=at),
        kind=FILING_ANSWERED,
        title=_("备案被退回：%(filing)s") % {"filing": filing},
        body=_("退回原因：%(reason)s。请修改后重新报送。") % {"reason": reason},
        link=filing.get_absolute_url(),
        at=at,
    )
    return filing


__all__ = [
    "ActionRefused",
    "NotAllowed",
    "accept_filing",
    "build_queued_filing",
    "file_filing",
    "open_filing",
    "record_version",
    "return_filing",
    "save_remarks",
]
