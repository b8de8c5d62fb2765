"""Every change of state of window grading, 约谈 and reports: one function each (W17–W20, W17-3, W19).

Each action takes keyword-only arguments with an explicit actor (``by``) and time (``at``), runs in one
transaction, re-reads what it changes with ``select_for_update()`` and the version the caller saw, checks who
acts and the allowed source state through the step tables in ``access.py``, writes the change with its event
row, and tells the other side after commit.

Refusals: ``GradingError`` (400) for a rule (a missing reason, a weight out of range, a closed objection
period); ``InvalidTransition`` / ``StaleVersion`` (409) for a state or a copy that moved on; ``NotAllowed``
(403) when the person may see but not do it.

Settings (read on each call):
- ``HUICAI_GRADING_OBJECTION_DAYS`` (default 10): working days after publication during which a window may
  object to its yearly result;
- ``HUICAI_GRADING_PLAN_MAX_DAYS`` (default 120): the longest rectification deadline a plan may ask for.
"""

import time
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.core import audit, transitions
from huicai.core.models import AuditEvent
from huicai.core.transitions import ActionRefused, NotAllowed, lock_for_update
from huicai.grading import access, indicators, reports
from huicai.grading.choices import (
    EVALUATION_PUBLISHED,
    INTERVIEW_OPENED,
    INTERVIEW_STEP,
    OBJECTION_ANSWERED,
    OBJECTION_FILED,
    EvaluationStatus,
    Grade,
    GradingAction,
    IndicatorCode,
    InterviewAction,
    InterviewStatus,
    ObjectionStatus,
    PeriodKind,
    ReportAction,
    ReportKind,
    ReportStatus,
)
from huicai.grading.models import (
    REPORT_SECTIONS,
    Evaluation,
    GradingEvent,
    Interview,
    InterviewEvent,
    Objection,
    Report,
    ReportEvent,
    RubricVersion,
    WindowResult,
)
from huicai.notifications.actions import notify
from huicai.org.models import Window
from huicai.workdays import calendar

MAX_TEXT = 5000
DEFAULT_WEIGHTS = {
    IndicatorCode.ON_TIME: 20,
    IndicatorCode.SATISFACTION: 20,
    IndicatorCode.RECTIFICATION_RATE: 10,
    IndicatorCode.RECTIFICATION_SPEED: 5,
    IndicatorCode.COVERAGE: 15,
    IndicatorCode.CHANGE_FILINGS: 5,
    IndicatorCode.TRAINING: 5,
    IndicatorCode.ARCHIVE_FILINGS: 5,
    IndicatorCode.FEEDBACK: 5,
    IndicatorCode.DIFFICULTIES: 10,
}


class GradingError(ActionRefused):
    """A refused action; the message is for the person who tried it."""


class InvalidTransition(GradingError, transitions.InvalidTransition):
    """The record's state does not allow this step."""


class StaleVersion(GradingError, transitions.StaleVersion):
    """The caller acted on an outdated copy of the record."""


def objection_days() -> int:
    return int(getattr(settings, "HUICAI_GRADING_OBJECTION_DAYS", 10))


def plan_max_days() -> int:
    return int(getattr(settings, "HUICAI_GRADING_PLAN_MAX_DAYS", 120))


def _required(value, message) -> str:
    value = (value or "").strip()
    if not value:
        raise GradingError(message, code="required")
    if len(value) > MAX_TEXT:
        raise GradingError(_("内容过长：不能超过 %(n)s 个字。") % {"n": MAX_TEXT}, code="too_long")
    return value


def _score(value) -> Decimal:
    try:
        score = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise GradingError(_("得分须为 0 到 100 之间的数字。"), code="invalid_score") from None
    if not Decimal(0) <= score <= Decimal(100):
        raise GradingError(_("得分须为 0 到 100 之间的数字。"), code="invalid_score")
    return score


def _lock(model, obj, expected_version):
    return lock_for_update(model, obj.pk, expected_version=expected_version, error=StaleVersion)


def _city_users(at):
    """The commissioners of the city window: whom a window's objection goes to."""
    posts = Post.objects.active_at(at).filter(kind=PostKind.WINDOW, window__parent__isnull=True)
    return [post.user for post in posts.select_related("user")]


def _manager_users(window, at):
    posts = Post.objects.active_at(at).filter(kind=PostKind.WINDOW, is_manager=True, window_id=window.pk)
    return [post.user for post in posts.select_related("user")]


def _require_city(by):
    if not access.is_city_staff(by):
        raise NotAllowed(_("只有市级窗口可以执行此操作。"))


# --- the rubric -----------------------------------------------------------------------------------------


def _checked_rubric(weights, excellent_min, good_min, pass_min):
    clean = {}
    for code, weight in (weights or {}).items():
        if code not in IndicatorCode.values:
            raise GradingError(_("未知的评估指标：%(code)s。") % {"code": code}, code="unknown_indicator")
        try:
            weight = int(weight)
        except (TypeError, ValueError):
            raise GradingError(_("指标权重须为 0 到 100 的整数。"), code="invalid_weight") from None
        if not 0 <= weight <= 100:
            raise GradingError(_("指标权重须为 0 到 100 的整数。"), code="invalid_weight")
        if weight:
            clean[code] = weight
    if not clean:
        raise GradingError(_("至少要为一项指标设置权重。"), code="no_weights")
    thresholds = [_score(excellent_min), _score(good_min), _score(pass_min)]
    if not thresholds[0] > thresholds[1] > thresholds[2]:
        raise GradingError(_("分数线须满足：100 ≥ 优秀 > 良好 > 达标 ≥ 0。"), code="thresholds")
    # Keep the indicators in the rubric's own order, whatever order the form sent them in.
    ordered = {code: clean[code] for code in IndicatorCode.values if code in clean}
    return ordered, thresholds


@transaction.atomic
def create_rubric(*, weights, excellent_min, good_min, pass_min, note="", by, at) -> RubricVersion:
    """W17: the city sets the rubric; each change is a new version, numbered after the last one."""
    _require_city(by)
    weights, (excellent, good, passing) = _checked_rubric(weights, excellent_min, good_min, pass_min)
    # Numbering is serialised on the last version's row, so two editors never take the same number.
    last = RubricVersion.objects.select_for_update().order_by("-number").first()
    try:
        with transaction.atomic():
            rubric = RubricVersion.objects.create(
                number=(last.number if last else 0) + 1,
                note=(note or "").strip()[:300],
                weights=weights,
                excellent_min=excellent,
                good_min=good,
                pass_min=passing,
                created_by=by,
                created_at=at,
            )
    except IntegrityError:
        raise transitions.Conflict(_("另一位同事刚刚保存了新版本，请刷新后重试。"), code="conflict") from None
    audit.record(
        AuditEvent.Kind.CONFIG_CHANGE, actor=by, at=at, obj=rubric, detail=f"grading rubric v{rubric.number}"
    )
    return rubric


@transaction.atomic
def update_rubric(
    rubric, *, weights, excellent_min, good_min, pass_min, note="", expected_version=None, by, at
) -> RubricVersion:
    """Correct a version no evaluation has used yet; a used version is the record of past grades and is
    never rewritten (W17): a change then makes a new version (``create_rubric``)."""
    _require_city(by)
    rubric = _lock(RubricVersion, rubric, expected_version)
    if rubric.evaluations.exists():
        raise InvalidTransition(_("该版本已用于评估，不能修改；请另建新版本。"), code="invalid_transition")
    weights, (excellent, good, passing) = _checked_rubric(weights, excellent_min, good_min, pass_min)
    rubric.weights = weights
    rubric.excellent_min, rubric.good_min, rubric.pass_min = excellent, good, passing
    rubric.note = (note or "").strip()[:300]
    rubric.version += 1
    rubric.save(update_fields=["weights", "excellent_min", "good_min", "pass_min", "note", "version"])
    audit.record(
        AuditEvent.Kind.CONFIG_CHANGE,
        actor=by,
        at=at,
        obj=rubric,
        detail=f"grading rubric v{rubric.number} edited",
    )
    return rubric


def current_rubric() -> RubricVersion | None:
    return RubricVersion.objects.order_by("-number").first()


# --- evaluations ----------------------------------------------------------------------------------------


def period_dates(kind, year, quarter):
    import datetime

    if kind == PeriodKind.YEAR:
        return datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    first_month = 3 * (quarter - 1) + 1
    start = datetime.date(year, first_month, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, first_month + 3, 1)
    return start, end


def _rank_and_grade(evaluation):
    """Rank within each window level by final score (equal scores share a rank: 1, 2, 2, 4) and grade each
    result by the rubric's thresholds. Results without a score are neither ranked nor graded."""
    rubric = evaluation.rubric
    results = list(evaluation.results.select_related("window"))
    by_level = {}
    for result in results:
        by_level.setdefault(result.window.level, []).append(result)
    for level_results in by_level.values():
        scored = sorted((r for r in level_results if r.score is not None), key=lambda r: -r.score)
        for result in level_results:
            result.rank_of = len(scored)
            result.rank = None
        for position, result in enumerate(scored, start=1):
            previous = scored[position - 2] if position > 1 else None
            result.rank = (
                previous.rank if previous is not None and previous.score == result.score else position
            )
    for result in results:
        result.grade = rubric.grade_for(result.score)
    WindowResult.objects.bulk_update(results, ["rank", "rank_of", "grade"])


@transaction.atomic
def compute_evaluation(*, kind, year, quarter=0, rubric=None, by, at) -> Evaluation:
    """Compute (or recompute, while still a draft) the evaluation of every active window below the city
    window for a period.

    One query per indicator for all windows together, whatever the number of records (one per window for
    the three read from staffing and filings; measured: ``compute_seconds``), so it runs inline. A recomputation keeps the city's manual adjustments.
    """
    _require_city(by)
    if kind not in PeriodKind.values:
        raise GradingError(_("请选择年度评估或季度预评估。"), code="invalid_kind")
    if kind == PeriodKind.YEAR:
        quarter = 0
    elif quarter not in (1, 2, 3, 4):
        raise GradingError(_("季度须为 1 到 4。"), code="invalid_quarter")
    start, end = period_dates(kind, year, quarter)
    if start > timezone.localdate(at):
        raise GradingError(_("评估期尚未开始，不能测算。"), code="future_period")
    rubric = rubric or current_rubric()
    if rubric is None:
        raise GradingError(_("请先制定评估指标体系。"), code="no_rubric")

    started = time.monotonic()
    existing = Evaluation.objects.select_for_update().filter(kind=kind, year=year, quarter=quarter).first()
    if existing is not None:
        access.EVALUATION_STEPS.check("recompute", existing, by=by, error=InvalidTransition)
        evaluation = existing
        evaluation.rubric = rubric
        evaluation.computed_at, evaluation.computed_by = at, by
        evaluation.version += 1
    else:
        evaluation = Evaluation(
            kind=kind,
            year=year,
            quarter=quarter,
            start_date=start,
            end_date=end,
            rubric=rubric,
            computed_at=at,
            computed_by=by,
        )
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        raise transitions.Conflict(_("另一位同事正在测算本期评估，请刷新后查看。"), code="conflict") from None

    # The city window grades the windows below it (W17-1: 各级服务窗口); it is not graded by itself.
    windows = list(Window.objects.filter(is_active=True, parent__isnull=False).order_by("path"))
    figures = indicators.compute_figures(rubric.weights, windows, start, end, timezone.localdate(at))
    kept = {r.window_id: r for r in evaluation.results.all()}
    results = []
    for window in windows:
        computed = indicators.weighted_score(rubric.weights, figures[window.pk])
        result = kept.pop(window.pk, None) or WindowResult(evaluation=evaluation, window=window)
        result.figures = figures[window.pk]
        result.computed_score = computed
        result.score = result.adjusted_score if result.adjusted_score is not None else computed
        result.version += 0 if result.pk is None else 1
        results.append(result)
    WindowResult.objects.filter(pk__in=[r.pk for r in kept.values()]).delete()  # windows closed since
    WindowResult.objects.bulk_create([r for r in results if r.pk is None])
    WindowResult.objects.bulk_update(
        [r for r in results if r.pk is not None], ["figures", "computed_score", "score", "version"]
    )
    _rank_and_grade(evaluation)
    evaluation.compute_seconds = round(time.monotonic() - started, 3)
    evaluation.save(update_fields=["compute_seconds"])
    GradingEvent.objects.create(
        evaluation=evaluation,
        action=GradingAction.COMPUTE,
        from_status="",
        to_status=evaluation.status,
        by=by,
        at=at,
        data={"rubric": rubric.number, "windows": len(windows), "seconds": evaluation.compute_seconds},
    )
    return evaluation


def _set_score(result, score, *, reason, by, at, action, evaluation):
    old = result.score
    result.adjusted_score = score
    result.adjustment_reason = reason
    result.adjusted_by, result.adjusted_at = by, at
    result.score = score
    result.version += 1
    result.save(
        update_fields=[
            "adjusted_score",
            "adjustment_reason",
            "adjusted_by",
            "adjusted_at",
            "score",
            "version",
        ]
    )
    _rank_and_grade(evaluation)
    result.refresh_from_db(fields=["rank", "rank_of", "grade"])
    GradingEvent.objects.create(
        evaluation=evaluation,
        result=result,
        action=action,
        from_status=str(old) if old is not None else "",
        to_status=str(score),
        by=by,
        at=at,
        note=reason,
        data={"old_score": str(old) if old is not None else None, "new_score": str(score)},
    )
    # Changing an official grade by hand is audited like any configuration change (who, when, why).
    audit.record(
        AuditEvent.Kind.CONFIG_CHANGE,
        actor=by,
        at=at,
        obj=result,
        detail=f"grading score {old} -> {score}",
    )


@transaction.atomic
def adjust_result(result, *, score, reason, expected_version=None, by, at) -> WindowResult:
    """The city adjusts a window's score by hand before publication, with a reason (audited)."""
    result = _lock(
        WindowResult.objects.select_related("evaluation__rubric", "window"), result, expected_version
    )
    evaluation = Evaluation.objects.select_for_update().select_related("rubric").get(pk=result.evaluation_id)
    if not access.is_city_staff(by):
        raise NotAllowed(_("只有市级窗口可以调整得分。"))
    if evaluation.status != EvaluationStatus.DRAFT:
        raise InvalidTransition(
            _("评估结果已公布，不能直接调整得分；窗口可提出异议，由市级答复时调整。"),
            code="invalid_transition",
        )
    reason = _required(reason, _("人工调整得分须填写理由。"))
    _set_score(
        result, _score(score), reason=reason, by=by, at=at, action=GradingAction.ADJUST, evaluation=evaluation
    )
    return result


def _open_interview(result, *, by, at):
    """W20: a 不达标 window's responsible person (its manager post, if it has one) is interviewed."""
    if Interview.objects.filter(result=result).exists():
        return None
    post = (
        Post.objects.active_at(at)
        .filter(kind=PostKind.WINDOW, is_manager=True, window_id=result.window_id)
        .select_related("user")
        .order_by("id")
        .first()
    )
    interview = Interview.objects.create(
        result=result,
        window=result.window,
        responsible_post=post,
        responsible_name=post.user.get_full_name() if post else "",
        opened_at=at,
        opened_by=by,
    )
    InterviewEvent.objects.create(
        interview=interview,
        action=InterviewAction.OPEN,
        from_status="",
        to_status=interview.status,
        by=by,
        at=at,
        note=_("%(evaluation)s评定为不达标。") % {"evaluation": result.evaluation.period_label},
    )
    notify(
        _manager_users(result.window, at) + _city_users(at),
        kind=INTERVIEW_OPENED,
        title=_("约谈通知：%(window)s") % {"window": result.window.name},
        body=_("%(evaluation)s评定为“不达标”，将约谈窗口负责人，并在联席会议上作出说明。")
        % {"evaluation": result.evaluation.period_label},
        link=interview.get_absolute_url(),
        at=at,
    )
    return interview


@transaction.atomic
def publish_evaluation(evaluation, *, expected_version=None, by, at) -> Evaluation:
    """Publish the results: each window sees its own and may object within the objection period (yearly);
    every 不达标 window of a yearly evaluation gets its 约谈 (W20)."""
    evaluation = _lock(Evaluation.objects.select_related("rubric"), evaluation, expected_version)
    access.EVALUATION_STEPS.check("publish", evaluation, by=by, error=InvalidTransition)
    evaluation.status = EvaluationStatus.PUBLISHED
    evaluation.published_at, evaluation.published_by = at, by
    if evaluation.kind == PeriodKind.YEAR:
        evaluation.objection_due_date = calendar.add_working_days(timezone.localdate(at), objection_days())
    evaluation.version += 1
    evaluation.save(update_fields=["status", "published_at", "published_by", "objection_due_date", "version"])
    GradingEvent.objects.create(
        evaluation=evaluation,
        action=GradingAction.PUBLISH,
        from_status=EvaluationStatus.DRAFT,
        to_status=evaluation.status,
        by=by,
        at=at,
    )
    results = list(evaluation.results.select_related("window", "evaluation"))
    if evaluation.kind == PeriodKind.YEAR:
        for result in results:
            if result.grade == Grade.FAIL:
                _open_interview(result, by=by, at=at)
    managers = Post.objects.active_at(at).filter(kind=PostKind.WINDOW, is_manager=True).select_related("user")
    by_window = {}
    for post in managers:
        by_window.setdefault(post.window_id, []).append(post.user)
    for result in results:
        if result.window_id in by_window:
            notify(
                by_window[result.window_id],
                kind=EVALUATION_PUBLISHED,
                title=_("%(evaluation)s结果已公布") % {"evaluation": evaluation.period_label},
                body=_("本窗口等级：%(grade)s。") % {"grade": result.get_grade_display() or _("暂无数据")},
                link=result.get_absolute_url(),
                at=at,
            )
    return evaluation


# --- objections -----------------------------------------------------------------------------------------


@transaction.atomic
def file_objection(result, *, reason, by, at) -> Objection:
    """The window's manager objects to its published yearly result within the objection period."""
    result = lock_for_update(WindowResult.objects.select_related("evaluation", "window"), result.pk)
    if not access.may_object(by, result, at=at):
        raise NotAllowed(_("只有本窗口负责人可以对已公布的年度评估结果提出异议。"))
    due = result.evaluation.objection_due_date
    if due is not None and timezone.localdate(at) > due:
        raise GradingError(
            _("异议期已于 %(due)s 截止，不能再提出异议。") % {"due": due.isoformat()}, code="objection_closed"
        )
    if access.open_objection(result) is not None:
        raise InvalidTransition(_("该评估结果已有待答复的异议，请等待市级答复。"), code="invalid_transition")
    reason = _required(reason, _("请填写异议理由。"))
    objection = Objection.objects.create(result=result, reason=reason, filed_by=by, filed_at=at)
    GradingEvent.objects.create(
        evaluation=result.evaluation,
        result=result,
        action=GradingAction.OBJECT,
        from_status="",
        to_status=objection.status,
        by=by,
        at=at,
        note=reason,
    )
    notify(
        _city_users(at),
        kind=OBJECTION_FILED,
        title=_("评估异议：%(window)s") % {"window": result.window.name},
        body=reason,
        link=result.get_absolute_url(),
        at=at,
    )
    return objection


@transaction.atomic
def answer_objection(objection, *, upheld, answer, score=None, expected_version=None, by, at) -> Objection:
    """The city answers an objection; when it is upheld the score may change in the same step (audited),
    and a window that falls to 不达标 gets its 约谈."""
    objection = _lock(Objection.objects.select_related("result__window"), objection, expected_version)
    access.OBJECTION_STEPS.check("answer", objection, by=by, error=InvalidTransition)
    answer = _required(answer, _("请填写答复意见。"))
    if score not in (None, "") and not upheld:
        raise GradingError(_("只有异议成立时才能调整得分。"), code="score_without_upheld")
    old = objection.status
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED
    objection.answer = answer
    objection.answered_by, objection.answered_at = by, at
    objection.version += 1
    objection.save(update_fields=["status", "answer", "answered_by", "answered_at", "version"])
    result = lock_for_update(
        WindowResult.objects.select_related("window", "evaluation__rubric"), objection.result_id
    )
    evaluation = result.evaluation
    GradingEvent.objects.create(
        evaluation=evaluation,
        result=result,
        action=GradingAction.ANSWER,
        from_status=old,
        to_status=objection.status,
        by=by,
        at=at,
        note=answer,
    )
    if upheld and score not in (None, ""):
        _set_score(
            result,
            _score(score),
            reason=answer,
            by=by,
            at=at,
            action=GradingAction.ADJUST,
            evaluation=evaluation,
        )
        if result.grade == Grade.FAIL:
            _open_interview(result, by=by, at=at)
    notify(
        [objection.filed_by],
        kind=OBJECTION_ANSWERED,
        title=_("评估异议已答复：%(status)s") % {"status": objection.get_status_display()},
        body=answer,
        link=result.get_absolute_url(),
        at=at,
    )
    return objection


# --- 约谈 (W20) -----------------------------------------------------------------------------------------


def _interview_step(interview, name, *, expected_version, by, at, note, fields, values):
    interview = _lock(Interview.objects.select_related("window"), interview, expected_version)
    access.INTERVIEW_STEPS.check(name, interview, by=by, error=InvalidTransition)
    old = interview.status
    for field, value in values.items():
        setattr(interview, field, value)
    interview.version += 1
    interview.save(update_fields=[*values, "version"])
    InterviewEvent.objects.create(
        interview=interview,
        action=fields["action"],
        from_status=old,
        to_status=interview.status,
        by=by,
        at=at,
        note=note,
    )
    notify(
        [u for u in _manager_users(interview.window, at) + _city_users(at) if u.pk != by.pk],
        kind=INTERVIEW_STEP,
        title=_("约谈进展：%(window)s · %(status)s")
        % {"window": interview.window.name, "status": interview.get_status_display()},
        body=note[:500],
        link=interview.get_absolute_url(),
        at=at,
    )
    return interview


@transaction.atomic
def record_talk(interview, *, talk_date, participants, record, expected_version=None, by, at) -> Interview:
    """The city records the talk with the window's responsible person: when, who, what was said."""
    record = _required(record, _("请填写约谈记录。"))
    if talk_date is None:
        raise GradingError(_("请填写约谈日期。"), code="required")
    if talk_date > timezone.localdate(at):
        raise GradingError(_("约谈日期不能晚于今天。"), code="future_date")
    return _interview_step(
        interview,
        "talk",
        expected_version=expected_version,
        by=by,
        at=at,
        note=record,
        fields={"action": InterviewAction.TALK},
        values={
            "status": InterviewStatus.TALKED,
            "talk_date": talk_date,
            "talk_participants": (participants or "").strip()[:300],
            "talk_record": record,
        },
    )


@transaction.atomic
def record_explanation(interview, *, meeting_date, explanation, expected_version=None, by, at) -> Interview:
    """W20: the responsible person's explanation at the joint meeting (联席会议), as the city records it."""
    explanation = _required(explanation, _("请填写在联席会议上作出的说明。"))
    if meeting_date is None:
        raise GradingError(_("请填写联席会议日期。"), code="required")
    if meeting_date > timezone.localdate(at):
        raise GradingError(_("联席会议日期不能晚于今天。"), code="future_date")
    return _interview_step(
        interview,
        "explain",
        expected_version=expected_version,
        by=by,
        at=at,
        note=explanation,
        fields={"action": InterviewAction.EXPLAIN},
        values={
            "status": InterviewStatus.EXPLAINED,
            "meeting_date": meeting_date,
            "meeting_explanation": explanation,
        },
    )


@transaction.atomic
def submit_plan(interview, *, plan, days, expected_version=None, by, at) -> Interview:
    """The window's rectification plan, due ``days`` working days from today on the official calendar."""
    plan = _required(plan, _("请填写整改方案。"))
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= plan_max_days():
        raise GradingError(
            _("整改期限须为 1 到 %(max)s 个工作日。") % {"max": plan_max_days()}, code="invalid_days"
        )
    due = calendar.add_working_days(timezone.localdate(at), days)
    return _interview_step(
        interview,
        "plan",
        expected_version=expected_version,
        by=by,
        at=at,
        note=plan,
        fields={"action": InterviewAction.PLAN},
        values={
            "status": InterviewStatus.RECTIFYING,
            "plan": plan,
            "plan_days": days,
            "plan_due_date": due,
            "plan_submitted_at": at,
        },
    )


@transaction.atomic
def close_interview(interview, *, note, expected_version=None, by, at) -> Interview:
    """The city verifies the rectification and closes the 约谈 (销号)."""
    note = _required(note, _("请填写整改验收意见。"))
    return _interview_step(
        interview,
        "close",
        expected_version=expected_version,
        by=by,
        at=at,
        note=note,
        fields={"action": InterviewAction.CLOSE},
        values={"status": InterviewStatus.CLOSED, "close_note": note, "closed_at": at},
    )


# --- reports (W17-3, W19) -------------------------------------------------------------------------------


@transaction.atomic
def draft_report(*, evaluation, by, at) -> Report:
    """A draft report generated from a published evaluation; the city edits its sections before issuing."""
    _require_city(by)
    evaluation = Evaluation.objects.select_related("rubric").get(pk=evaluation.pk)
    if not evaluation.is_published:
        raise GradingError(_("评估结果公布后才能起草报告。"), code="not_published")
    results = list(evaluation.results.select_related("window").in_rank_order())
    texts = reports.draft_texts(evaluation, results)
    kind = ReportKind.YEARLY if evaluation.kind == PeriodKind.YEAR else ReportKind.QUARTERLY
    report = Report.objects.create(
        kind=kind,
        evaluation=evaluation,
        title=reports.title_for(evaluation),
        addressee=_("市委人才工作领导小组办公室"),
        created_by=by,
        created_at=at,
        **texts,
    )
    ReportEvent.objects.create(
        report=report, action=ReportAction.DRAFT, from_status="", to_status=report.status, by=by, at=at
    )
    return report


@transaction.atomic
def edit_report(report, *, title, sections, expected_version=None, by, at) -> Report:
    """The city edits a draft's title and text sections; an issued report never changes."""
    report = _lock(Report, report, expected_version)
    _require_city(by)
    if report.status != ReportStatus.DRAFT:
        raise InvalidTransition(_("报告已印发，不能修改。"), code="invalid_transition")
    report.title = _required(title, _("请填写报告标题。"))[:200]
    for name, _heading in REPORT_SECTIONS:
        value = (sections.get(name) or "").strip()
        if len(value) > MAX_TEXT * 4:
            raise GradingError(_("内容过长：不能超过 %(n)s 个字。") % {"n": MAX_TEXT * 4}, code="too_long")
        setattr(report, name, value)
    report.version += 1
    report.save(update_fields=["title", *[name for name, _h in REPORT_SECTIONS], "version"])
    ReportEvent.objects.create(
        report=report,
        action=ReportAction.EDIT,
        from_status=report.status,
        to_status=report.status,
        by=by,
        at=at,
    )
    return report


@transaction.atomic
def issue_report(report, *, expected_version=None, by, at) -> Report:
    """Render the PDF and the workbook once and keep them with their SHA-256 checksums (immutable)."""
    report = _lock(Report.objects.select_related("evaluation__rubric"), report, expected_version)
    _require_city(by)
    if report.status != ReportStatus.DRAFT:
        raise InvalidTransition(_("报告已印发，不能重复印发。"), code="invalid_transition")
    report.issued_by, report.issued_at = by, at
    results = list(report.evaluation.results.select_related("window").in_rank_order())
    report.pdf = reports.render_pdf(report, results)
    report.xlsx = reports.render_xlsx(report, results)
    report.pdf_sha256 = reports.checksum(report.pdf)
    report.xlsx_sha256 = reports.checksum(report.xlsx)
    report.status = ReportStatus.ISSUED
    report.version += 1
    report.save(
        update_fields=[
            "status",
            "issued_by",
            "issued_at",
            "pdf",
            "xlsx",
            "pdf_sha256",
            "xlsx_sha256",
            "version",
        ]
    )
    ReportEvent.objects.create(
        report=report,
        action=ReportAction.ISSUE,
        from_status=ReportStatus.DRAFT,
        to_status=report.status,
        by=by,
        at=at,
    )
    return report
