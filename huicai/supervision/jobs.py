"""Periodic work of supervision, declared in SCHEDULE at the end (huicai/schedule.py collects it): W9 "problems are found
without anyone looking".

Both sweeps refuse to run outside working hours: on a day off of the official calendar, or outside
``HUICAI_WORKING_HOURS_START``–``HUICAI_WORKING_HOURS_END`` local time (default 08:30–17:30), they issue
nothing and tell nobody, and return ``{"skipped": …}``. Nothing is lost by it: a card is judged afresh on
every run, so the first run within working hours issues every card due (a red card on the first working
day past a deadline, whenever in that day the sweep first runs). Refusing the whole run is simpler than
issuing cards at night and holding their notices, and means a card's date is always a day people work.

Safe with several schedulers at once: each card is inserted under a unique constraint in the transaction
that writes its notice, and a round's chase is claimed by a compare-and-swap.
"""

import datetime

from django.conf import settings
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from huicai.casework.choices import RUNNING_STATUSES
from huicai.casework.models import StageClock, Task
from huicai.core.schedule import Job
from huicai.supervision import actions
from huicai.supervision.choices import CardColour, OrderStatus, RoundStatus
from huicai.supervision.models import Card, Round, SupervisionOrder
from huicai.workdays import calendar


def _clock(value, default) -> datetime.time:
    value = value or default
    if isinstance(value, datetime.time):
        return value
    return datetime.time.fromisoformat(str(value))


def working_hours() -> tuple[datetime.time, datetime.time]:
    """The local hours within which supervision notices go out (settings, default 08:30–17:30)."""
    start = _clock(getattr(settings, "HUICAI_WORKING_HOURS_START", None), "08:30")
    end = _clock(getattr(settings, "HUICAI_WORKING_HOURS_END", None), "17:30")
    return start, end


def is_working_time(at) -> bool:
    """A working day on the official calendar, within working hours, local time."""
    local = timezone.localtime(at)
    start, end = working_hours()
    return calendar.is_working_day(local.date()) and start <= local.time() < end


def issue_cards(*, at) -> dict:
    """W9: issue every yellow and red card due now: of running tasks, of open stage clocks (the window's
    triage and reroute, a department's acceptance, the unit's supplement and informing), and the red cards
    of unanswered orders past their date.

    Candidates are found in two queries (running tasks due within the yellow horizon that have not had the
    card their date calls for; open orders past their date without their red card); each is then issued in
    its own transaction by the action, which judges it again and inserts under the unique constraint.
    """
    if not is_working_time(at):
        return {"skipped": "outside working hours"}
    today = timezone.localdate(at)
    yellow_days = actions.yellow_card_days()
    horizon = (
        calendar.add_working_days(today, yellow_days)
        if yellow_days >= 1
        else today - datetime.timedelta(days=1)
    )
    due_tasks = (
        Task.objects.filter(status__in=RUNNING_STATUSES, deadline__is_open=True)
        # S12-2: a hotline order's task is judged by the hotline's date when that is sooner.
        .annotate(
            judged_due=Least(
                F("deadline__due_date"),
                Coalesce(F("application__external_due_date"), F("deadline__due_date")),
            )
        )
        .filter(judged_due__lte=horizon)
        .annotate(
            wanted=Case(
                When(judged_due__lt=today, then=Value(CardColour.RED.value)),
                default=Value(CardColour.YELLOW.value),
            )
        )
        .annotate(
            carded=Exists(
                Card.objects.filter(
                    task=OuterRef("pk"),
                    order__isnull=True,
                    clock__isnull=True,
                    due_date=OuterRef("judged_due"),
                    colour=OuterRef("wanted"),
                )
            )
        )
        .filter(carded=False)
        .order_by("judged_due", "id")
    )
    outcome = {"yellow": 0, "red": 0, "order_red": 0, "stage_yellow": 0, "stage_red": 0}
    for task in due_tasks.only("pk"):
        card = actions.issue_task_card(task, at=at)
        if card is not None:
            outcome[card.colour] += 1
    # The stages before and after a task's own limit: triage, acceptance, reroute, supplement, informing.
    due_clocks = (
        StageClock.objects.open()
        .filter(deadline__due_date__lte=horizon)
        .annotate(
            wanted=Case(
                When(deadline__due_date__lt=today, then=Value(CardColour.RED.value)),
                default=Value(CardColour.YELLOW.value),
            )
        )
        .annotate(
            carded=Exists(
                Card.objects.filter(
                    clock=OuterRef("pk"), due_date=OuterRef("deadline__due_date"), colour=OuterRef("wanted")
                )
            )
        )
        .filter(carded=False)
        # A stage is warned from the day after it starts (see ``issue_stage_card``).
        .exclude(wanted=CardColour.YELLOW.value, deadline__start_date__gte=today)
        .order_by("deadline__due_date", "id")
    )
    for clock in due_clocks.only("pk"):
        card = actions.issue_stage_card(clock, at=at)
        if card is not None:
            outcome[f"stage_{card.colour}"] += 1
    late_orders = (
        SupervisionOrder.objects.filter(status=OrderStatus.OPEN, due_date__lt=today)
        .annotate(carded=Exists(Card.objects.filter(order=OuterRef("pk"), due_date=OuterRef("due_date"))))
        .filter(carded=False)
        .order_by("due_date", "id")
    )
    for order in late_orders.only("pk"):
        if actions.issue_order_card(order, at=at) is not None:
            outcome["order_red"] += 1
    return outcome


def chase_rounds(*, at) -> dict:
    """W8: once per working day, tell the departments that have not yet answered an open round."""
    if not is_working_time(at):
        return {"skipped": "outside working hours"}
    today = timezone.localdate(at)
    rounds = Round.objects.filter(status=RoundStatus.OPEN).filter(
        Q(last_chased_on__isnull=True) | Q(last_chased_on__lt=today)
    )
    chased = 0
    for round_ in rounds.only("pk").order_by("pk"):
        chased += actions.chase_round(round_, at=at)
    return {"departments_chased": chased}


SCHEDULE = [
    # Hourly, each refusing to act outside working hours: a card comes in the first working hour it is due.
    Job("supervision_cards", issue_cards, every=datetime.timedelta(hours=1)),
    Job("supervision_chase_rounds", chase_rounds, every=datetime.timedelta(hours=1)),
]
