"""Who may see and act on direct services and appointments. Unseen is 404; seen but not yours is 403.

Seeing a direct service:
- the talent sees their own; their current unit commissioner sees them (S11);
- a window sees the services of talents at home in its subtree, and those given at a window in it (W3);
- a department commissioner sees the services of their department's items (S12); an undertaking
  commissioner those given by their institution (S13); whoever served sees what they recorded.

Seeing an appointment:
- the talent sees their own; their current unit commissioner sees them;
- the commissioner booked sees theirs; a window sees those booked with it or with its commissioners,
  and those of talents at home in its subtree.
"""

from django.db.models import Q
from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from huicai.accounts.roles import any_of, get_scope, window_condition
from huicai.commissioners.access import unit_talent_ids
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.core.transitions import Step, StepTable
from huicai.directservices.choices import AppointmentStatus
from huicai.directservices.models import Appointment, DirectService

SERVING_KINDS = (PostKind.DEPARTMENT, PostKind.UNDERTAKING, PostKind.WINDOW)


def direct_services_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = [
        # Whoever served sees what they recorded, even after leaving the post.
        Q(served_by_id=user.pk),
    ]
    # A talent sees their own services.
    if scope.talent_id:
        conditions.append(Q(talent_id=scope.talent_id))
    # The talent's current unit commissioner sees them.
    if scope.unit_post_ids:
        conditions.append(Q(talent_id__in=unit_talent_ids(scope)))
    # A window sees the services of talents at home in its subtree…
    by_home = window_condition(scope, "talent__home_window__path")
    if by_home is not None:
        conditions.append(by_home)
        # …and the services given at a window in its subtree, whoever the talent.
        conditions.append(window_condition(scope, "window__path"))
    # A department commissioner sees the services of their department's items.
    if scope.department_ids:
        conditions.append(Q(department_id__in=scope.department_ids))
    # An undertaking commissioner sees the services their institution gave.
    if scope.undertaking_org_ids:
        conditions.append(Q(post__undertaking_org_id__in=scope.undertaking_org_ids))
    return queryset.filter(any_of(conditions))


def appointments_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = [
        # The commissioner booked (or who confirmed a window booking) sees it.
        Q(post__user_id=user.pk),
    ]
    # A talent sees their own appointments.
    if scope.talent_id:
        conditions.append(Q(talent_id=scope.talent_id))
    # The talent's current unit commissioner sees them.
    if scope.unit_post_ids:
        conditions.append(Q(talent_id__in=unit_talent_ids(scope)))
    # A window sees the bookings with itself or its subtree, with its commissioners, and those of the
    # talents at home in its subtree.
    for path_field in ("window__path", "post__window__path", "talent__home_window__path"):
        condition = window_condition(scope, path_field)
        if condition is not None:
            conditions.append(condition)
    return queryset.filter(any_of(conditions))


def talents_served_or_booked(scope):
    """Extra talent visibility (registered in apps.py): a department or undertaking commissioner sees the
    talents they have served on a card or who booked them, as casework does for the talents its tasks name;
    a window sees the talents served at it."""
    conditions = []
    if scope.department_ids:
        conditions.append(
            Q(pk__in=DirectService.objects.filter(department_id__in=scope.department_ids).values("talent_id"))
        )
        conditions.append(
            Q(
                pk__in=Appointment.objects.filter(post__department_id__in=scope.department_ids).values(
                    "talent_id"
                )
            )
        )
    if scope.undertaking_org_ids:
        conditions.append(
            Q(
                pk__in=DirectService.objects.filter(
                    post__undertaking_org_id__in=scope.undertaking_org_ids
                ).values("talent_id")
            )
        )
        conditions.append(
            Q(
                pk__in=Appointment.objects.filter(
                    post__undertaking_org_id__in=scope.undertaking_org_ids
                ).values("talent_id")
            )
        )
    at_window = window_condition(scope, "window__path")
    if at_window is not None:
        conditions.append(Q(pk__in=DirectService.objects.filter(at_window).values("talent_id")))
        conditions.append(Q(pk__in=Appointment.objects.filter(at_window).values("talent_id")))
    return any_of(conditions)


# --- Who may act. Each returns a bool or a list; the actions raise. -------------------------------------


def can_serve(post, version) -> bool:
    """W12/S12/S13/S14: whether ``post`` may give the direct item of ``version``.

    - a department commissioner serves the items of their own department;
    - an undertaking commissioner serves the items their institution undertakes;
    - a window commissioner serves any direct item, at their window.
    """
    if post.kind == PostKind.DEPARTMENT:
        return post.department_id == version.department_id
    if post.kind == PostKind.UNDERTAKING:
        return post.undertaking_org_id in {org["id"] for org in version.data.get("undertaking_orgs", [])}
    return post.kind == PostKind.WINDOW


def posts_serving(version, *, at):
    """W12: the active posts that give the direct item of ``version`` (``can_serve`` as a query): its
    department's commissioners, the undertaking commissioners of the institutions that undertake it, and
    the window commissioners. What the booking page offers once an item is chosen."""
    undertakers = [org["id"] for org in version.data.get("undertaking_orgs", [])]
    return (
        Post.objects.active_at(at)
        .filter(
            Q(kind=PostKind.DEPARTMENT, department_id=version.department_id)
            | Q(kind=PostKind.UNDERTAKING, undertaking_org_id__in=undertakers)
            | Q(kind=PostKind.WINDOW)
        )
        .select_related("user", "department", "undertaking_org", "window")
        .order_by("kind", "department_id", "undertaking_org_id", "window_id", "pk")
    )


def serving_posts(user, *, at):
    """The user's posts at ``at`` that give direct services (department, undertaking, window)."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        Post.objects.filter(user=user, kind__in=SERVING_KINDS)
        .active_at(at)
        .select_related("department", "undertaking_org", "window")
        .order_by("kind", "pk")
    )


def is_serving_commissioner(user, *, at) -> bool:
    return bool(serving_posts(user, at=at))


def is_talent(user, talent) -> bool:
    return get_scope(user).talent_id == talent.pk


def is_unit_commissioner_of(user, talent) -> bool:
    scope = get_scope(user)
    return (
        bool(scope.unit_post_ids)
        and talent.unit_assignments.open().filter(post_id__in=scope.unit_post_ids).exists()
    )


def is_talent_side(user, appointment) -> bool:
    """The talent themself or their current unit commissioner (S11: who books for the talent)."""
    return is_talent(user, appointment.talent) or is_unit_commissioner_of(user, appointment.talent)


def commissioner_posts_for(user, appointment, *, at):
    """The user's posts that answer for ``appointment``: the post booked, or for a booking with a window,
    a window commissioner post at that window (the first such post confirms and then holds it)."""
    posts = Post.objects.filter(user=user).active_at(at)
    if appointment.post_id is not None:
        mine = list(posts.filter(pk=appointment.post_id))
        if mine or appointment.window_id is None:
            return mine
    if appointment.window_id is not None:
        return list(posts.filter(kind=PostKind.WINDOW, window_id=appointment.window_id).order_by("pk"))
    return []


def is_commissioner_side(user, appointment, *, at) -> bool:
    return bool(commissioner_posts_for(user, appointment, at=at))


def get_appointment_for_user(user, pk):
    appointment = (
        Appointment.objects.visible_to(user)
        .filter(pk=pk)
        .select_related(
            "talent__home_window",
            "talent__category",
            "item_version",
            "service_item",
            "post__user",
            "post__department",
            "post__undertaking_org",
            "post__window",
            "window",
            "booked_by",
            "direct_service",
        )
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment


def get_direct_service_for_user(user, pk):
    service = DirectService.objects.visible_to(user).filter(pk=pk).select_related(*SERVICE_RELATED).first()
    if service is None:
        raise Http404
    return service


SERVICE_RELATED = ("talent", "card", "item_version", "department", "served_by", "post", "window")


def get_talent_direct_services(user, talent, *, limit=None):
    """The direct services of ``talent`` that ``user`` may see, newest first: for the talent's page."""
    services = (
        DirectService.objects.visible_to(user)
        .filter(talent=talent)
        .select_related(*SERVICE_RELATED)
        .order_by("-served_at", "-id")
    )
    return services[:limit] if limit else services


# --- the appointment's steps --------------------------------------------------------------------------
# One table: the actions' state guard (actions._refuse_unless), the detail page's step forms and its
# refusal all read it (tests/test_steps.py). Who answers for an appointment depends on the posts held at
# the time, so ``may`` takes ``at``.


def _commissioner_side(user, appointment, *, at):
    return is_commissioner_side(user, appointment, at=at)


def _either_side(user, appointment, *, at):
    return is_commissioner_side(user, appointment, at=at) or is_talent_side(user, appointment)


def _refusal(verb):
    return format_lazy(_("预约当前状态为“%(status)s”，不能{verb}（可能已被对方处理，请刷新）。"), verb=verb)


APPOINTMENT_STEPS = StepTable(
    [
        Step(
            "confirm",
            _("确认预约"),
            (AppointmentStatus.REQUESTED,),
            _commissioner_side,
            refusal=_refusal(_("确认")),
        ),
        Step(
            "decline",
            _("婉拒预约"),
            (AppointmentStatus.REQUESTED,),
            _commissioner_side,
            refusal=_refusal(_("婉拒")),
        ),
        Step(
            "complete",
            _("登记服务并完成"),
            (AppointmentStatus.CONFIRMED,),
            _commissioner_side,
            refusal=_refusal(_("完成")),
        ),
        Step(
            "cancel",
            _("取消预约"),
            (AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED),
            _either_side,
            refusal=_refusal(_("取消")),
        ),
    ]
)
