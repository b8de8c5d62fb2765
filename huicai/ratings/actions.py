"""Every change of state of ratings and rectifications: one function each (W10, W9).

Each action takes keyword-only arguments with an explicit actor (``by``) and time (``at``), runs in one
transaction, re-reads what it changes with ``select_for_update()`` (the rated task or direct service for a
rating, so two raters of one service are serialised; the rectification for its steps), checks who acts and
the allowed source state, writes the change with its ``RectificationEvent``, and notifies the other side.

Refusals: ``RatingError`` (a ValidationError, 400) for a rule — outside the rating period, one's own work, a
task not completed, a missing indicator; ``InvalidTransition`` (409) when the state does not allow the step
(a duplicate rating, a rectification someone else already answered); ``StaleVersion`` (409) for a stale
copy; ``NotAllowed`` (PermissionDenied, 403) when the person may see but not do it.

Settings (read on each call, so tests may change them):
- ``HUICAI_RATING_WINDOW_DAYS`` (default 5): working days after completion during which a service may be
  rated on the platform or by the unit commissioner;
- ``HUICAI_RECTIFICATION_DAYS`` (default 5): working days the department has to answer a rectification;
- ``HUICAI_RECURRENCE_MONTHS`` (default 6): a bad rating of the same item and department within this many
  months of an earlier one is a recurrence (W9 杜绝同样问题).
"""

import calendar as gregorian
import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.casework.choices import TaskStatus
from huicai.casework.models import Task
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.core import transitions
from huicai.core.transitions import ActionRefused, NotAllowed, lock_for_update
from huicai.directservices.models import DirectService
from huicai.notifications.actions import notify
from huicai.ratings import access
from huicai.ratings.choices import (
    ALL_INDICATORS,
    BAD_LEVELS,
    INDICATORS,
    RECTIFICATION_APPEALED,
    RECTIFICATION_CALLBACK,
    RECTIFICATION_OPENED,
    RECTIFICATION_RECURRENCE,
    RECTIFICATION_RESPONDED,
    RECTIFICATION_RULED,
    CallbackResult,
    Channel,
    Hotline,
    Indicator,
    Level,
    Mode,
    RectificationAction,
    RectificationStatus,
    ResponseKind,
    Ruling,
)
from huicai.ratings.models import Rating, Rectification, RectificationEvent
from huicai.workdays import calendar

MAX_COMMENT = 2000
MAX_NOTE = 2000


class RatingError(ActionRefused):
    """A refused action; the message is for the person who tried it."""


class InvalidTransition(RatingError, transitions.InvalidTransition):
    """The record is not in a state that allows this step; still a ``RatingError`` for its callers."""


class StaleVersion(RatingError, transitions.StaleVersion):
    """The caller acted on an outdated copy of the record; still a ``RatingError`` for its callers."""


class OwnWork(RatingError):
    """Nobody judges their own work: a rule with its own message, not a bare 403."""


# --- settings and dates ------------------------------------------------------------------------------


def rating_window_days() -> int:
    return int(getattr(settings, "HUICAI_RATING_WINDOW_DAYS", 5))


def rectification_days() -> int:
    return int(getattr(settings, "HUICAI_RECTIFICATION_DAYS", 5))


def recurrence_months() -> int:
    return int(getattr(settings, "HUICAI_RECURRENCE_MONTHS", 6))


def rating_deadline(completed_at) -> datetime.date:
    """The last day a service completed at ``completed_at`` may be rated: the close of the N-th working day
    after the day of completion, on the official calendar (the day of completion itself not counted)."""
    return calendar.add_working_days(timezone.localdate(completed_at), rating_window_days())


def earliest_rateable_date(today) -> datetime.date:
    """The earliest completion date whose rating period is still open on ``today`` (for the 待评价 lists).

    ``add_working_days`` never decreases as its start moves later, so we walk back from today while the
    period of the day before still reaches today. A few dozen steps at most, each a look-up in memory.
    """
    days = rating_window_days()
    day = today
    for _step in range(400):
        before = day - datetime.timedelta(days=1)
        if calendar.add_working_days(before, days) < today:
            break
        day = before
    return day


def months_before(at, months: int) -> datetime.datetime:
    """The same local time ``months`` calendar months earlier (the 31st becomes the month's last day)."""
    local = timezone.localtime(at)
    month_index = local.year * 12 + (local.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(local.day, gregorian.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


# --- helpers -----------------------------------------------------------------------------------------


def _today(at):
    return timezone.localdate(at)


def _users(kind, at, **org):
    posts = Post.objects.active_at(at).filter(kind=kind, **org).select_related("user")
    return [post.user for post in posts]


def _department_users(rectification, at):
    return _users(PostKind.DEPARTMENT, at, department_id=rectification.department_id)


def _window_users(rectification, at):
    return _users(PostKind.WINDOW, at, window_id=rectification.window_id)


def _required(value, message, *, limit=MAX_NOTE):
    value = (value or "").strip()
    if not value:
        raise RatingError(message)
    return value[:limit]


def _lock_rectification(rectification, expected_version=None):
    return lock_for_update(
        Rectification.objects.select_related("window", "department", "rating", "talent"),
        rectification.pk,
        expected_version=expected_version,
        error=StaleVersion,
        stale_message=_("该整改已被他人处理，请刷新页面后重试。"),
    )


def _refuse_unless(rectification, step):
    """The state guard of a rectification's step, from the table the pages and the API read too."""
    access.RECTIFICATION_STEPS.check(step, rectification, error=InvalidTransition)


def _event(rectification, action, *, from_status, by, at, note="", data=None):
    return RectificationEvent.objects.create(
        rectification=rectification,
        action=action,
        from_status=from_status,
        to_status=rectification.status,
        by=by,
        at=at,
        note=(note or "")[:MAX_NOTE],
        data=data or {},
    )


def _move(rectification, to_status, *, action, by, at, note="", data=None, fields=()):
    """Set the status and the given fields, bump the version, and record the event."""
    from_status = rectification.status
    rectification.status = to_status
    rectification.version = F("version") + 1
    rectification.save(update_fields=["status", "version", *fields])
    rectification.refresh_from_db(fields=["version"])
    return _event(rectification, action, from_status=from_status, by=by, at=at, note=note, data=data)


# --- what is rated -----------------------------------------------------------------------------------


class _Service:
    """The facts of a finished service that a rating copies: whom it rates, and when it finished."""

    def __init__(self, *, task=None, direct_service=None):
        self.task = task
        self.direct_service = direct_service
        if task is not None:
            line = next(iter(task.items.all()), None)
            self.talent = task.application.talent
            self.department_id = task.department_id
            self.rated_user = task.completed_by
            self.completed_at = task.completed_at
            self.service_item_id = line.service_item_id if line else None
            self.service_name = (line.item_version.name if line else task.number)[:100]
            self.workers = {task.completed_by_id, task.accepted_by_id} - {None}
        else:
            self.talent = direct_service.talent
            self.department_id = direct_service.department_id
            self.rated_user = direct_service.served_by
            self.completed_at = direct_service.served_at
            self.service_item_id = direct_service.service_item_id
            self.service_name = direct_service.item_version.name[:100]
            self.workers = {direct_service.served_by_id}

    @property
    def target(self) -> dict:
        return {"task": self.task} if self.task is not None else {"direct_service": self.direct_service}


def _lock_service(*, task, direct_service) -> _Service:
    """Re-read the rated service under a lock (two raters at once are serialised) and check it is a
    finished service: a task must be completed; a direct service is finished once recorded."""
    if (task is None) == (direct_service is None):
        raise RatingError(_("请选择要评价的一项办理任务或一次直接服务。"))
    if task is not None:
        task = (
            Task.objects.select_for_update(of=("self",))
            .select_related("application__talent__home_window", "department", "completed_by")
            .prefetch_related("items__item_version")
            .get(pk=task.pk)
        )
        if task.status != TaskStatus.COMPLETED:
            raise RatingError(
                _("该任务尚未办结（当前状态：%(status)s），办结后才能评价。")
                % {"status": task.get_status_display()}
            )
        return _Service(task=task)
    direct_service = (
        DirectService.objects.select_for_update(of=("self",))
        .select_related("talent__home_window", "item_version", "served_by")
        .get(pk=direct_service.pk)
    )
    return _Service(direct_service=direct_service)


def _refuse_own_work(service, by, at):
    """Nobody rates their own work: not the commissioner who accepted, completed or gave the service, nor
    anyone holding a post in the department rated — even if they also happen to be the talent's unit
    commissioner."""
    if by.pk in service.workers:
        raise OwnWork(_("不能评价本人经办的服务。"))
    if (
        Post.objects.active_at(at)
        .filter(user=by, kind=PostKind.DEPARTMENT, department_id=service.department_id)
        .exists()
    ):
        raise OwnWork(_("不能评价本部门办理的服务。"))


def _clean_scores(mode, scores) -> dict:
    wanted = INDICATORS[mode]
    cleaned = {}
    for name in ALL_INDICATORS:
        value = (scores or {}).get(name)
        if value in (None, ""):
            if name in wanted:
                raise RatingError(_("请评价“%(indicator)s”。") % {"indicator": Indicator(name).label})
            cleaned[name] = None
            continue
        if name not in wanted:
            raise RatingError(
                _("%(mode)s不评价“%(indicator)s”。")
                % {"mode": Mode(mode).label, "indicator": Indicator(name).label}
            )
        cleaned[name] = _level(value)
    return cleaned


def _level(value) -> int:
    """A level given as its number (1–5) or its Chinese label (非常满意 …)."""
    for level in Level:
        if str(value).strip() in (str(level.value), str(level.label)):
            return level.value
    raise RatingError(_("评价等级须为非常满意、满意、基本满意、不满意或非常不满意。"))


def _create_rating(**fields) -> Rating:
    """Insert the rating; a duplicate that slipped past the check (a race on SQLite) is a clean refusal."""
    try:
        with transaction.atomic():
            return Rating.objects.create(**fields)
    except IntegrityError as error:
        raise InvalidTransition(_("该服务已通过此渠道评价，不能重复评价。"), code="duplicate") from error


# --- rating (W10) ------------------------------------------------------------------------------------


@transaction.atomic
def rate_service(*, task=None, direct_service=None, mode, scores, comment="", by, at) -> Rating:
    """W10: the talent rates a finished service on the platform, or their unit commissioner records the
    talent's answer (channel 单位专员代评). One rating per service and rater source.

    Refused, with nothing saved: a task not completed; a service outside the rating period (the close of the
    HUICAI_RATING_WINDOW_DAYS-th working day after completion); one's own work; a second rating through the
    same channel; a missing or foreign indicator; a bad rating without a reason. A bad overall level opens
    the department's rectification (or joins the one already open for this service).
    """
    service = _lock_service(task=task, direct_service=direct_service)
    channel = access.rater_channel(by, service.talent)
    if channel is None:
        raise NotAllowed(_("只有人才本人或其单位专员可以评价该服务。"))
    _refuse_own_work(service, by, at)
    if at < service.completed_at:
        raise RatingError(_("服务尚未完成，不能评价。"))
    deadline = rating_deadline(service.completed_at)
    if _today(at) > deadline:
        raise RatingError(
            _("已超过评价期限：服务完成后 %(days)d 个工作日内可以评价（截至 %(date)s）。")
            % {"days": rating_window_days(), "date": deadline.isoformat()}
        )
    if Rating.objects.filter(**service.target, channel=channel).exists():
        if channel == Channel.UNIT:
            raise InvalidTransition(_("您已代该人才评价过此服务，不能重复评价。"), code="duplicate")
        raise InvalidTransition(_("您已评价过此服务，不能重复评价。"), code="duplicate")
    if mode not in Mode.values:
        raise RatingError(_("请选择服务方式：线下服务或线上服务。"))
    if service.direct_service is not None and mode != Mode.OFFLINE:
        raise RatingError(_("凭卡直接服务为线下服务，请按线下服务的指标评价。"))
    cleaned = _clean_scores(mode, scores)
    comment = (comment or "").strip()[:MAX_COMMENT]
    if cleaned[Indicator.OVERALL] in BAD_LEVELS and not comment:
        raise RatingError(_("给出“不满意”或“非常不满意”时，请写明原因，以便部门核实整改。"))
    rating = _create_rating(
        **service.target,
        talent=service.talent,
        service_item_id=service.service_item_id,
        service_name=service.service_name,
        department_id=service.department_id,
        rated_user=service.rated_user,
        completed_at=service.completed_at,
        channel=channel,
        mode=mode,
        comment=comment,
        rated_by=by,
        rated_at=at,
        **cleaned,
    )
    if rating.is_bad:
        _open_or_join_rectification(rating, service, by=by, at=at)
    return rating


@transaction.atomic
def record_hotline_rating(
    *, task=None, direct_service=None, level, comment="", hotline, external_ref, at
) -> Rating:
    """W10 运用好“12345政务热线”: a rating that reached the 12345 or the provincial talent hotline (the
    hotline's return visit), recorded against the finished service. Called by the hotlines app.

    Idempotent on (hotline, external_ref): the same order again returns the rating already recorded. The
    hotline gives one overall level. The platform's rating period does not apply: the hotline runs its
    return visits on its own schedule, and a talent's verdict that reached the government is not dropped
    for arriving late. A bad level opens (or joins) the rectification as a platform rating does.
    """
    if hotline not in Hotline.values:
        raise RatingError(_("未知的热线来源。"))
    external_ref = _required(external_ref, _("缺少热线工单号。"), limit=64)
    existing = Rating.objects.filter(hotline=hotline, external_ref=external_ref).first()
    if existing is not None:
        same = (task is not None and existing.task_id == task.pk) or (
            direct_service is not None and existing.direct_service_id == direct_service.pk
        )
        if not same:
            raise RatingError(_("该热线工单号已用于另一项服务的评价。"))
        return existing
    service = _lock_service(task=task, direct_service=direct_service)
    overall = _level(level)
    if Rating.objects.filter(**service.target, channel=Channel.HOTLINE).exists():
        raise InvalidTransition(_("该服务已有热线评价，不能重复登记。"), code="duplicate")
    rating = _create_rating(
        **service.target,
        talent=service.talent,
        service_item_id=service.service_item_id,
        service_name=service.service_name,
        department_id=service.department_id,
        rated_user=service.rated_user,
        completed_at=service.completed_at,
        channel=Channel.HOTLINE,
        hotline=hotline,
        external_ref=external_ref,
        overall=overall,
        comment=(comment or "").strip()[:MAX_COMMENT],
        rated_at=at,
    )
    if rating.is_bad:
        _open_or_join_rectification(rating, service, by=None, at=at)
    return rating


# --- rectification (W10) and recurrence (W9) ---------------------------------------------------------


def _open_or_join_rectification(rating, service, *, by, at) -> Rectification:
    """A bad rating opens the department's rectification for the service, due in HUICAI_RECTIFICATION_DAYS
    working days; a further bad rating of the same service (another channel) joins it instead of opening
    a second one. A new rectification of the same item and department as another opened within
    HUICAI_RECURRENCE_MONTHS is flagged as a recurrence and the window is told (W9 杜绝同样问题)."""
    existing = Rectification.objects.select_for_update(of=("self",)).filter(**service.target).first()
    if existing is not None:
        Rating.objects.filter(pk=rating.pk).update(rectification=existing)
        rating.rectification = existing
        _event(
            existing,
            RectificationAction.ANOTHER_BAD_RATING,
            from_status=existing.status,
            by=by,
            at=at,
            note=rating.comment,
            data={"rating": rating.pk, "channel": rating.channel, "level": rating.overall},
        )
        notify(
            [*_department_users(existing, at), *_window_users(existing, at)],
            kind=RECTIFICATION_OPENED,
            title=_("同一服务再获差评：%(service)s") % {"service": existing.service_name},
            body=_("%(channel)s：%(level)s。%(comment)s")
            % {
                "channel": rating.get_channel_display(),
                "level": rating.get_overall_display(),
                "comment": rating.comment[:200],
            },
            link=existing.get_absolute_url(),
            at=at,
        )
        return existing
    rectification = Rectification.objects.create(
        rating=rating,
        **service.target,
        talent=service.talent,
        service_item_id=service.service_item_id,
        service_name=service.service_name,
        department_id=service.department_id,
        window=service.talent.home_window,
        opened_at=at,
        due_date=calendar.add_working_days(_today(at), rectification_days()),
    )
    Rating.objects.filter(pk=rating.pk).update(rectification=rectification)
    rating.rectification = rectification
    _event(
        rectification,
        RectificationAction.OPEN,
        from_status="",
        by=by,
        at=at,
        note=rating.comment,
        data={"rating": rating.pk, "channel": rating.channel, "level": rating.overall},
    )
    notify(
        _department_users(rectification, at),
        kind=RECTIFICATION_OPENED,
        title=_("收到差评，请核实整改：%(service)s") % {"service": rectification.service_name},
        body=_("评价：%(level)s（%(channel)s）。请于 %(due)s 前核实并答复整改情况。%(comment)s")
        % {
            "level": rating.get_overall_display(),
            "channel": rating.get_channel_display(),
            "due": rectification.due_date.isoformat(),
            "comment": rating.comment[:200],
        },
        link=rectification.get_absolute_url(),
        at=at,
    )
    _flag_recurrence(rectification, by=by, at=at)
    return rectification


def _flag_recurrence(rectification, *, by, at):
    if rectification.service_item_id is None:
        return  # a hotline order that matched no item: nothing to compare it with
    earlier = (
        Rectification.objects.filter(
            department_id=rectification.department_id,
            service_item_id=rectification.service_item_id,
            opened_at__gte=months_before(at, recurrence_months()),
            opened_at__lte=at,
        )
        .exclude(pk=rectification.pk)
        .exclude(status=RectificationStatus.VOIDED)
        .order_by("-opened_at", "-id")
        .first()
    )
    if earlier is None:
        return
    rectification.is_recurrence = True
    rectification.recurrence_of = earlier
    rectification.save(update_fields=["is_recurrence", "recurrence_of"])
    _event(
        rectification,
        RectificationAction.RECURRENCE,
        from_status=rectification.status,
        by=by,
        at=at,
        data={"earlier": earlier.pk, "months": recurrence_months()},
    )
    notify(
        [*_window_users(rectification, at), *_department_users(rectification, at)],
        kind=RECTIFICATION_RECURRENCE,
        title=_("同类问题重复发生：%(department)s · %(service)s")
        % {"department": rectification.department.name, "service": rectification.service_name},
        body=_(
            "%(months)d 个月内该部门的同一事项再次收到差评（上次转整改：%(date)s），请督促部门杜绝同样问题。"
        )
        % {
            "months": recurrence_months(),
            "date": f"{timezone.localtime(earlier.opened_at):%Y-%m-%d}",
        },
        link=rectification.get_absolute_url(),
        at=at,
    )


@transaction.atomic
def respond_rectification(
    rectification, *, kind, note, promised_date=None, by, at, expected_version=None
) -> Rectification:
    """W10: the department, having verified the complaint, answers with an immediate fix, a fix by a date
    (with the date), or an explanation; the talent's home window is asked to call the talent back."""
    rectification = _lock_rectification(rectification, expected_version)
    if not access.is_department_of(by, rectification):
        raise NotAllowed(_("只有被评价部门的部门专员可以答复整改。"))
    _refuse_unless(rectification, "respond")
    if kind not in ResponseKind.values:
        raise RatingError(_("请选择整改方式：立即整改、限期整改或说明情况。"))
    note = _required(note, _("请填写核实情况和整改措施（或情况说明）。"))
    if kind == ResponseKind.BY_DATE:
        if promised_date is None:
            raise RatingError(_("限期整改须填写承诺完成日期。"))
        if promised_date < _today(at):
            raise RatingError(_("承诺完成日期不能早于今天。"))
    else:
        promised_date = None
    rectification.response_kind = kind
    rectification.response_note = note
    rectification.promised_date = promised_date
    rectification.responded_at = at
    rectification.responded_by = by
    _move(
        rectification,
        RectificationStatus.RESPONDED,
        action=RectificationAction.RESPOND,
        by=by,
        at=at,
        note=note,
        data={"kind": kind, "promised_date": promised_date.isoformat() if promised_date else None},
        fields=["response_kind", "response_note", "promised_date", "responded_at", "responded_by"],
    )
    notify(
        _window_users(rectification, at),
        kind=RECTIFICATION_RESPONDED,
        title=_("整改已答复，请回访人才：%(service)s") % {"service": rectification.service_name},
        body=_("%(department)s：%(kind)s。%(note)s")
        % {
            "department": rectification.department.name,
            "kind": rectification.get_response_kind_display(),
            "note": note[:200],
        },
        link=rectification.get_absolute_url(),
        at=at,
    )
    return rectification


@transaction.atomic
def appeal_rectification(rectification, *, reason, evidence, by, at, expected_version=None) -> Rectification:
    """W10: the department appeals a rating it holds mistaken or malicious, with its reasons and evidence,
    instead of answering; the window rules on it. One appeal per rectification."""
    rectification = _lock_rectification(rectification, expected_version)
    if not access.is_department_of(by, rectification):
        raise NotAllowed(_("只有被评价部门的部门专员可以申诉。"))
    if rectification.ruling == Ruling.REJECTED:
        raise InvalidTransition(_("申诉已被驳回，不能再次申诉；请按要求整改。"), code="invalid_transition")
    _refuse_unless(rectification, "appeal")
    reason = _required(reason, _("请填写申诉理由。"))
    evidence = _required(evidence, _("请填写申诉证据（如办理记录、录音录像说明等）。"))
    rectification.appeal_reason = reason
    rectification.appeal_evidence = evidence
    rectification.appealed_at = at
    rectification.appealed_by = by
    _move(
        rectification,
        RectificationStatus.APPEALED,
        action=RectificationAction.APPEAL,
        by=by,
        at=at,
        note=reason,
        fields=["appeal_reason", "appeal_evidence", "appealed_at", "appealed_by"],
    )
    notify(
        _window_users(rectification, at),
        kind=RECTIFICATION_APPEALED,
        title=_("部门对差评提出申诉，请裁定：%(service)s") % {"service": rectification.service_name},
        body=reason[:200],
        link=rectification.get_absolute_url(),
        at=at,
    )
    return rectification


@transaction.atomic
def rule_on_appeal(rectification, *, upheld, note, by, at, expected_version=None) -> Rectification:
    """W10: the window rules on the department's appeal, recording its reasons.

    Upheld: the rectification is void and its bad ratings leave the statistics (they stay on record, with
    the ruling as the reason). Rejected: the rectification goes on, and the department gets a full answer
    period again from the ruling, since it could not answer while the appeal was pending.
    """
    rectification = _lock_rectification(rectification, expected_version)
    if not access.is_window_over(by, rectification):
        raise NotAllowed(_("只有人才属地窗口的窗口专员可以裁定申诉。"))
    _refuse_unless(rectification, "rule")
    if by.pk == rectification.rating.rated_user_id:
        raise OwnWork(_("不能裁定针对本人工作的申诉。"))
    note = _required(note, _("请填写裁定意见。"))
    rectification.ruling = Ruling.UPHELD if upheld else Ruling.REJECTED
    rectification.ruling_note = note
    rectification.ruled_at = at
    rectification.ruled_by = by
    fields = ["ruling", "ruling_note", "ruled_at", "ruled_by"]
    if upheld:
        rectification.closed_at = at
        excluded = rectification.ratings.filter(excluded_at__isnull=True).update(
            excluded_at=at, excluded_reason=(_("申诉成立：%(note)s") % {"note": note})[:300]
        )
        _move(
            rectification,
            RectificationStatus.VOIDED,
            action=RectificationAction.RULE,
            by=by,
            at=at,
            note=note,
            data={"ruling": Ruling.UPHELD, "excluded_ratings": excluded},
            fields=[*fields, "closed_at"],
        )
    else:
        rectification.due_date = calendar.add_working_days(_today(at), rectification_days())
        rectification.overdue_flagged_at = None
        _move(
            rectification,
            RectificationStatus.OPEN,
            action=RectificationAction.RULE,
            by=by,
            at=at,
            note=note,
            data={"ruling": Ruling.REJECTED, "due_date": rectification.due_date.isoformat()},
            fields=[*fields, "due_date", "overdue_flagged_at"],
        )
    notify(
        _department_users(rectification, at),
        kind=RECTIFICATION_RULED,
        title=_("申诉裁定：%(ruling)s · %(service)s")
        % {"ruling": rectification.get_ruling_display(), "service": rectification.service_name},
        body=note[:200]
        if upheld
        else _("请于 %(due)s 前答复整改情况。%(note)s")
        % {"due": rectification.due_date.isoformat(), "note": note[:200]},
        link=rectification.get_absolute_url(),
        at=at,
    )
    return rectification


@transaction.atomic
def record_callback(rectification, *, satisfied, note="", by, at, expected_version=None) -> Rectification:
    """W10: the talent's home window calls the talent back (回访) about the department's answer and records
    what the talent said. Satisfied closes the rectification; not satisfied sends it back to the
    department for another round, with a new answer period and the previous answer kept in the history."""
    rectification = _lock_rectification(rectification, expected_version)
    if not access.is_window_over(by, rectification):
        raise NotAllowed(_("只有人才属地窗口的窗口专员可以回访。"))
    _refuse_unless(rectification, "callback")
    note = (note or "").strip()[:MAX_NOTE]
    if not satisfied and not note:
        raise RatingError(_("人才不满意时，请记录人才的意见。"))
    rectification.callback_result = CallbackResult.SATISFIED if satisfied else CallbackResult.NOT_SATISFIED
    rectification.callback_note = note
    rectification.callback_at = at
    rectification.callback_by = by
    fields = ["callback_result", "callback_note", "callback_at", "callback_by"]
    data = {"result": rectification.callback_result, "round": rectification.round}
    if satisfied:
        rectification.closed_at = at
        _move(
            rectification,
            RectificationStatus.CLOSED,
            action=RectificationAction.CALLBACK,
            by=by,
            at=at,
            note=note,
            data=data,
            fields=[*fields, "closed_at"],
        )
    else:
        data["previous_answer"] = {
            "kind": rectification.response_kind,
            "note": rectification.response_note,
            "promised_date": rectification.promised_date.isoformat() if rectification.promised_date else None,
        }
        rectification.round += 1
        rectification.due_date = calendar.add_working_days(_today(at), rectification_days())
        rectification.overdue_flagged_at = None
        rectification.response_kind = ""
        rectification.response_note = ""
        rectification.promised_date = None
        rectification.responded_at = None
        rectification.responded_by = None
        _move(
            rectification,
            RectificationStatus.OPEN,
            action=RectificationAction.CALLBACK,
            by=by,
            at=at,
            note=note,
            data=data,
            fields=[
                *fields,
                "round",
                "due_date",
                "overdue_flagged_at",
                "response_kind",
                "response_note",
                "promised_date",
                "responded_at",
                "responded_by",
            ],
        )
    notify(
        _department_users(rectification, at),
        kind=RECTIFICATION_CALLBACK,
        title=_("回访结果：人才%(result)s · %(service)s")
        % {"result": rectification.get_callback_result_display(), "service": rectification.service_name},
        body=note[:200]
        if satisfied
        else _("请继续整改，于 %(due)s 前重新答复。%(note)s")
        % {"due": rectification.due_date.isoformat(), "note": note[:200]},
        link=rectification.get_absolute_url(),
        at=at,
    )
    return rectification
