"""Who may see and act on ratings and rectifications. Unseen is 404; seen but not yours to change is 403.

Seeing a rating:
- the talent sees their own; their current unit commissioner sees them (S11);
- a window sees the ratings of talents at home in its subtree (W3);
- a department commissioner sees the ratings of their department; the commissioner rated sees those of
  their own work. Neither is shown who gave it beyond 人才本人 / 单位专员代评 / 热线 (the serializers and
  templates never carry the rater's account or any contact data).

Seeing a rectification:
- the department rated, and the window that calls the talent back (and the windows above it);
- the talent and their unit commissioner, read-only, to follow what came of the complaint.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huicai.accounts.roles import Role, any_of, get_scope, window_condition
from huicai.casework.choices import TaskStatus
from huicai.casework.models import ApplicationItem, Task
from huicai.commissioners.access import unit_talent_ids
from huicai.core.transitions import Step, StepTable
from huicai.directservices.models import DirectService
from huicai.ratings.choices import Channel, RectificationStatus
from huicai.ratings.models import Rating, Rectification
from huicai.talents.models import Talent


def ratings_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = [
        # The commissioner rated sees the ratings of their own work.
        Q(rated_user_id=user.pk),
    ]
    # A talent sees their own ratings.
    if scope.talent_id:
        conditions.append(Q(talent_id=scope.talent_id))
    # The talent's current unit commissioner sees them.
    if scope.unit_post_ids:
        conditions.append(Q(talent_id__in=unit_talent_ids(scope)))
    # A window sees the ratings of talents at home in its subtree.
    by_window = window_condition(scope, "talent__home_window__path")
    if by_window is not None:
        conditions.append(by_window)
    # A department commissioner sees their department's ratings.
    if scope.department_ids:
        conditions.append(Q(department_id__in=scope.department_ids))
    return queryset.filter(any_of(conditions))


def rectifications_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = []
    # The department rated sees its rectifications.
    if scope.department_ids:
        conditions.append(Q(department_id__in=scope.department_ids))
    # The window that calls the talent back, and the windows above it.
    by_window = window_condition(scope, "window__path")
    if by_window is not None:
        conditions.append(by_window)
    # The talent follows what came of their complaint.
    if scope.talent_id:
        conditions.append(Q(talent_id=scope.talent_id))
    # So does their current unit commissioner.
    if scope.unit_post_ids:
        conditions.append(Q(talent_id__in=unit_talent_ids(scope)))
    combined = any_of(conditions)
    return queryset.filter(combined) if combined is not None else queryset.none()


RECTIFICATION_RELATED = (
    "rating",
    "department",
    "window",
    "talent",
    "task",
    "direct_service",
    "recurrence_of",
)


def get_rectification_for_user(user, pk):
    rectification = (
        Rectification.objects.visible_to(user).filter(pk=pk).select_related(*RECTIFICATION_RELATED).first()
    )
    if rectification is None:
        raise Http404
    return rectification


def get_rating_for_user(user, pk):
    rating = (
        Rating.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("department", "talent", "task", "rectification")
        .first()
    )
    if rating is None:
        raise Http404
    return rating


# --- Who may act (403 when they can see but not act). Each returns a bool or a value. ---


def rater_channel(user, talent):
    """The channel ``user`` rates ``talent``'s services through: the talent themself on the platform, or
    their current one-to-one unit commissioner recording the talent's answer (S11); else None."""
    scope = get_scope(user)
    if scope.talent_id and scope.talent_id == talent.pk:
        return Channel.PLATFORM
    if (
        scope.unit_post_ids
        and talent.unit_assignments.open().filter(post_id__in=scope.unit_post_ids).exists()
    ):
        return Channel.UNIT
    return None


def is_rater(user) -> bool:
    """A talent or a unit commissioner: the people the 待评价 pages are for."""
    scope = get_scope(user)
    return bool(scope.talent_id or scope.unit_post_ids)


def is_department_of(user, rectification) -> bool:
    """A department commissioner of the department rated (S12); the system administrator is no department."""
    scope = get_scope(user)
    return rectification.department_id in scope.department_ids


def is_window_over(user, rectification) -> bool:
    """A window commissioner whose jurisdiction includes the rectification's window (W3, S14)."""
    scope = get_scope(user)
    return any(rectification.window.path.startswith(p) for p in scope.window_paths)


def handles_rectifications(user) -> bool:
    """Departments and windows work on rectifications; talents and unit commissioners only follow theirs."""
    scope = get_scope(user)
    return scope.is_superuser or bool(scope.department_ids) or Role.WINDOW in scope.roles


# --- What is waiting to be rated (待评价) ----------------------------------------------------------------


@dataclass(frozen=True)
class PendingService:
    """A finished service the user may still rate, through ``channel``, until ``deadline``."""

    kind: str  # "task" or "service"
    pk: int
    talent_name: str
    service_name: str
    department_name: str
    completed_at: datetime.datetime
    deadline: datetime.date
    channel: str

    @property
    def url(self) -> str:
        name = "ratings:rate_task" if self.kind == "task" else "ratings:rate_service"
        return reverse(name, args=[self.pk])

    @property
    def channel_label(self) -> str:
        return Channel(self.channel).label


def get_pending_services(user, *, today) -> list[PendingService]:
    """The completed tasks and direct services the user may still rate, newest first: the talent's own
    (channel 人才本人) and, for a unit commissioner, those of their talents (channel 单位专员代评). Services
    already rated through that channel, and the user's own work, are left out.

    At most two queries per channel whatever the number of services; the period is read on the official
    calendar once.
    """
    # A real cycle: the actions check who may rate through this module.
    from huicai.ratings.actions import earliest_rateable_date, rating_deadline

    scope = get_scope(user)
    since = timezone.make_aware(datetime.datetime.combine(earliest_rateable_date(today), datetime.time.min))
    whose = []
    # The talent rates their own services.
    if scope.talent_id:
        whose.append((Channel.PLATFORM, Q(pk=scope.talent_id)))
    # The unit commissioner records the answers of the talents assigned to them.
    if scope.unit_post_ids:
        unit_talents = Q(pk__in=unit_talent_ids(scope))
        if scope.talent_id:
            unit_talents &= ~Q(pk=scope.talent_id)
        whose.append((Channel.UNIT, unit_talents))
    pending = []
    for channel, talents in whose:
        talent_ids = Talent.objects.filter(talents).values("pk")
        tasks = (
            Task.objects.filter(
                status=TaskStatus.COMPLETED,
                completed_at__gte=since,
                application__talent_id__in=talent_ids,
            )
            .exclude(completed_by=user)
            .exclude(accepted_by=user)
            .exclude(Exists(Rating.objects.filter(task=OuterRef("pk"), channel=channel)))
            .select_related("application__talent", "department")
            .prefetch_related(
                Prefetch(
                    "items", queryset=ApplicationItem.objects.select_related("item_version").order_by("id")
                )
            )
        )
        for task in tasks:
            lines = list(task.items.all())
            pending.append(
                PendingService(
                    kind="task",
                    pk=task.pk,
                    talent_name=task.application.talent.name,
                    service_name=lines[0].item_version.name if lines else task.number,
                    department_name=task.department.name,
                    completed_at=task.completed_at,
                    deadline=rating_deadline(task.completed_at),
                    channel=channel,
                )
            )
        services = (
            DirectService.objects.filter(served_at__gte=since, talent_id__in=talent_ids)
            .exclude(served_by=user)
            .exclude(Exists(Rating.objects.filter(direct_service=OuterRef("pk"), channel=channel)))
            .select_related("talent", "item_version", "department")
        )
        for service in services:
            pending.append(
                PendingService(
                    kind="service",
                    pk=service.pk,
                    talent_name=service.talent.name,
                    service_name=service.item_version.name,
                    department_name=service.department.name,
                    completed_at=service.served_at,
                    deadline=rating_deadline(service.served_at),
                    channel=channel,
                )
            )
    pending.sort(key=lambda entry: (entry.completed_at, entry.kind, entry.pk), reverse=True)
    return pending


# --- the rectification's steps ------------------------------------------------------------------------
# One table: the actions' state guard (actions._refuse_unless), the detail page's forms, and who the page
# and the API let through all read it (tests/test_steps.py). The department answers or appeals; the window
# calls the talent back and rules on an appeal.

RECTIFICATION_STEPS = StepTable(
    [
        Step("respond", _("答复整改"), (RectificationStatus.OPEN,), is_department_of),
        Step("appeal", _("申诉"), (RectificationStatus.OPEN,), is_department_of),
        Step("callback", _("回访"), (RectificationStatus.RESPONDED,), is_window_over),
        Step("rule", _("裁定申诉"), (RectificationStatus.APPEALED,), is_window_over),
    ],
    refusal=_("整改当前状态为“%(status)s”，不能执行此操作（可能已被他人处理，请刷新）。"),
)
