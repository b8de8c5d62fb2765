"""The measured indicators of window grading (W17–W20): how each figure is computed, and which records
stand behind it (the drill-down).

Every indicator is a rate: ``numerator / denominator`` over the records of a period that belong to a
window's jurisdiction (the window and every window below it, along the window tree). ``figures(windows,
start, end, today)`` computes it for all windows at once, in one query, and returns ``{window_id:
(numerator, denominator)}``; ``records(window, start, end, user, today)`` is the drill-down, the same records
for one window, through the model's ``visible_to`` (so a user sees only the records they may see), each
with a flag saying whether it counted in the numerator.

Three indicators read commissioner management and filings through those apps' selectors
(``staffing.selectors.change_filing_timeliness`` and ``training_summary``, ``filings.selectors.
window_filing_timeliness``), one query per window, each for the window's own registry and filings (S19:
each window keeps its level's registry). An indicator with nothing to count for a window has the
value None ("暂无数据") and the weighted total leaves it out, with the weights of the rest renormalised.

Periods are ``[start, end)`` of local dates.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huicai.casework.choices import TaskStatus
from huicai.casework.models import Task
from huicai.commissioners.models import UnitAssignment
from huicai.grading.choices import IndicatorCode
from huicai.outreach.choices import DifficultyKind, DifficultyStatus
from huicai.outreach.models import Difficulty
from huicai.ratings.choices import GOOD_LEVELS, RectificationStatus
from huicai.ratings.models import Rating, Rectification
from huicai.talents.models import Talent

FOUR_PLACES = Decimal("0.0001")
TWO_PLACES = Decimal("0.01")

NO_DATA = _("暂无数据")

RENORMALISATION_RULE = _(
    "总分 = Σ(指标权重 × 指标得分) ÷ Σ(有数据指标的权重)。指标得分 = 比率 × 100。"
    "某项指标“暂无数据”（期内没有可计的记录，或数据来源尚未接入）时，不计入总分，"
    "其余指标的权重按比例放大，使权重之和仍为 100%。所有指标均暂无数据的窗口不评定等级。"
)


def midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def rate(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(FOUR_PLACES, ROUND_HALF_UP)


def prefixes(path: str) -> list[str]:
    """``"1/4/"`` → ``["1/", "1/4/"]``: the windows a record of window ``1/4/`` counts for."""
    parts = path.strip("/").split("/") if path else []
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def tally(rows: Iterable[tuple[str, bool]], windows) -> dict[int, tuple[int, int]]:
    """Add each (window path, counted) row to every window at or above its window."""
    by_path = {window.path: window.pk for window in windows}
    counts = {window.pk: [0, 0] for window in windows}
    for path, counted in rows:
        for prefix in prefixes(path):
            pk = by_path.get(prefix)
            if pk is not None:
                counts[pk][1] += 1
                counts[pk][0] += 1 if counted else 0
    return {pk: (numerator, denominator) for pk, (numerator, denominator) in counts.items()}


@dataclass(frozen=True)
class Record:
    """One line of a drill-down: the cells to show, the link to the record, whether it counted."""

    cells: list
    counted: bool
    url: str = ""


@dataclass(frozen=True)
class Indicator:
    code: str
    formula: str
    numerator_label: str
    denominator_label: str
    figures: Callable  # (windows, start, end, today) -> {window_id: (numerator, denominator)}
    records: Callable | None = None  # (window, start, end, user, today) -> queryset
    columns: tuple = ()
    row: Callable | None = None  # (record, today) -> Record

    @property
    def label(self) -> str:
        return IndicatorCode(self.code).label


# --- on time (W9, W13: the committed limits) ----------------------------------------------------------


def _task_due(task_due: datetime.date, external: datetime.date | None) -> datetime.date:
    """The date a task is judged by: its deadline, never later than a hotline order's date (S12-2)."""
    return min(task_due, external) if external else task_due


def _tasks_in_period(queryset, start, end):
    """Tasks completed in the period, and running tasks whose deadline fell in it (they count as late)."""
    return queryset.filter(deadline__isnull=False).filter(
        Q(status=TaskStatus.COMPLETED, completed_at__gte=midnight(start), completed_at__lt=midnight(end))
        | Q(
            status__in=[TaskStatus.ACCEPTED, TaskStatus.DELEGATED],
            deadline__due_date__gte=start,
            deadline__due_date__lt=end,
        )
    )


def _task_on_time(status, completed_at, due, external, today) -> bool | None:
    """True on time, False late, None not yet due (a running task whose deadline is still ahead)."""
    judged = _task_due(due, external)
    if status == TaskStatus.COMPLETED:
        return timezone.localdate(completed_at) <= judged
    return None if judged >= today else False


def on_time_figures(windows, start, end, today):
    rows = _tasks_in_period(Task.objects.all(), start, end).values_list(
        "application__window__path",
        "status",
        "completed_at",
        "deadline__due_date",
        "application__external_due_date",
    )
    judged = []
    for path, status, completed_at, due, external in rows:
        on_time = _task_on_time(status, completed_at, due, external, today)
        if on_time is not None:
            judged.append((path, on_time))
    return tally(judged, windows)


def on_time_records(window, start, end, user, today):
    return (
        _tasks_in_period(
            Task.objects.visible_to(user).filter(application__window__path__startswith=window.path),
            start,
            end,
        )
        .select_related("department", "deadline", "application")
        .order_by("deadline__due_date", "id")
    )


def on_time_row(task, today):
    on_time = _task_on_time(
        task.status, task.completed_at, task.deadline.due_date, task.application.external_due_date, today
    )
    completed = f"{timezone.localtime(task.completed_at):%Y-%m-%d}" if task.completed_at else _("未办结")
    verdict = {True: _("按时"), False: _("超期"), None: _("未到期，不计")}[on_time]
    return Record(
        cells=[task.number, task.department.name, completed, f"{task.judged_due_date:%Y-%m-%d}", verdict],
        counted=bool(on_time),
        url=task.get_absolute_url(),
    )


# --- satisfaction (W10 好差评) --------------------------------------------------------------------------


def _ratings_in_period(queryset, start, end):
    return queryset.counted().filter(rated_at__gte=midnight(start), rated_at__lt=midnight(end))


def satisfaction_figures(windows, start, end, today):
    rows = _ratings_in_period(Rating.objects.all(), start, end).values_list(
        "talent__home_window__path", "overall"
    )
    return tally(((path, overall in GOOD_LEVELS) for path, overall in rows), windows)


def satisfaction_records(window, start, end, user, today):
    return (
        _ratings_in_period(Rating.objects.visible_to(user), start, end)
        .filter(talent__home_window__path__startswith=window.path)
        .select_related("department")
        .order_by("rated_at", "id")
    )


def satisfaction_row(rating, today):
    return Record(
        cells=[
            rating.service_name,
            rating.department.name,
            f"{timezone.localtime(rating.rated_at):%Y-%m-%d}",
            rating.get_channel_display(),
            rating.get_overall_display(),
        ],
        counted=rating.overall in GOOD_LEVELS,
    )


# --- rectification rate and speed (W9, W10 整改) ------------------------------------------------------


def _rectifications_in_period(queryset, start, end):
    # An appeal upheld voids the rectification: it was never the department's fault and does not count.
    return queryset.filter(opened_at__gte=midnight(start), opened_at__lt=midnight(end)).exclude(
        status=RectificationStatus.VOIDED
    )


def _answered_in_time(responded_at, due_date) -> bool:
    return responded_at is not None and timezone.localdate(responded_at) <= due_date


def rectification_rate_figures(windows, start, end, today):
    rows = _rectifications_in_period(Rectification.objects.all(), start, end).values_list(
        "window__path", "status"
    )
    return tally(((path, status == RectificationStatus.CLOSED) for path, status in rows), windows)


def rectification_speed_figures(windows, start, end, today):
    rows = _rectifications_in_period(Rectification.objects.all(), start, end).values_list(
        "window__path", "responded_at", "due_date"
    )
    return tally(((path, _answered_in_time(at, due)) for path, at, due in rows), windows)


def rectification_records(window, start, end, user, today):
    return (
        _rectifications_in_period(Rectification.objects.visible_to(user), start, end)
        .filter(window__path__startswith=window.path)
        .select_related("department")
        .order_by("opened_at", "id")
    )


def _rectification_cells(rectification):
    responded = (
        f"{timezone.localtime(rectification.responded_at):%Y-%m-%d}" if rectification.responded_at else "—"
    )
    return [
        rectification.service_name,
        rectification.department.name,
        f"{timezone.localtime(rectification.opened_at):%Y-%m-%d}",
        f"{rectification.due_date:%Y-%m-%d}",
        responded,
        rectification.get_status_display(),
    ]


def rectification_rate_row(rectification, today):
    return Record(
        cells=_rectification_cells(rectification),
        counted=rectification.status == RectificationStatus.CLOSED,
        url=rectification.get_absolute_url(),
    )


def rectification_speed_row(rectification, today):
    return Record(
        cells=_rectification_cells(rectification),
        counted=_answered_in_time(rectification.responded_at, rectification.due_date),
        url=rectification.get_absolute_url(),
    )


# --- unit-commissioner coverage (S6, S11) ---------------------------------------------------------------


def _talents_at_end(queryset, end):
    """Talents registered before the end of the period, each marked whether a unit commissioner covered
    them at that moment (an assignment begun before it and not ended by it)."""
    moment = midnight(end)
    covering = UnitAssignment.objects.filter(talent=OuterRef("pk"), active_from__lt=moment).filter(
        Q(active_to__isnull=True) | Q(active_to__gte=moment)
    )
    return queryset.filter(created_at__lt=moment).annotate(covered=Exists(covering))


def coverage_figures(windows, start, end, today):
    rows = _talents_at_end(Talent.objects.all(), end).values_list("home_window__path", "covered")
    return tally(rows, windows)


def coverage_records(window, start, end, user, today):
    return (
        _talents_at_end(Talent.objects.visible_to(user), end)
        .filter(home_window__path__startswith=window.path)
        .select_related("employer")
        .order_by("id")
    )


def coverage_row(talent, today):
    return Record(
        cells=[talent.name, talent.employer.name, _("有") if talent.covered else _("无")],
        counted=talent.covered,
        url=talent.get_absolute_url(),
    )


# --- talents' feedback and difficulties (S11-5, S14-4) ----------------------------------------------------

ANSWERED = (DifficultyStatus.RESPONDED, DifficultyStatus.RESOLVED, DifficultyStatus.CLOSED)
RESOLVED = (DifficultyStatus.RESOLVED, DifficultyStatus.CLOSED)


def _difficulties_in_period(queryset, kind, start, end):
    return queryset.filter(kind=kind, recorded_at__gte=midnight(start), recorded_at__lt=midnight(end))


def feedback_figures(windows, start, end, today):
    rows = _difficulties_in_period(
        Difficulty.objects.all(), DifficultyKind.SUGGESTION, start, end
    ).values_list("talent__home_window__path", "status")
    return tally(((path, status in ANSWERED) for path, status in rows), windows)


def difficulties_figures(windows, start, end, today):
    rows = _difficulties_in_period(
        Difficulty.objects.all(), DifficultyKind.DIFFICULTY, start, end
    ).values_list("talent__home_window__path", "status")
    return tally(((path, status in RESOLVED) for path, status in rows), windows)


def _difficulty_records(kind):
    def records(window, start, end, user, today):
        return (
            _difficulties_in_period(Difficulty.objects.visible_to(user), kind, start, end)
            .filter(talent__home_window__path__startswith=window.path)
            .order_by("recorded_at", "id")
        )

    return records


def _difficulty_row(counted_statuses):
    def row(difficulty, today):
        return Record(
            cells=[
                difficulty.get_category_display(),
                f"{timezone.localtime(difficulty.recorded_at):%Y-%m-%d}",
                difficulty.get_status_display(),
            ],
            counted=difficulty.status in counted_statuses,
            url=difficulty.get_absolute_url(),
        )

    return row


# --- the indicators read from commissioner management (S19, S20) and filings (W14, S18) ---------------------
# Their apps' selectors count both ends of a period; an evaluation's period ends the day before ``end``.


def _last_day(end):
    return end - datetime.timedelta(days=1)


def change_filings_figures(windows, start, end, today):
    """S19: the commissioner changes of each window's own registry filed with it within 7 working days."""
    from huicai.staffing.selectors import change_filing_timeliness

    return {
        window.pk: change_filing_timeliness(window=window, start=start, end=_last_day(end))
        for window in windows
    }


def change_filings_records(window, start, end, user, today):
    from huicai.staffing.models import ChangeRecord

    return (
        ChangeRecord.objects.visible_to(user)
        .filter(window=window, deadline__due_date__gte=start, deadline__due_date__lte=_last_day(end))
        .select_related("deadline", "post__user")
        .order_by("deadline__due_date", "id")
    )


def change_filings_row(record, today):
    due = record.deadline.due_date
    filed = timezone.localdate(record.filed_at) if record.filed_at else None
    return Record(
        cells=[
            record.get_kind_display(),
            f"{record.change_date:%Y-%m-%d}",
            f"{due:%Y-%m-%d}",
            filed or _("未备案"),
        ],
        counted=filed is not None and filed <= due,
        url=record.get_absolute_url(),
    )


def training_figures(windows, start, end, today):
    """S20: the share of each window's registry that reached the yearly minimum of training hours."""
    from huicai.staffing.selectors import training_summary

    figures = {}
    for window in windows:
        summary = training_summary(window=window, year=start.year)
        figures[window.pk] = (summary["commissioners"] - summary["below_minimum"], summary["commissioners"])
    return figures


def training_records(window, start, end, user, today):
    from huicai.staffing.selectors import training_hours

    return training_hours(window=window, year=start.year)


def training_row(row, today):
    from huicai.staffing.scoring import training_minimum_hours

    post, hours = row
    return Record(
        cells=[post.user.get_full_name(), post.get_kind_display(), hours],
        counted=hours >= training_minimum_hours(),
    )


def archive_filings_figures(windows, start, end, today):
    """W14/S18: each window's quarterly and yearly filings to the window above it, filed by their dates."""
    from huicai.filings.selectors import window_filing_timeliness

    return {
        window.pk: window_filing_timeliness(window=window, start=start, end=_last_day(end))
        for window in windows
    }


def archive_filings_records(window, start, end, user, today):
    from huicai.filings.choices import FilingKind
    from huicai.filings.models import Filing

    return (
        Filing.objects.visible_to(user)
        .filter(
            filer_window=window,
            kind__in=[FilingKind.QUARTERLY, FilingKind.ANNUAL],
            due_date__gte=start,
            due_date__lte=_last_day(end),
        )
        .order_by("due_date", "id")
    )


def archive_filings_row(filing, today):
    first = filing.first_filed_date
    return Record(
        cells=[str(filing), f"{filing.due_date:%Y-%m-%d}", first or _("未报备")],
        counted=first is not None and first <= filing.due_date,
        url=filing.get_absolute_url(),
    )


RECTIFICATION_COLUMNS = (_("服务"), _("整改部门"), _("转整改"), _("答复期限"), _("答复时间"), _("状态"))
DIFFICULTY_COLUMNS = (_("类别"), _("登记时间"), _("状态"))

INDICATORS = {
    IndicatorCode.ON_TIME: Indicator(
        code=IndicatorCode.ON_TIME,
        formula=_(
            "按时办结率 = 期内按时办结的办理任务数 ÷（期内办结的任务数 + 办结时限在期内但仍在办理的超期任务数）。"
            "按时：办结日期不晚于办结时限（热线工单以热线要求的日期为准，取较早者）；按人才属地窗口及其下级窗口统计。"
        ),
        numerator_label=_("按时办结"),
        denominator_label=_("应办结任务"),
        figures=on_time_figures,
        records=on_time_records,
        columns=(_("任务编号"), _("主管部门"), _("办结日期"), _("办结时限"), _("结果")),
        row=on_time_row,
    ),
    IndicatorCode.SATISFACTION: Indicator(
        code=IndicatorCode.SATISFACTION,
        formula=_(
            "好差评满意率 = 期内“非常满意、满意、基本满意”的评价数 ÷ 期内计入统计的评价数（申诉成立而不计入统计的除外），"
            "按被评价服务的人才属地窗口统计。"
        ),
        numerator_label=_("好评"),
        denominator_label=_("评价"),
        figures=satisfaction_figures,
        records=satisfaction_records,
        columns=(_("服务"), _("被评价部门"), _("评价日期"), _("评价渠道"), _("总体评价")),
        row=satisfaction_row,
    ),
    IndicatorCode.RECTIFICATION_RATE: Indicator(
        code=IndicatorCode.RECTIFICATION_RATE,
        formula=_(
            "差评整改办结率 = 期内转整改且已回访办结的整改数 ÷ 期内转整改的整改数（申诉成立已撤销的除外）。"
        ),
        numerator_label=_("已办结"),
        denominator_label=_("转整改"),
        figures=rectification_rate_figures,
        records=rectification_records,
        columns=RECTIFICATION_COLUMNS,
        row=rectification_rate_row,
    ),
    IndicatorCode.RECTIFICATION_SPEED: Indicator(
        code=IndicatorCode.RECTIFICATION_SPEED,
        formula=_(
            "差评整改按期答复率 = 期内转整改且部门在答复期限内答复的整改数 ÷ 期内转整改的整改数（申诉成立已撤销的除外）。"
        ),
        numerator_label=_("按期答复"),
        denominator_label=_("转整改"),
        figures=rectification_speed_figures,
        records=rectification_records,
        columns=RECTIFICATION_COLUMNS,
        row=rectification_speed_row,
    ),
    IndicatorCode.COVERAGE: Indicator(
        code=IndicatorCode.COVERAGE,
        formula=_("单位专员覆盖率 = 期末有在岗单位专员一对一对接的人才数 ÷ 期末前登记的属地人才数。"),
        numerator_label=_("有单位专员"),
        denominator_label=_("属地人才"),
        figures=coverage_figures,
        records=coverage_records,
        columns=(_("人才"), _("用人单位"), _("期末单位专员")),
        row=coverage_row,
    ),
    IndicatorCode.CHANGE_FILINGS: Indicator(
        code=IndicatorCode.CHANGE_FILINGS,
        formula=_(
            "专员变动按时备案率 = 期内在 7 个工作日内报本级窗口备案的专员变动数 ÷ 期内应备案的专员变动数。"
        ),
        numerator_label=_("按时备案"),
        denominator_label=_("应备案"),
        figures=change_filings_figures,
        records=change_filings_records,
        columns=(_("变更类别"), _("变更日期"), _("备案期限"), _("备案日期")),
        row=change_filings_row,
    ),
    IndicatorCode.TRAINING: Indicator(
        code=IndicatorCode.TRAINING,
        formula=_("专员培训学时达标率 = 年度培训学时达到最低要求的服务专员数 ÷ 本级服务专员数。"),
        numerator_label=_("学时达标"),
        denominator_label=_("服务专员"),
        figures=training_figures,
        records=training_records,
        columns=(_("专员"), _("类别"), _("年度学时")),
        row=training_row,
    ),
    IndicatorCode.ARCHIVE_FILINGS: Indicator(
        code=IndicatorCode.ARCHIVE_FILINGS,
        formula=_("服务档案按时报备率 = 期内按时向上级窗口报备的档案报备数 ÷ 期内应报备数。"),
        numerator_label=_("按时报备"),
        denominator_label=_("应报备"),
        figures=archive_filings_figures,
        records=archive_filings_records,
        columns=(_("报备"), _("应报备日期"), _("首次报备日期")),
        row=archive_filings_row,
    ),
    IndicatorCode.FEEDBACK: Indicator(
        code=IndicatorCode.FEEDBACK,
        formula=_(
            "人才意见建议答复率 = 期内登记且已答复（已答复、已解决或已关闭）的人才意见建议数 ÷ 期内登记的意见建议数。"
        ),
        numerator_label=_("已答复"),
        denominator_label=_("意见建议"),
        figures=feedback_figures,
        records=_difficulty_records(DifficultyKind.SUGGESTION),
        columns=DIFFICULTY_COLUMNS,
        row=_difficulty_row(ANSWERED),
    ),
    IndicatorCode.DIFFICULTIES: Indicator(
        code=IndicatorCode.DIFFICULTIES,
        formula=_("困难问题解决率 = 期内登记且已解决（已解决或已关闭）的困难问题数 ÷ 期内登记的困难问题数。"),
        numerator_label=_("已解决"),
        denominator_label=_("困难问题"),
        figures=difficulties_figures,
        records=_difficulty_records(DifficultyKind.DIFFICULTY),
        columns=DIFFICULTY_COLUMNS,
        row=_difficulty_row(RESOLVED),
    ),
}


def compute_figures(rubric_weights: dict, windows, start, end, today) -> dict[int, dict]:
    """Every weighted indicator for every window: ``{window_id: {code: {numerator, denominator, value,
    score}}}`` with value a decimal string (0–1) or None for 暂无数据. One query per indicator."""
    result = {window.pk: {} for window in windows}
    for code in rubric_weights:
        indicator = INDICATORS[code]
        figures = indicator.figures(windows, start, end, today)
        for window in windows:
            numerator, denominator = figures.get(window.pk, (0, 0))
            value = rate(numerator, denominator)
            result[window.pk][code] = {
                "numerator": numerator,
                "denominator": denominator,
                "value": None if value is None else str(value),
                "score": None if value is None else str((value * 100).quantize(TWO_PLACES)),
            }
    return result


def weighted_score(rubric_weights: dict, figures: dict) -> Decimal | None:
    """Σ(weight × score) ÷ Σ(weight of the indicators with data): see ``RENORMALISATION_RULE``."""
    total = Decimal(0)
    weights = 0
    for code, weight in rubric_weights.items():
        figure = figures.get(code)
        if figure is None or figure["score"] is None:
            continue
        total += Decimal(weight) * Decimal(figure["score"])
        weights += weight
    if not weights:
        return None
    return (total / weights).quantize(TWO_PLACES, ROUND_HALF_UP)
