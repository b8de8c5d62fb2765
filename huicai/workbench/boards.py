"""What each workbench shows: one read function per section of a board.

A separate module from views.py because every section is read twice, by its board (first page, no
filter) and by its own URL (a filtered or later page, as an HTMX partial or a page of its own), and because
the query count of a board is the sum of its sections: each function here is written to a fixed number of
queries whatever the page holds (select_related / prefetch_related, aggregates in the database), so a
board stays within its budget (the tests pin ≤ 30 queries per page on the demo data).

Every function takes the signed-in user and reads through the owning app's ``visible_to`` door; ``today``
is passed in by the view, never read from the clock here.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.urls import NoReverseMatch, reverse

from huicai.accounts.roles import get_scope
from huicai.casework.choices import (
    OPEN_TASK_STATUSES,
    RUNNING_STATUSES,
    ApplicationStatus,
    ExtensionStatus,
    Route,
    Source,
    Stage,
    TaskStatus,
)
from huicai.casework.models import (
    Application,
    ApplicationItem,
    CaseEvent,
    Extension,
    StageClock,
    Task,
    open_stage_clocks_prefetch,
)
from huicai.commissioners.models import UnitAssignment
from huicai.directservices.choices import AppointmentStatus
from huicai.directservices.models import Appointment, DirectService
from huicai.filings.selectors import board_counts as filing_counts
from huicai.notifications.models import Notification
from huicai.outreach.access import entries_to_answer, held_by
from huicai.outreach.choices import DifficultyStatus, EntryStatus, RoundStatus
from huicai.outreach.models import CheckinEntry, Difficulty
from huicai.policies.access import get_policies_for_talent
from huicai.ratings.access import get_pending_services
from huicai.ratings.choices import RectificationStatus
from huicai.ratings.models import Rectification
from huicai.supervision.choices import CardColour, OrderStatus
from huicai.supervision.models import Card, SupervisionOrder
from huicai.talents.choices import CardStatus
from huicai.talents.models import Talent, TalentCard
from huicai.workbench.access import my_talents, window_jurisdiction
from huicai.workdays import calendar

PAGE_SIZE = 10
# W9: "near-due" tasks surface before they are late; two working days gives a department a day to act.
DUE_SOON_WORKING_DAYS = 2
# The unit commissioner applies for cards (S11-4); sixty days is time enough to renew before expiry.
CARD_EXPIRY_WARNING_DAYS = 60


def paginate(queryset, number, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(number)


def url_or_none(name, *args):
    """A link to another app's page if that page exists yet (apps are still being built around this one)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- deadlines ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    """Today and the end of the due-soon window, computed once per request by the view."""

    today: datetime.date
    due_soon_until: datetime.date

    @classmethod
    def on(cls, today):
        return cls(today=today, due_soon_until=calendar.add_working_days(today, DUE_SOON_WORKING_DAYS))

    def overdue(self, prefix=""):
        """Running (accepted or delegated) past the close of the due date: Task.is_overdue_on, in SQL. The
        due date is the one the card sweep judges by (``Task.judged_due_date``): the deadline, or a hotline
        order's own date when that is sooner (S12-2)."""
        return Q(**{f"{prefix}status__in": RUNNING_STATUSES}) & (
            Q(**{f"{prefix}deadline__due_date__lt": self.today})
            | Q(**{f"{prefix}application__external_due_date__lt": self.today})
        )

    def due_soon(self, prefix=""):
        """Running and due (as ``overdue`` judges it) today or within the next ``DUE_SOON_WORKING_DAYS``
        working days."""
        external = f"{prefix}application__external_due_date"
        return (
            Q(**{f"{prefix}status__in": RUNNING_STATUSES, f"{prefix}deadline__due_date__gte": self.today})
            & (Q(**{f"{external}__isnull": True}) | Q(**{f"{external}__gte": self.today}))
            & (
                Q(**{f"{prefix}deadline__due_date__lte": self.due_soon_until})
                | Q(**{f"{external}__lte": self.due_soon_until})
            )
        )

    def flag(self, task) -> str:
        """'overdue', 'due_soon' or '' for one task whose deadline and application are loaded."""
        if task.status not in RUNNING_STATUSES or not task.deadline_id:
            return ""
        due = task.judged_due_date
        if due < self.today:
            return "overdue"
        if due <= self.due_soon_until:
            return "due_soon"
        return ""


def with_stage_clock(tasks):
    """Add to a ``Task`` queryset the stage its open clock times (acceptance, supplement, reroute,
    informing) and that clock's due date: ``stage_kind``, ``stage_due_date``. Two correlated subqueries in
    the same statement, so a queue shows until when a task not yet accepted must be, at no extra query."""
    clock = StageClock.objects.open().filter(task=OuterRef("pk")).order_by("deadline__due_date", "id")
    return tasks.annotate(
        stage_kind=Subquery(clock.values("stage")[:1]),
        stage_due_date=Subquery(clock.values("deadline__due_date")[:1]),
    )


def mark_stages(rows, today):
    """Label each row's open stage (from ``with_stage_clock`` or ``triage_due_date``) and flag it overdue
    on ``today``; no query."""
    for row in rows:
        kind = getattr(row, "stage_kind", None) or (
            Stage.TRIAGE if getattr(row, "triage_due_date", None) else None
        )
        due = getattr(row, "stage_due_date", None) or getattr(row, "triage_due_date", None)
        row.stage_label = Stage(kind).label if kind else ""
        row.stage_due = due
        row.stage_overdue = bool(due and today > due)
    return rows


# Task filters offered on the queues and the supervision lists, by name.
def task_state_filter(state, clock):
    return {
        "pending": Q(status=TaskStatus.PENDING),
        "materials": Q(status=TaskStatus.MATERIALS_REQUESTED),
        "running": Q(status__in=RUNNING_STATUSES),
        "suspended": Q(status=TaskStatus.SUSPENDED),
        "returned": Q(status=TaskStatus.RETURNED),
        "due_soon": clock.due_soon(),
        "overdue": clock.overdue(),
        "extended": Q(Exists(Extension.objects.filter(task_id=OuterRef("pk")))),
    }.get(state)


TASK_STATES = [
    ("pending", "待受理"),
    ("materials", "待补正材料"),
    ("running", "办理中"),
    ("due_soon", "临近截止"),
    ("overdue", "已逾期"),
    ("extended", "已延期"),
    ("suspended", "中止计时"),
    ("returned", "退回窗口"),
]


# --- the talent (W16: online application, progress feedback) -------------------------------------------


def task_timeline_prefetch():
    """Each task with its department, deadline, extensions (with reasons) and its own events."""
    return Prefetch(
        "tasks",
        queryset=Task.objects.select_related("department", "deadline", "undertaking_org")
        .prefetch_related(
            Prefetch("extensions", queryset=Extension.objects.order_by("requested_at", "id")),
            Prefetch("events", queryset=CaseEvent.objects.order_by("at", "id")),
        )
        .order_by("id"),
    )


def talent_applications(user, talent, page_number):
    applications = (
        Application.objects.visible_to(user)
        .filter(talent=talent)
        .exclude(status=ApplicationStatus.DRAFT)
        .prefetch_related(
            task_timeline_prefetch(),
            Prefetch("items", queryset=ApplicationItem.objects.select_related("item_version").order_by("id")),
            open_stage_clocks_prefetch(),
        )
        .order_by("-submitted_at", "-id")
    )
    page = paginate(applications, page_number, size=5)
    for application in page:
        application.steps = application.open_steps()
        lines = list(application.items.all())
        for task in application.tasks.all():
            # A task's items are lines of its application: read from the lines already loaded.
            task.lines = [line for line in lines if line.task_id == task.pk]
    return page


def talent_board(user, *, at, today):
    """The talent's own page: cards with QR codes, their unit commissioner, applications, policies,
    notifications (W16; S11 the unit commissioner as the one-to-one contact)."""
    scope = get_scope(user)
    talent = (
        Talent.objects.visible_to(user)
        .filter(pk=scope.talent_id)
        .select_related("category", "employer", "home_window__division__parent")
        .first()
    )
    cards = list(talent.cards.order_by("kind", "-issued_date", "id"))
    for card in cards:
        card.state_today = card.state_on(today)
        card.is_valid_today = card.is_valid_on(today)
    assignment = talent.unit_assignments.open().select_related("post__user", "post__employer").first()
    policies = list(get_policies_for_talent(talent, today=today).order_by("-effective_date", "-id")[:5])
    notifications = list(Notification.objects.visible_to(user).order_by("-created_at", "-id")[:5])
    return {
        "talent": talent,
        "cards": cards,
        "unit_post": assignment.post if assignment else None,
        "policies": policies,
        "notifications": notifications,
        "appointments": talent_appointments(user, talent, at=at),
        "book_url": url_or_none("directservices:appointment_create"),
    }


def talent_appointments(user, talent, *, at):
    return list(
        Appointment.objects.visible_to(user)
        .filter(
            talent=talent,
            status__in=[AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED],
            ends_at__gte=at,
        )
        .select_related("item_version", "window", "post__user")
        .order_by("starts_at", "id")[:3]
    )


# --- the unit commissioner (S11) -----------------------------------------------------------------------


def expiring_card_condition(today):
    """A valid card whose last day falls within the warning window (S11-4: renew it in time)."""
    return Exists(
        TalentCard.objects.filter(
            talent_id=OuterRef("pk"),
            status=CardStatus.VALID,
            valid_until_date__gte=today,
            valid_until_date__lte=today + datetime.timedelta(days=CARD_EXPIRY_WARNING_DAYS),
        )
    )


def unit_talents(user, *, today, data=None, page_number=1):
    talents = my_talents(user).select_related("category", "employer")
    data = data or {}
    talents = talents.matching(data)
    if data.get("expiring"):
        talents = talents.filter(expiring_card_condition(today))
    talents = talents.prefetch_related(
        Prefetch(
            "cards",
            queryset=TalentCard.objects.filter(status=CardStatus.VALID).order_by("valid_until_date"),
            to_attr="valid_cards",
        )
    ).order_by("name", "id")
    page = paginate(talents, page_number)
    warn_until = today + datetime.timedelta(days=CARD_EXPIRY_WARNING_DAYS)
    for talent in page:
        for card in talent.valid_cards:
            card.expires_soon = today <= card.valid_until_date <= warn_until
            card.expired = card.valid_until_date < today
    return page


def count_expiring(user, today):
    return my_talents(user).filter(expiring_card_condition(today)).count()


def unit_materials_requested(user, page_number=1):
    """Tasks of the unit commissioner's talents waiting for materials (一次性告知), oldest first."""
    tasks = (
        Task.objects.visible_to(user)
        .filter(application__talent__in=my_talents(user), status=TaskStatus.MATERIALS_REQUESTED)
        .select_related("application__talent", "department")
        .prefetch_related("material_requests")
        .order_by("created_at", "id")
    )
    return paginate(with_stage_clock(tasks), page_number)


def unit_results_to_pass_on(user, page_number=1):
    """S11-3: completed tasks whose result the talent has not been told yet."""
    tasks = (
        Task.objects.visible_to(user)
        .filter(
            application__talent__in=my_talents(user),
            status=TaskStatus.COMPLETED,
            informed_at__isnull=True,
        )
        .select_related("application__talent", "department")
        .order_by("completed_at", "id")
    )
    return paginate(with_stage_clock(tasks), page_number)


def unit_drafts(user, page_number=1):
    applications = (
        Application.objects.visible_to(user)
        .filter(talent__in=my_talents(user), status=ApplicationStatus.DRAFT)
        .select_related("talent")
        .prefetch_related(Prefetch("items", queryset=ApplicationItem.objects.select_related("item_version")))
        .order_by("-created_at", "-id")
    )
    return paginate(applications, page_number)


def unit_applications(user, *, status="", page_number=1):
    applications = (
        Application.objects.visible_to(user)
        .filter(talent__in=my_talents(user))
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("talent", "window")
        .prefetch_related(
            Prefetch(
                "tasks",
                queryset=Task.objects.select_related("department", "deadline", "undertaking_org").order_by(
                    "id"
                ),
            ),
            open_stage_clocks_prefetch(),
        )
        .order_by("-created_at", "-id")
    )
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    page = paginate(applications, page_number)
    for application in page:
        # W13: who holds each open step and until when, from what the page already loaded.
        application.steps = application.open_steps()
    return page


# --- the window commissioner (S14, W9, W13) -------------------------------------------------------------


def window_intake(user, page_number=1):
    """W13: multi-item applications submitted to the window, to split by management authority. Each line
    carries the catalogue's suggested department (the rule of casework.actions.suggested_routes, read from
    the prefetched lines rather than one query per application)."""
    applications = (
        Application.objects.visible_to(user)
        .filter(window_jurisdiction(user, "talent__home_window__path"))
        .filter(status=ApplicationStatus.SUBMITTED, route=Route.WINDOW, source=Source.UNIT)
        .annotate(
            triage_due_date=Subquery(
                StageClock.objects.open()
                .filter(application=OuterRef("pk"), stage=Stage.TRIAGE)
                .values("deadline__due_date")[:1]
            )
        )
        .select_related("talent", "unit_post__user", "window")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ApplicationItem.objects.select_related(
                    "item_version", "service_item__department"
                ).order_by("id"),
            )
        )
        .order_by("submitted_at", "id")
    )
    page = paginate(applications, page_number)
    for application in page:
        for line in application.items.all():
            line.suggested_department_id = line.service_item.department_id
    return page


def count_hotline_orders_to_route(user):
    return (
        Application.objects.visible_to(user)
        .filter(window_jurisdiction(user, "talent__home_window__path"))
        .filter(status=ApplicationStatus.SUBMITTED)
        .exclude(source=Source.UNIT)
        .count()
    )


def window_returned(user, page_number=1):
    """Tasks a department sent back as misrouted, for the window to reroute."""
    tasks = (
        Task.objects.visible_to(user)
        .filter(window_jurisdiction(user, "application__talent__home_window__path"))
        .filter(status=TaskStatus.RETURNED)
        .select_related("application__talent", "department")
        .prefetch_related(Prefetch("items", queryset=ApplicationItem.objects.select_related("item_version")))
        .order_by("created_at", "id")
    )
    return paginate(with_stage_clock(tasks), page_number)


def window_extensions(user, page_number=1):
    """W13: delays filed by departments, waiting for the window's acknowledgement, and those past the
    extension cap waiting for its approval (超长延期)."""
    extensions = (
        Extension.objects.filter(
            task__in=Task.objects.visible_to(user).filter(
                window_jurisdiction(user, "application__talent__home_window__path")
            ),
            acknowledged_at__isnull=True,
            status__in=[ExtensionStatus.FILED, ExtensionStatus.AWAITING_APPROVAL],
        )
        .select_related("task__application__talent", "task__department", "requested_by")
        .order_by("requested_at", "id")
    )
    return paginate(extensions, page_number)


def window_tasks(user):
    return Task.objects.visible_to(user).filter(
        window_jurisdiction(user, "application__talent__home_window__path")
    )


def supervision_rows(user, clock, page_number=1, size=25):
    """W9: every open task in the jurisdiction, counted by department — due soon, overdue, extended,
    suspended — in one aggregate query."""
    rows = (
        window_tasks(user)
        .open()
        .values("department_id", "department__name")
        .annotate(
            open=Count("id"),
            due_soon=Count("id", filter=clock.due_soon()),
            overdue=Count("id", filter=clock.overdue()),
            extended=Count("id", filter=Q(Exists(Extension.objects.filter(task_id=OuterRef("pk"))))),
            suspended=Count("id", filter=Q(status=TaskStatus.SUSPENDED)),
        )
        .order_by("-overdue", "-due_soon", "department__name")
    )
    return paginate(rows, page_number, size=size)


def supervision_tasks(user, clock, *, department_id=None, state="", page_number=1):
    tasks = (
        window_tasks(user)
        .open()
        .with_extension_flags()
        .select_related("application__talent", "department", "deadline", "undertaking_org")
        .order_by(F("deadline__due_date").asc(nulls_last=True), "created_at", "id")
    )
    if department_id:
        tasks = tasks.filter(department_id=department_id)
    condition = task_state_filter(state, clock)
    if condition is not None:
        tasks = tasks.filter(condition)
    page = paginate(with_stage_clock(tasks), page_number, size=25)
    for task in page:
        task.flag = clock.flag(task)
    mark_stages(page, clock.today)
    return page


def window_unassigned(user, page_number=1):
    """S6: every talent has exactly one unit commissioner; these have none on a post that is still held
    (their commissioner left, their employer changed, or they never had one): the coverage gap."""
    talents = (
        Talent.objects.visible_to(user)
        .filter(window_jurisdiction(user, "home_window__path"))
        .exclude(Exists(UnitAssignment.objects.covering().filter(talent_id=OuterRef("pk"))))
        .select_related("employer", "home_window", "category")
        .order_by("name", "id")
    )
    return paginate(talents, page_number)


# --- department and undertaking commissioners (S12, S13) ------------------------------------------------


def queue_tasks(user, clock, *, state="", page_number=1):
    """The caller's open tasks, soonest deadline first (not yet accepted: no deadline, after those that
    have one), each marked due-soon or overdue."""
    scope = get_scope(user)
    tasks = (
        Task.objects.visible_to(user)
        .open()
        .filter(
            Q(department_id__in=scope.department_ids) | Q(undertaking_org_id__in=scope.undertaking_org_ids)
        )
        .with_extension_flags()
        .select_related("application__talent", "department", "deadline", "undertaking_org")
        .order_by(F("deadline__due_date").asc(nulls_last=True), "created_at", "id")
    )
    condition = task_state_filter(state, clock)
    if condition is not None:
        tasks = tasks.filter(condition)
    page = paginate(with_stage_clock(tasks), page_number, size=25)
    for task in page:
        task.flag = clock.flag(task)
    mark_stages(page, clock.today)
    return page


def queue_counts(user, clock):
    scope = get_scope(user)
    return (
        Task.objects.visible_to(user)
        .open()
        .filter(
            Q(department_id__in=scope.department_ids) | Q(undertaking_org_id__in=scope.undertaking_org_ids)
        )
        .aggregate(
            open=Count("id"),
            pending=Count("id", filter=Q(status=TaskStatus.PENDING)),
            due_soon=Count("id", filter=clock.due_soon()),
            overdue=Count("id", filter=clock.overdue()),
        )
    )


def recent_direct_services(user, limit=5):
    return list(
        DirectService.objects.visible_to(user)
        .filter(served_by=user)
        .select_related("talent", "item_version")
        .order_by("-served_at", "-id")[:limit]
    )


def count_appointments_to_confirm(user, *, at):
    # Booked with this person, or with one of their windows as a whole (any window commissioner confirms).
    mine = Q(post__user=user) | Q(post__isnull=True, window_id__in=get_scope(user).window_ids)
    return (
        Appointment.objects.visible_to(user)
        .filter(mine, status=AppointmentStatus.REQUESTED, starts_at__gte=at)
        .count()
    )


# --- the other apps' work that lands on each role (W10 ratings, W9 supervision, S11-5/S14-4 outreach) ------


@dataclass(frozen=True)
class FollowUp:
    """One more kind of work waiting elsewhere: a label, how many (None: not counted), and where."""

    label: str
    count: int | None
    url: str | None


def _difficulties_held(user):
    waiting = [DifficultyStatus.OPEN, DifficultyStatus.IN_PROGRESS, DifficultyStatus.ESCALATED]
    return held_by(Difficulty.objects.visible_to(user), user).filter(status__in=waiting).count()


def _checkins_to_answer(user):
    """S14-4: status check-in entries the user answers (their own, or their talents') in open rounds."""
    return (
        entries_to_answer(CheckinEntry.objects.all(), user)
        .filter(round__status=RoundStatus.OPEN, status=EntryStatus.PENDING)
        .count()
    )


def talent_follow_ups(user, *, today):
    """W10: the finished services the talent may still rate (listed, they are the talent's to do);
    S14-4: check-ins to answer; S11-5: where to report a difficulty."""
    return {
        "to_rate": get_pending_services(user, today=today),
        "follow_ups": [
            FollowUp("状态确认待答复", _checkins_to_answer(user), url_or_none("outreach:pending")),
            FollowUp("反映困难和建议", None, url_or_none("outreach:difficulty_create")),
        ],
    }


def filing_follow_ups(user, today, *, window):
    """W14/S18: the user's filings still to file (and the late among them), and for a window the filings
    filed with it waiting for review; one query."""
    counts = filing_counts(user, today=today)
    listing = url_or_none("filings:list")
    mine, incoming = (f"{listing}?box=mine", f"{listing}?box=incoming") if listing else (None, None)
    rows = [
        FollowUp("备案待报送", counts["to_file"], mine),
        FollowUp("备案已逾期", counts["late"], mine),
    ]
    if window:
        rows += [
            FollowUp("下级备案待审核", counts["to_review"], incoming),
            FollowUp("备案进度", None, url_or_none("filings:tree")),
        ]
    return rows


def unit_follow_ups(user, today=None):
    filings = filing_follow_ups(user, today, window=False) if today else []
    return [
        *filings,
        FollowUp("人才状态确认待答复", _checkins_to_answer(user), url_or_none("outreach:pending")),
        FollowUp("困难诉求待我处理", _difficulties_held(user), url_or_none("outreach:difficulties")),
        FollowUp("代人才评价", None, url_or_none("ratings:pending")),
    ]


def _cards_on_open_tasks(user, colour):
    """W9: yellow or red cards still standing in the user's sight (the sweep issues them): a task's card
    while the task is open, a stage's card (triage, acceptance, reroute, supplement, informing) while the
    stage is."""
    standing = Q(clock__isnull=True, task__status__in=OPEN_TASK_STATUSES) | Q(
        clock__isnull=False, clock__closed_at__isnull=True
    )
    return Card.objects.visible_to(user).filter(standing, colour=colour).count()


def window_follow_ups(user, today=None):
    window_turn = [RectificationStatus.RESPONDED, RectificationStatus.APPEALED]
    filings = filing_follow_ups(user, today, window=True) if today else []
    return [
        *filings,
        FollowUp(
            "红牌（已逾期）", _cards_on_open_tasks(user, CardColour.RED), url_or_none("supervision:board")
        ),
        FollowUp(
            "黄牌（临近截止）",
            _cards_on_open_tasks(user, CardColour.YELLOW),
            url_or_none("supervision:board"),
        ),
        FollowUp("热线工单待指派", count_hotline_orders_to_route(user), url_or_none("hotlines:orders")),
        FollowUp(
            "差评整改待回访或裁定",
            Rectification.objects.visible_to(user).filter(status__in=window_turn).count(),
            url_or_none("ratings:rectifications"),
        ),
        FollowUp("困难诉求待我处理", _difficulties_held(user), url_or_none("outreach:difficulties")),
        FollowUp("督办与调度", None, url_or_none("supervision:board")),
        FollowUp("人才状态调度", None, url_or_none("outreach:rounds")),
    ]


def queue_follow_ups(user):
    scope = get_scope(user)
    return [
        FollowUp(
            "红牌（已逾期）", _cards_on_open_tasks(user, CardColour.RED), url_or_none("supervision:board")
        ),
        FollowUp(
            "黄牌（临近截止）",
            _cards_on_open_tasks(user, CardColour.YELLOW),
            url_or_none("supervision:board"),
        ),
        FollowUp(
            "督办单待答复",
            SupervisionOrder.objects.visible_to(user)
            .filter(status=OrderStatus.OPEN, task__department_id__in=scope.department_ids)
            .count(),
            url_or_none("supervision:orders"),
        ),
        FollowUp(
            "差评整改待答复",
            Rectification.objects.visible_to(user)
            .filter(status=RectificationStatus.OPEN, department_id__in=scope.department_ids)
            .count(),
            url_or_none("ratings:rectifications"),
        ),
        FollowUp("困难诉求待我处理", _difficulties_held(user), url_or_none("outreach:difficulties")),
    ]
