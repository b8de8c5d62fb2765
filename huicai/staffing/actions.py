"""Every change of state in commissioner management (S19–S22): one function each.

Each action takes keyword-only arguments with an explicit actor (``by``) and time (``at``), runs in one
transaction, re-reads the row it changes under ``SELECT … FOR UPDATE`` and checks the version the caller
saw (``lock_for_update``), checks who acts and from which state through the model's ``StepTable``, writes
the change with its event row and tells the other side.

Refusals: ``ActionRefused`` (400) for a rule; ``InvalidTransition`` (409) when the state does not allow the
step (someone else acted first); ``StaleVersion`` (409) for a stale copy; ``NotAllowed`` (403) when the
person may see the row but not take the step.

How change records come from the registry (S19). The commissioners app writes a ``PostEvent`` in every
action that changes a post (appoint, end, transfer, change of contact), whether called by the onboarding pages, the API or
the importer. Staffing sits above commissioners, so commissioners cannot call staffing; of the two ways
to follow its events, this app **sweeps them** (``record_post_changes``, run by the scheduler every five
minutes) rather than listening to a ``post_save`` signal:

- STYLE.md keeps history and business rules out of signals: a receiver would run inside the
  commissioners action's transaction, where a failure of ours would undo the appointment itself;
- the sweep is idempotent and safe with several schedulers: a record is keyed by its event (a unique
  one-to-one), each is written in its own transaction, and a duplicate loses on the constraint;
- the 7-working-day clock counts from the change date, not from the sweep, so the few minutes between the
  change and its record cost the unit nothing;
- a transfer writes three events (the old post ended, the new one appointed, "transferred"): the sweep
  makes one record of kind transfer from them.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.casework.uploads import inspect_upload
from huicai.commissioners.choices import PostEventKind, PostKind
from huicai.commissioners.models import Post, PostEvent
from huicai.core.transitions import ActionRefused, NotAllowed, Step, StepTable, lock_for_update
from huicai.notifications.actions import notify
from huicai.staffing import access, scoring
from huicai.staffing.choices import (
    CHANGE_FILED,
    CHANGE_FILING_WORKING_DAYS,
    NOTICE_DECIDED,
    NOTICE_ISSUED,
    NOTICE_RESPONDED,
    ChangeAction,
    ChangeKind,
    ChangeStatus,
    Component,
    ListAction,
    ListStatus,
    NoticeAction,
    NoticeStatus,
    Period,
)
from huicai.staffing.models import (
    AccountabilityNotice,
    ChangeRecord,
    ChangeRecordEvent,
    CommendationEntry,
    CommendationEvent,
    CommendationList,
    Interview,
    NoticeEvent,
    Scorecard,
    TrainingAttendance,
    TrainingMaterial,
    TrainingSession,
    WeightsVersion,
    period_bounds,
    registry_window,
)
from huicai.workdays.actions import close_deadline, open_deadline

CHANGE_STEPS = StepTable(
    [
        Step(
            "file",
            _("报备"),
            (ChangeStatus.PENDING,),
            may=lambda user, record: access.can_file_change(user, record),
            refusal=_("该变更已报备，不能重复报备。"),
        ),
        Step(
            "acknowledge",
            _("确认备案"),
            (ChangeStatus.PENDING, ChangeStatus.FILED),
            may=lambda user, record: access.keeps_registry_of(user, record.window),
            refusal=_("该变更已经备案。"),
        ),
    ]
)

NOTICE_STEPS = StepTable(
    [
        Step(
            "issue",
            _("发出通报"),
            (NoticeStatus.DRAFT,),
            may=lambda user, notice: access.keeps_registry_of(user, notice.window),
            refusal=_("该通报已经发出。"),
        ),
        Step(
            "interview",
            _("记录约谈"),
            (NoticeStatus.ISSUED, NoticeStatus.RESPONDED),
            may=lambda user, notice: access.keeps_registry_of(user, notice.window),
            refusal={
                NoticeStatus.DRAFT: _("通报尚未发出，不能记录约谈。"),
                NoticeStatus.DECIDED: _("已作出处理决定，不能再记录约谈。"),
            },
        ),
        Step(
            "respond",
            _("回复"),
            (NoticeStatus.ISSUED,),
            may=lambda user, notice: notice.post.user_id == user.pk,
            refusal={
                NoticeStatus.DRAFT: _("通报尚未发出。"),
                NoticeStatus.RESPONDED: _("您已回复该通报。"),
                NoticeStatus.DECIDED: _("已作出处理决定，不能再回复。"),
            },
        ),
        Step(
            "decide",
            _("作出处理决定"),
            (NoticeStatus.ISSUED, NoticeStatus.RESPONDED),
            may=lambda user, notice: access.manages_window(user, notice.window),
            refusal={
                NoticeStatus.DRAFT: _("通报尚未发出，不能作出处理决定。"),
                NoticeStatus.DECIDED: _("已作出处理决定。"),
            },
        ),
    ]
)


def _today(at) -> datetime.date:
    return timezone.localdate(at)


# ---------------------------------------------------------------------------------------------------------
# S19: change records


def filers_of(post, *, at):
    """The people who file a change of ``post`` with the window: the commissioners holding a post at the same
    organisation at ``at`` (for a window post, the window's staff)."""
    field = {
        PostKind.UNIT: "employer_id",
        PostKind.DEPARTMENT: "department_id",
        PostKind.UNDERTAKING: "undertaking_org_id",
        PostKind.WINDOW: "window_id",
    }[PostKind(post.kind)]
    posts = Post.objects.active_at(at).filter(kind=post.kind, **{field: getattr(post, field)})
    return [p.user for p in posts.select_related("user")]


def _describe(event) -> tuple[str, str]:
    """The change kind and a line of text for one post event."""
    post = event.post
    who = post.user.full_name or post.user.username
    where = f"{post.organisation}{post.get_kind_display()}"
    if event.kind == PostEventKind.APPOINTED:
        return ChangeKind.APPOINTMENT, _("%(who)s 任%(where)s") % {"who": who, "where": where}
    if event.kind == PostEventKind.ENDED:
        return ChangeKind.DEPARTURE, _("%(who)s 不再担任%(where)s") % {"who": who, "where": where}
    if event.kind == PostEventKind.CONTACT_CHANGED:
        # The event's note is already masked (phone numbers as 138****1234).
        return ChangeKind.CONTACT, _("%(who)s（%(where)s）%(what)s") % {
            "who": who,
            "where": where,
            "what": event.note,
        }
    new_post = Post.objects.filter(pk=event.data.get("new_post_id")).select_related("user").first()
    target = new_post.organisation if new_post else event.note
    return ChangeKind.TRANSFER, _("%(who)s 由%(where)s调任%(target)s") % {
        "who": who,
        "where": where,
        "target": target,
    }


def unrecorded_post_events():
    """Post events that are registry changes and have no change record yet. Of a transfer's three events
    only ``transferred`` counts: the old post's end and the new post's appointment are part of it."""
    transfers = PostEvent.objects.filter(kind=PostEventKind.TRANSFERRED)
    return (
        PostEvent.objects.filter(
            kind__in=[
                PostEventKind.APPOINTED,
                PostEventKind.ENDED,
                PostEventKind.TRANSFERRED,
                PostEventKind.CONTACT_CHANGED,
            ],
            change_record__isnull=True,
        )
        .annotate(
            ends_a_transfer=Exists(transfers.filter(post_id=OuterRef("post_id"), at=OuterRef("at"))),
            # The new post of a transfer: the same person, appointed at the moment of their transfer.
            opens_a_transfer=Exists(
                transfers.filter(at=OuterRef("at"), post__user_id=OuterRef("post__user_id"))
            ),
        )
        .exclude(kind=PostEventKind.ENDED, ends_a_transfer=True)
        .exclude(kind=PostEventKind.APPOINTED, opens_a_transfer=True)
        .order_by("at", "id")
    )


def record_post_changes(*, at) -> dict:
    """S19: make the change record of every registry change that has none yet (the scheduler's sweep; see
    the module docstring for why a sweep). Each record in its own transaction; idempotent."""
    made = 0
    for event in unrecorded_post_events().select_related(
        "post__user", "post__employer__window", "post__window", "post__department", "post__undertaking_org"
    ):
        try:
            with transaction.atomic():
                record = record_change_of(event, at=at)
        except IntegrityError:
            continue  # another scheduler recorded it meanwhile
        made += record is not None
    return {"recorded": made}


def record_change_of(event, *, at):
    """The change record of one post event (a step of the sweep; the demo also calls it at the time of
    each historical change). The caller runs it in a transaction."""
    post = event.post
    kind, description = _describe(event)
    change_date = _today(event.at)
    window = registry_window(post)
    if window is None:
        # A department or institution of a division without a city or county window: no registry to file
        # with. The event stays unrecorded and is looked at again by the next sweep.
        return None
    if kind == ChangeKind.CONTACT:
        filed = _hand_filed_contact_change(post, change_date)
        if filed is not None:
            return _attach_event(filed, event, description=description, at=at)
    deadline = open_deadline(
        start_date=change_date,
        working_days=CHANGE_FILING_WORKING_DAYS,
        label=_("专员变更报备：%(text)s") % {"text": description},
        responsible=filers_of(post, at=at),
        at=at,
    )
    record = ChangeRecord.objects.create(
        window=window,
        post=post,
        kind=kind,
        post_event=event,
        change_date=change_date,
        description=description[:300],
        deadline=deadline,
        created_at=at,
    )
    ChangeRecordEvent.objects.create(
        record=record,
        action=ChangeAction.RECORD,
        from_status="",
        to_status=record.status,
        by=None,
        at=at,
        note=description[:300],
    )
    return record


def _hand_filed_contact_change(post, change_date):
    """The change of contact the unit filed by hand (``file_contact_change``) for ``post`` on
    ``change_date`` that no registry event has joined yet, locked; or None.

    One change, one record (S19): when the unit files a new phone number and the window (or an import)
    then corrects the registry the same day, the registry's event joins the unit's filed record instead of
    opening a second one that would stand pending and count as late against a unit that filed on time."""
    return (
        ChangeRecord.objects.select_for_update()
        .filter(post=post, kind=ChangeKind.CONTACT, change_date=change_date, post_event__isnull=True)
        .order_by("id")
        .first()
    )


def _attach_event(record, event, *, description, at):
    record.post_event = event
    record.version += 1
    record.save(update_fields=["post_event", "version"])
    ChangeRecordEvent.objects.create(
        record=record,
        action=ChangeAction.RECORD,
        from_status=record.status,
        to_status=record.status,
        by=None,
        at=at,
        note=description[:300],
    )
    return record


@transaction.atomic
def file_contact_change(post, *, description, change_date, by, at) -> ChangeRecord:
    """S19: the unit or department files a change that writes no post event (a new phone, a new office):
    the record is made filed at once, its 7 working days counted from ``change_date``."""
    post = Post.objects.select_related("employer__window", "window", "department", "undertaking_org").get(
        pk=post.pk
    )
    if not access.can_file_for_post(by, post):
        raise NotAllowed(_("只有该专员所在单位（部门、机构）的专员可以报备其变更。"))
    description = (description or "").strip()
    if not description:
        raise ActionRefused(_("请填写变更内容。"))
    if change_date > _today(at):
        raise ActionRefused(_("变更日期不能晚于今天。"))
    if change_date < post.active_from.date() - datetime.timedelta(days=1):
        raise ActionRefused(_("变更日期不能早于该专员任职之日。"))
    # The same change already made by the registry (its event swept into a record): that record is the one
    # to file, not a second one beside it (see ``_hand_filed_contact_change`` for the other order).
    if ChangeRecord.objects.filter(
        post=post, kind=ChangeKind.CONTACT, change_date=change_date, post_event__isnull=False
    ).exists():
        raise ActionRefused(
            _("该专员当日的联系方式变更已由专员登记册记录，请在变更备案列表中报备该条记录，无需另行填报。")
        )
    window = registry_window(post)
    deadline = open_deadline(
        start_date=change_date,
        working_days=CHANGE_FILING_WORKING_DAYS,
        label=_("专员变更报备：%(text)s") % {"text": description[:200]},
        responsible=[by],
        at=at,
    )
    record = ChangeRecord.objects.create(
        window=window,
        post=post,
        kind=ChangeKind.CONTACT,
        change_date=change_date,
        description=description[:300],
        deadline=deadline,
        status=ChangeStatus.FILED,
        filed_by=by,
        filed_at=at,
        created_at=at,
    )
    close_deadline(deadline, at=at)
    ChangeRecordEvent.objects.create(
        record=record, action=ChangeAction.FILE, from_status="", to_status=record.status, by=by, at=at
    )
    _tell_window(record, at=at)
    return record


def _window_staff(window, *, at):
    posts = Post.objects.active_at(at).filter(kind=PostKind.WINDOW, window=window).select_related("user")
    return [p.user for p in posts]


def _tell_window(record, *, at):
    notify(
        _window_staff(record.window, at=at),
        kind=CHANGE_FILED,
        title=_("专员变更报备：%(text)s") % {"text": record.description},
        link=record.get_absolute_url(),
        at=at,
    )


@transaction.atomic
def file_change(record, *, note="", by, at, expected_version=None) -> ChangeRecord:
    """S19: the changed post's unit (department, institution) files the change with the window."""
    record = lock_for_update(
        ChangeRecord.objects.select_related("post", "window", "deadline"),
        record.pk,
        expected_version=expected_version,
    )
    CHANGE_STEPS.check("file", record, by=by)
    old = record.status
    record.status = ChangeStatus.FILED
    record.filed_by = by
    record.filed_at = at
    record.filing_note = (note or "").strip()[:500]
    record.version += 1
    record.save(update_fields=["status", "filed_by", "filed_at", "filing_note", "version"])
    close_deadline(record.deadline, at=at)
    ChangeRecordEvent.objects.create(
        record=record,
        action=ChangeAction.FILE,
        from_status=old,
        to_status=record.status,
        by=by,
        at=at,
        note=note,
    )
    _tell_window(record, at=at)
    return record


@transaction.atomic
def acknowledge_change(record, *, note="", by, at, expected_version=None) -> ChangeRecord:
    """S19: the window acknowledges a change into its registry (备案). A change the window made itself
    through its own pages needs no separate filing: acknowledging a pending record files it at the same
    moment (on time or not, by that moment)."""
    record = lock_for_update(
        ChangeRecord.objects.select_related("post", "window", "deadline"),
        record.pk,
        expected_version=expected_version,
    )
    CHANGE_STEPS.check("acknowledge", record, by=by)
    old = record.status
    fields = ["status", "acknowledged_by", "acknowledged_at", "version"]
    if record.filed_at is None:
        record.filed_by = by
        record.filed_at = at
        fields += ["filed_by", "filed_at"]
        close_deadline(record.deadline, at=at)
    record.status = ChangeStatus.ACKNOWLEDGED
    record.acknowledged_by = by
    record.acknowledged_at = at
    record.version += 1
    record.save(update_fields=fields)
    ChangeRecordEvent.objects.create(
        record=record,
        action=ChangeAction.ACKNOWLEDGE,
        from_status=old,
        to_status=record.status,
        by=by,
        at=at,
        note=(note or "").strip(),
    )
    return record


# ---------------------------------------------------------------------------------------------------------
# S20: training


@transaction.atomic
def create_training_session(*, window, topic, session_date, hours, organiser, description="", by, at):
    """S20: a window records a training session it organises for its commissioners."""
    if not access.keeps_registry_of(by, window):
        raise NotAllowed(_("只有该窗口的窗口专员可以登记培训。"))
    session = TrainingSession(
        window=window,
        topic=(topic or "").strip(),
        session_date=session_date,
        hours=hours,
        organiser=(organiser or "").strip(),
        description=(description or "").strip(),
        created_by=by,
        created_at=at,
    )
    try:
        session.full_clean()
    except ValidationError as error:
        raise ActionRefused(error.messages) from error
    session.save()
    return session


@transaction.atomic
def add_training_material(session, *, file, by, at) -> TrainingMaterial:
    """S20: a training's materials, checked by content (PDF, JPG, PNG) and size before they are kept."""
    session = TrainingSession.objects.select_for_update().select_related("window").get(pk=session.pk)
    if not access.keeps_registry_of(by, session.window):
        raise NotAllowed(_("只有组织培训的窗口可以上传培训材料。"))
    try:
        facts = inspect_upload(file)
    except ValidationError as error:
        raise ActionRefused(error.messages) from error
    material = TrainingMaterial(
        session=session,
        original_name=facts["original_name"],
        content_type=facts["content_type"],
        extension=facts["extension"],
        size=facts["size"],
        sha256=facts["sha256"],
        uploaded_by=by,
        uploaded_at=at,
    )
    material.file.save("upload", file, save=False)
    material.save()
    return material


@transaction.atomic
def record_attendance(session, *, posts, by, at) -> int:
    """S20: the commissioners (posts) who attended; a post already recorded is left as it is. Only posts of
    the window's registry (its subtree) that were held on the day count. Returns how many were added."""
    session = TrainingSession.objects.select_for_update().select_related("window").get(pk=session.pk)
    if not access.keeps_registry_of(by, session.window):
        raise NotAllowed(_("只有组织培训的窗口可以登记签到。"))
    day = datetime.datetime.combine(
        session.session_date, datetime.time(12), tzinfo=timezone.get_current_timezone()
    )
    already = set(session.attendances.values_list("post_id", flat=True))
    added = 0
    for post in sorted(posts, key=lambda p: p.pk):
        if post.pk in already:
            continue
        if not post.is_active_at(day):
            raise ActionRefused(_("%(who)s 在培训当日不在任职期内。") % {"who": post.user})
        TrainingAttendance.objects.create(
            session=session, post=post, hours=session.hours, recorded_by=by, recorded_at=at
        )
        added += 1
    return added


# ---------------------------------------------------------------------------------------------------------
# S21: weights and scorecards


def _check_weights(weights: dict) -> dict:
    clean = {}
    for component in Component.values:
        value = weights.get(component)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 100:
            raise ActionRefused(_("权重须为 0 到 100 之间的整数。"))
        clean[component] = value
    if sum(clean.values()) != 100:
        raise ActionRefused(_("各项权重之和须为 100，现为 %(sum)s。") % {"sum": sum(clean.values())})
    return clean


@transaction.atomic
def create_weights_version(*, weights: dict, note="", by, at) -> WeightsVersion:
    """S21: a new version of the assessment's weights; scorecards computed from now on use it."""
    if not access.sets_weights(by):
        raise NotAllowed(_("只有市级窗口负责人可以制定考核权重。"))
    clean = _check_weights(weights)
    last = WeightsVersion.objects.select_for_update().order_by("-number").first()
    return WeightsVersion.objects.create(
        number=(last.number + 1) if last else 1,
        note=(note or "").strip()[:300],
        created_by=by,
        created_at=at,
        **clean,
    )


@transaction.atomic
def revise_weights_version(version, *, weights: dict, note="", by, at) -> WeightsVersion:
    """Correct a version nobody has used yet; a used version is immutable (a new version instead)."""
    if not access.sets_weights(by):
        raise NotAllowed(_("只有市级窗口负责人可以制定考核权重。"))
    version = WeightsVersion.objects.select_for_update().get(pk=version.pk)
    if version.scorecards.exists():
        raise ActionRefused(_("该权重版本已用于考核，不能修改；请制定新版本。"))
    clean = _check_weights(weights)
    for name, value in clean.items():
        setattr(version, name, value)
    version.note = (note or "").strip()[:300]
    version.save(update_fields=[*clean, "note"])
    return version


def current_weights():
    return WeightsVersion.objects.order_by("-number").first()


def _share(period):
    return Decimal(1) if period == Period.YEAR else Decimal(1) / Decimal(12)


@transaction.atomic
def compute_scorecard(post, *, period, period_start, at) -> Scorecard:
    """S21: compute (or recompute) ``post``'s scorecard for the month or year starting ``period_start``.

    A new scorecard takes the current weights version; a recomputation keeps the version it was made with,
    so published figures change only with the data behind them."""
    period = Period(period)
    start, end = period_bounds(period, period_start)
    if start.day != 1 or (period == Period.YEAR and start.month != 1):
        raise ActionRefused(_("考核周期须从月初或年初开始。"))
    scorecard = (
        Scorecard.objects.select_for_update().filter(post=post, period=period, period_start=start).first()
    )
    weights = scorecard.weights if scorecard else current_weights()
    if weights is None:
        raise ActionRefused(_("尚未制定考核权重，请先制定第一版权重。"))
    window = registry_window(post)
    figures = scoring.compute_figures(
        post, period_days_share=_share(period), start=start, end=end, today=_today(at)
    )
    for component, figure in figures.items():
        figure["weight"] = weights.weight_of(component)
    total = scoring.weighted_total(figures, weights)
    if scorecard is None:
        try:
            with transaction.atomic():
                return Scorecard.objects.create(
                    post=post,
                    window=window,
                    period=period,
                    period_start=start,
                    weights=weights,
                    figures=figures,
                    total=total,
                    computed_at=at,
                )
        except IntegrityError:
            scorecard = Scorecard.objects.select_for_update().get(
                post=post, period=period, period_start=start
            )
    scorecard.figures = figures
    scorecard.total = total
    scorecard.computed_at = at
    scorecard.save(update_fields=["figures", "total", "computed_at"])
    return scorecard


def period_posts(*, period, period_start):
    """The posts held at some time in the month or year starting ``period_start``."""
    start, end = period_bounds(period, period_start)
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end, datetime.time.min, tzinfo=tz)
    return (
        Post.objects.filter(active_from__lt=until)
        .exclude(active_to__lte=since)
        .select_related("user", "employer__window", "window", "department", "undertaking_org")
        .order_by("pk")
    )


def compute_scorecards(*, period, period_start, at, posts=None) -> dict:
    """The scorecards of every post held during the period (or of ``posts``), one transaction each."""
    if posts is None:
        posts = period_posts(period=period, period_start=period_start)
    computed = 0
    for post in posts:
        compute_scorecard(post, period=period, period_start=period_start, at=at)
        computed += 1
    return {"computed": computed}


# ---------------------------------------------------------------------------------------------------------
# S22: commendation


@transaction.atomic
def draft_commendation_list(*, window, year, size, by, at) -> CommendationList:
    """S22: the window drafts the year's commendation list: its ``size`` best yearly scorecards with a total
    (ties by the post's id, so the draft is reproducible). A draft is drafted again from fresh scorecards; a
    decided list stays."""
    if not access.keeps_registry_of(by, window):
        raise NotAllowed(_("只有该窗口的窗口专员可以起草表扬名单。"))
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 100:
        raise ActionRefused(_("表扬人数须为 1 到 100 之间的整数。"))
    commendation = CommendationList.objects.select_for_update().filter(window=window, year=year).first()
    if commendation is not None and commendation.status != ListStatus.DRAFT:
        raise ActionRefused(_("该窗口 %(year)s 年度的表扬名单已经决定，不能重新起草。") % {"year": year})
    best = list(
        Scorecard.objects.filter(
            window=window, period=Period.YEAR, period_start=datetime.date(year, 1, 1), total__isnull=False
        ).order_by("-total", "post_id")[:size]
    )
    if not best:
        raise ActionRefused(_("该窗口 %(year)s 年度尚无年度考核结果。") % {"year": year})
    if commendation is None:
        commendation = CommendationList.objects.create(window=window, year=year, drafted_by=by, drafted_at=at)
    else:
        commendation.entries.all().delete()
        commendation.drafted_by = by
        commendation.drafted_at = at
        commendation.version += 1
        commendation.save(update_fields=["drafted_by", "drafted_at", "version"])
    CommendationEntry.objects.bulk_create(
        [
            CommendationEntry(commendation=commendation, scorecard=card, rank=i)
            for i, card in enumerate(best, 1)
        ]
    )
    CommendationEvent.objects.create(
        commendation=commendation,
        action=ListAction.DRAFT,
        from_status="",
        to_status=commendation.status,
        by=by,
        at=at,
        note=_("%(count)s 人") % {"count": len(best)},
    )
    return commendation


@transaction.atomic
def decide_commendation_list(commendation, *, note, by, at, expected_version=None) -> CommendationList:
    """S22: the window's manager decides the list (通报表扬), with who and when on record."""
    commendation = lock_for_update(
        CommendationList.objects.select_related("window"), commendation.pk, expected_version=expected_version
    )
    if not access.manages_window(by, commendation.window):
        raise NotAllowed(_("只有窗口负责人可以决定表扬名单。"))
    if commendation.status != ListStatus.DRAFT:
        raise ActionRefused(_("该表扬名单已经决定。"), code="invalid_transition")
    commendation.status = ListStatus.DECIDED
    commendation.decided_by = by
    commendation.decided_at = at
    commendation.decision_note = (note or "").strip()
    commendation.version += 1
    commendation.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "version"])
    CommendationEvent.objects.create(
        commendation=commendation,
        action=ListAction.DECIDE,
        from_status=ListStatus.DRAFT,
        to_status=commendation.status,
        by=by,
        at=at,
        note=commendation.decision_note,
    )
    return commendation


# ---------------------------------------------------------------------------------------------------------
# S22: accountability


@transaction.atomic
def draft_accountability_notice(*, post, year, reason, by, at, scorecard=None) -> AccountabilityNotice:
    """S22: the window drafts a notice (通报) about a commissioner whose service fell short, usually from a
    failing yearly scorecard."""
    post = Post.objects.select_related(
        "employer__window", "window", "department", "undertaking_org", "user"
    ).get(pk=post.pk)
    window = registry_window(post)
    if not access.keeps_registry_of(by, window):
        raise NotAllowed(_("只有该专员所属窗口的窗口专员可以起草通报。"))
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused(_("请填写通报事由。"))
    if scorecard is not None and (scorecard.post_id != post.pk or scorecard.period != Period.YEAR):
        raise ActionRefused(_("通报所附的考核须是该专员的年度考核。"))
    notice = AccountabilityNotice.objects.create(
        window=window, post=post, year=year, scorecard=scorecard, reason=reason, drafted_by=by, drafted_at=at
    )
    NoticeEvent.objects.create(
        notice=notice, action=NoticeAction.DRAFT, from_status="", to_status=notice.status, by=by, at=at
    )
    return notice


def _notice_step(notice, name, *, by, expected_version):
    notice = lock_for_update(
        AccountabilityNotice.objects.select_related("window", "post__user"),
        notice.pk,
        expected_version=expected_version,
    )
    NOTICE_STEPS.check(name, notice, by=by)
    return notice


def _log(notice, action, old, *, by, at, note=""):
    NoticeEvent.objects.create(
        notice=notice, action=action, from_status=old, to_status=notice.status, by=by, at=at, note=note
    )


@transaction.atomic
def issue_notice(notice, *, by, at, expected_version=None) -> AccountabilityNotice:
    """S22: the window issues the notice to the commissioner (and so to their unit); they are told."""
    notice = _notice_step(notice, "issue", by=by, expected_version=expected_version)
    old = notice.status
    notice.status = NoticeStatus.ISSUED
    notice.issued_by = by
    notice.issued_at = at
    notice.version += 1
    notice.save(update_fields=["status", "issued_by", "issued_at", "version"])
    _log(notice, NoticeAction.ISSUE, old, by=by, at=at)
    notify(
        [notice.post.user],
        kind=NOTICE_ISSUED,
        title=_("%(year)s 年度服务专员工作通报") % {"year": notice.year},
        body=notice.reason,
        link=notice.get_absolute_url(),
        at=at,
    )
    return notice


@transaction.atomic
def record_interview(
    notice, *, held_at, interviewers, interviewees, content, commitment, by, at, expected_version=None
) -> Interview:
    """S22: the 约谈 record: who talked with whom and when, what was said, and the commitment made."""
    notice = _notice_step(notice, "interview", by=by, expected_version=expected_version)
    values = {
        "interviewers": (interviewers or "").strip(),
        "interviewees": (interviewees or "").strip(),
        "content": (content or "").strip(),
        "commitment": (commitment or "").strip(),
    }
    if not all(values.values()):
        raise ActionRefused(_("请填写约谈人、被约谈人、谈话内容和整改承诺。"))
    if held_at > at:
        raise ActionRefused(_("约谈时间不能晚于现在。"))
    interview = Interview.objects.create(
        notice=notice, held_at=held_at, recorded_by=by, recorded_at=at, **values
    )
    notice.version += 1
    notice.save(update_fields=["version"])
    _log(notice, NoticeAction.INTERVIEW, notice.status, by=by, at=at, note=values["commitment"])
    return interview


@transaction.atomic
def respond_to_notice(notice, *, response, by, at, expected_version=None) -> AccountabilityNotice:
    """S22: the commissioner answers the notice; the window is told."""
    notice = _notice_step(notice, "respond", by=by, expected_version=expected_version)
    response = (response or "").strip()
    if not response:
        raise ActionRefused(_("请填写回复内容。"))
    old = notice.status
    notice.status = NoticeStatus.RESPONDED
    notice.response = response
    notice.responded_by = by
    notice.responded_at = at
    notice.version += 1
    notice.save(update_fields=["status", "response", "responded_by", "responded_at", "version"])
    _log(notice, NoticeAction.RESPOND, old, by=by, at=at, note=response)
    notify(
        [notice.issued_by or notice.drafted_by],
        kind=NOTICE_RESPONDED,
        title=_("%(who)s 已回复通报") % {"who": notice.post.user},
        body=response,
        link=notice.get_absolute_url(),
        at=at,
    )
    return notice


@transaction.atomic
def decide_notice(notice, *, decision, by, at, expected_version=None) -> AccountabilityNotice:
    """S22: the window's manager records the decision, with who made it and when; the commissioner is told."""
    notice = _notice_step(notice, "decide", by=by, expected_version=expected_version)
    decision = (decision or "").strip()
    if not decision:
        raise ActionRefused(_("请填写处理决定。"))
    old = notice.status
    notice.status = NoticeStatus.DECIDED
    notice.decision = decision
    notice.decided_by = by
    notice.decided_at = at
    notice.version += 1
    notice.save(update_fields=["status", "decision", "decided_by", "decided_at", "version"])
    _log(notice, NoticeAction.DECIDE, old, by=by, at=at, note=decision)
    notify(
        [notice.post.user],
        kind=NOTICE_DECIDED,
        title=_("通报处理决定"),
        body=decision,
        link=notice.get_absolute_url(),
        at=at,
    )
    return notice
