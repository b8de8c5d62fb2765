"""S21: the figures of a commissioner's scorecard, computed from the records behind them.

Each component is one function returning the evidence rows (a queryset the evidence page paginates) and
one that counts them, from the same query, so the figure on the scorecard and the list behind it cannot
disagree. A component with nothing to count in the period has no score (暂无数据) and is left out of the
weighted total, whose weights are then those of the components with data.

- steps: the window's and department's steps (casework ``StageClock``: triage, acceptance, reroute) the
  person closed for the post's organisation, and the tasks they completed, on time when done by the close
  of the due date;
- supplements: the unit commissioner's supplement and informing clocks (``StageClock.unit_post``) due in
  the period, on time when closed by the due date (one still open after it is late);
- ratings: counted ratings of services the person handled (``Rating.rated_user``), satisfied when not bad;
- filings: the unit's report filings on time, from the filings app (``filings_on_time``);
- training: hours attended against the yearly minimum (a twelfth of it for a month);
- rectifications: rated services that did not lead to a rectification.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from huicai.casework.choices import Stage, TaskStatus
from huicai.casework.models import StageClock, Task
from huicai.commissioners.choices import PostKind
from huicai.filings.selectors import unit_report_timeliness
from huicai.ratings.choices import BAD_LEVELS
from huicai.ratings.models import Rating, Rectification
from huicai.staffing.choices import Component
from huicai.staffing.models import TrainingAttendance

ORG_STAGES = [Stage.TRIAGE, Stage.ACCEPTANCE, Stage.REROUTE]
UNIT_STAGES = [Stage.SUPPLEMENT, Stage.INFORMING]


def training_minimum_hours() -> Decimal:
    """S20: the yearly minimum of training hours (setting ``HUICAI_TRAINING_MIN_HOURS``, default 24)."""
    return Decimal(str(getattr(settings, "HUICAI_TRAINING_MIN_HOURS", 24)))


def filings_on_time(*, post, start: datetime.date, end: datetime.date):
    """(on_time, due) of a unit commissioner's periodic reports to the window (W14) due in [start, end), or
    None for 暂无数据: another kind of post files none, and a period in which none fell due has nothing to
    count. The filings app counts both ends of a period, so its last day is ``end`` - 1."""
    if post.kind != PostKind.UNIT:
        return None
    on_time, due = unit_report_timeliness(post=post, start=start, end=end - datetime.timedelta(days=1))
    return (on_time, due) if due else None


def _moments(start, end):
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end, datetime.time.min, tzinfo=tz),
    )


def step_clocks(post, start, end):
    """The organisation's steps the person closed in the period."""
    if post.kind == PostKind.WINDOW:
        org = Q(window_id=post.window_id)
    elif post.kind == PostKind.DEPARTMENT:
        org = Q(department_id=post.department_id)
    else:
        org = Q(pk__in=[])  # a unit or institution commissioner holds none of these steps
    since, until = _moments(start, end)
    return (
        StageClock.objects.filter(org, stage__in=ORG_STAGES, closed_by_id=post.user_id)
        .filter(closed_at__gte=since, closed_at__lt=until)
        .annotate(done_date=TruncDate("closed_at"), due=F("deadline__due_date"))
        .select_related("application", "task")
        .order_by("closed_at", "id")
    )


def step_tasks(post, start, end):
    """The tasks the person completed for the post's department or institution in the period."""
    if post.kind == PostKind.DEPARTMENT:
        org = Q(department_id=post.department_id)
    elif post.kind == PostKind.UNDERTAKING:
        org = Q(undertaking_org_id=post.undertaking_org_id)
    else:
        org = Q(pk__in=[])  # a unit or window commissioner completes no tasks
    since, until = _moments(start, end)
    return (
        Task.objects.filter(
            org, status=TaskStatus.COMPLETED, completed_by_id=post.user_id, deadline__isnull=False
        )
        .filter(completed_at__gte=since, completed_at__lt=until)
        .annotate(done_date=TruncDate("completed_at"), due=F("deadline__due_date"))
        .select_related("department")
        .order_by("completed_at", "id")
    )


def supplement_clocks(post, start, end, *, today):
    """The unit commissioner's supplement and informing clocks due in the period and already judged: closed,
    or still open after the due date."""
    # Only a unit commissioner holds these steps.
    holder = Q(unit_post=post) if post.kind == PostKind.UNIT else Q(pk__in=[])
    return (
        StageClock.objects.filter(
            holder,
            stage__in=UNIT_STAGES,
            deadline__due_date__gte=start,
            deadline__due_date__lt=end,
        )
        .filter(Q(closed_at__isnull=False) | Q(deadline__due_date__lt=today))
        .annotate(done_date=TruncDate("closed_at"), due=F("deadline__due_date"))
        .select_related("application", "task")
        .order_by("deadline__due_date", "id")
    )


def rated(post, start, end):
    since, until = _moments(start, end)
    ratings = Rating.objects.counted().filter(
        rated_user_id=post.user_id, rated_at__gte=since, rated_at__lt=until
    )
    if post.kind == PostKind.DEPARTMENT:
        ratings = ratings.filter(department_id=post.department_id)
    return ratings.select_related("task").order_by("rated_at", "id")


def rectifications(post, start, end):
    since, until = _moments(start, end)
    return (
        Rectification.objects.filter(ratings__in=rated(post, start, end).values("pk"))
        .filter(opened_at__gte=since, opened_at__lt=until)
        .distinct()
        .order_by("opened_at", "id")
    )


def attendances(post, start, end):
    return (
        TrainingAttendance.objects.filter(
            post=post, session__session_date__gte=start, session__session_date__lt=end
        )
        .select_related("session")
        .order_by("session__session_date", "id")
    )


def _on_time(queryset):
    rows = list(queryset.values_list("done_date", "due"))
    done = sum(1 for day, due in rows if day is not None and day <= due)
    return done, len(rows)


def _rate(done, of):
    if not of:
        return None
    return float((Decimal(done) * 100 / Decimal(of)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def compute_figures(post, *, period_days_share: Decimal, start, end, today) -> dict:
    """{component: {"done", "of", "score"}} for ``post`` over [start, end). ``period_days_share`` is the
    share of a year the period is (1 for a year, 1/12 for a month), for the training target."""
    figures = {}

    clocks_done, clocks_of = _on_time(step_clocks(post, start, end))
    tasks_done, tasks_of = _on_time(step_tasks(post, start, end))
    done, of = clocks_done + tasks_done, clocks_of + tasks_of
    figures[Component.STEPS] = {"done": done, "of": of, "score": _rate(done, of)}

    done, of = _on_time(supplement_clocks(post, start, end, today=today))
    figures[Component.SUPPLEMENTS] = {"done": done, "of": of, "score": _rate(done, of)}

    ratings = rated(post, start, end)
    of = ratings.count()
    bad = ratings.filter(overall__in=BAD_LEVELS).count()
    figures[Component.RATINGS] = {"done": of - bad, "of": of, "score": _rate(of - bad, of)}

    timeliness = filings_on_time(post=post, start=start, end=end)
    if timeliness is None:
        figures[Component.FILINGS] = {"done": None, "of": None, "score": None}
    else:
        done, of = timeliness
        figures[Component.FILINGS] = {"done": done, "of": of, "score": _rate(done, of)}

    hours = attendances(post, start, end).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    target = (training_minimum_hours() * period_days_share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    score = min(100.0, _rate(hours, target)) if target else None
    figures[Component.TRAINING] = {"done": float(hours), "of": float(target), "score": score}

    # Of the rated services, those that did not lead to a rectification in the period.
    of = figures[Component.RATINGS]["of"]
    clean = max(of - rectifications(post, start, end).count(), 0)
    figures[Component.RECTIFICATIONS] = {"done": clean, "of": of, "score": _rate(clean, of)}
    return {str(k): v for k, v in figures.items()}


def weighted_total(figures: dict, weights) -> Decimal | None:
    """The mean of the components' scores weighted by ``weights`` over those with data; None when none has
    data or their weights are all 0."""
    total = Decimal(0)
    weight_sum = 0
    for component in Component.values:
        score = figures.get(component, {}).get("score")
        weight = weights.weight_of(component)
        if score is None or not weight:
            continue
        total += Decimal(str(score)) * weight
        weight_sum += weight
    if not weight_sum:
        return None
    return (total / weight_sum).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def evidence(component, post, start, end, *, today):
    """The records behind one figure, as a queryset for the evidence page."""
    component = Component(component)
    if component == Component.STEPS:
        # Two kinds of record: the clocks first, then the tasks; the page shows both lists.
        return {"clocks": step_clocks(post, start, end), "tasks": step_tasks(post, start, end)}
    if component == Component.SUPPLEMENTS:
        return {"clocks": supplement_clocks(post, start, end, today=today)}
    if component == Component.RATINGS:
        return {"ratings": rated(post, start, end)}
    if component == Component.RECTIFICATIONS:
        return {"ratings": rated(post, start, end), "rectifications": rectifications(post, start, end)}
    if component == Component.TRAINING:
        return {"attendances": attendances(post, start, end)}
    return {}


def failing_total() -> Decimal:
    """S22: a yearly total below this is listed for an accountability notice (the window decides whether to
    draft one); setting ``HUICAI_ACCOUNTABILITY_BELOW``, default 60."""
    return Decimal(str(getattr(settings, "HUICAI_ACCOUNTABILITY_BELOW", 60)))
