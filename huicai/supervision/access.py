"""Who may see and act on cards, supervision orders and scheduling rounds. Unseen is 404; seen but not
yours to change is 403.

Seeing:
- a window sees what concerns its jurisdiction: cards and orders on tasks of talents at home in its
  subtree, and the rounds opened by windows in its subtree (W3, W9);
- a department commissioner, and the department's head, see the cards issued to their department, the
  orders on its tasks, and the rounds with an entry of theirs (only those entries);
- a system administrator sees everything; nobody else sees anything.
"""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huicai.accounts.roles import any_of, get_scope, window_condition
from huicai.casework.access import is_department_commissioner_of, is_window_over
from huicai.core.transitions import Step, StepTable
from huicai.org.models import Window
from huicai.supervision.choices import LIVE_ORDER_STATUSES, OrderStatus
from huicai.supervision.models import Card, DepartmentHead, Round, RoundEntry, SupervisionOrder


def department_ids(user) -> tuple:
    """The departments whose supervision the user follows: as a department commissioner, or as its head
    (``DepartmentHead``). Cached on the user object for the request, like the scope."""
    cached = getattr(user, "_huicai_supervised_departments", None)
    if cached is not None:
        return cached

    ids = set(get_scope(user).department_ids)
    ids |= set(
        DepartmentHead.objects.active_at(timezone.now())
        .filter(user=user)
        .values_list("department_id", flat=True)
    )
    user._huicai_supervised_departments = tuple(sorted(ids))
    return user._huicai_supervised_departments


def _visible(queryset, user, *, window_path, department_field):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = []
    # A window sees its jurisdiction (its own subtree).
    by_window = window_condition(scope, window_path)
    if by_window is not None:
        conditions.append(by_window)
    # A department commissioner or head sees their department's rows.
    departments = department_ids(user)
    if departments:
        conditions.append(Q(**{f"{department_field}__in": departments}))
    combined = any_of(conditions)
    return queryset.filter(combined) if combined is not None else queryset.none()


def cards_visible_to(queryset, user):
    # Through the application, not the task: a triage card has no task yet.
    return _visible(
        queryset,
        user,
        window_path="application__talent__home_window__path",
        department_field="department_id",
    )


def orders_visible_to(queryset, user):
    return _visible(
        queryset,
        user,
        window_path="task__application__talent__home_window__path",
        department_field="task__department_id",
    )


def entries_visible_to(queryset, user):
    return _visible(queryset, user, window_path="round__window__path", department_field="department_id")


def rounds_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = []
    # A window sees the rounds opened by a window in its subtree.
    by_window = window_condition(scope, "window__path")
    if by_window is not None:
        conditions.append(by_window)
    # A department commissioner or head sees the rounds that ask something of their department.
    departments = department_ids(user)
    if departments:
        conditions.append(
            Q(pk__in=RoundEntry.objects.filter(department_id__in=departments).values("round_id"))
        )
    combined = any_of(conditions)
    return queryset.filter(combined) if combined is not None else queryset.none()


# --- The one door per object type: 404 for what the user cannot see. ---


def get_card_for_user(user, pk):
    card = (
        Card.objects.visible_to(user)
        .filter(pk=pk)
        .select_related(
            "application__talent",
            "task__deadline",
            "department",
            "order",
            "clock__deadline",
            "clock__window",
            "clock__department",
            "clock__employer",
        )
        .first()
    )
    if card is None:
        raise Http404
    return card


def get_order_for_user(user, pk):
    order = (
        SupervisionOrder.objects.visible_to(user)
        .filter(pk=pk)
        .select_related(
            "task__application__talent__home_window",
            "task__department",
            "task__deadline",
            "window",
            "raised_by",
            "responded_by",
            "closed_by",
        )
        .first()
    )
    if order is None:
        raise Http404
    return order


def get_round_for_user(user, pk):
    found = (
        Round.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("window", "opened_by", "closed_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- Who may act (403 when they can see but not act). Each returns a bool. ---


def is_window_staff(user) -> bool:
    """A window commissioner (of any window), or the system administrator."""
    scope = get_scope(user)
    return scope.is_superuser or bool(scope.window_paths)


def follows_a_department(user) -> bool:
    """A department commissioner or a department head."""
    return bool(department_ids(user))


def can_use_board(user) -> bool:
    return is_window_staff(user) or follows_a_department(user)


def holds_a_window_post(user) -> bool:
    """A window commissioner now: who takes a window's steps (the system administrator holds no window)."""
    return bool(get_scope(user).window_ids)


def is_window_over_window(user, window) -> bool:
    """A window commissioner at ``window`` or above it (the city window is above every county's)."""
    scope = get_scope(user)
    return any(window.path.startswith(path) for path in scope.window_paths)


def can_raise_order(user, task) -> bool:
    """W9: a window commissioner whose jurisdiction includes the task's talent."""
    return is_window_staff(user) and is_window_over(user, task.application.talent)


def can_respond_to_order(user, order) -> bool:
    """The commissioners of the department that holds the task answer in writing."""
    return is_department_commissioner_of(user, order.task)


def can_review_order(user, order) -> bool:
    """The window that raised the order, or one above it, accepts, sends back or withdraws it."""
    return is_window_over_window(user, order.window)


def can_manage_round(user, round_) -> bool:
    return is_window_over_window(user, round_.window)


def can_read_round_report(user, round_) -> bool:
    """The window that manages the round reads its report; so does the system administrator, who reads
    everything but closes nothing."""
    return get_scope(user).is_superuser or can_manage_round(user, round_)


def can_answer_entry(user, entry) -> bool:
    """The commissioners of the department the entry was put to (not the head: the answer is the
    commissioner's work, S12), nor the system administrator, who is no department."""
    scope = get_scope(user)
    return entry.department_id in scope.department_ids


def windows_for_rounds(user):
    """The windows a user may open a round for: their own windows (their subtree is their jurisdiction)."""
    return Window.objects.filter(pk__in=get_scope(user).window_ids)


# --- the order's steps --------------------------------------------------------------------------------
# One table: the actions' state guard, the order page's forms and who the page lets through all read it
# (tests/test_steps.py). The department answers an open order; the window accepts or sends back an answer,
# and may withdraw an order while it is live.

ORDER_STEPS = StepTable(
    [
        Step(
            "respond",
            _("书面答复"),
            (OrderStatus.OPEN,),
            can_respond_to_order,
            refusal={
                OrderStatus.ANSWERED: _("该督办事项已答复，正在等待窗口确认，不能重复答复。"),
                OrderStatus.CLOSED: _("该督办事项已办结，不能再答复。"),
                OrderStatus.WITHDRAWN: _("该督办事项已撤销，不能再答复。"),
            },
        ),
        Step(
            "close",
            _("确认或退回答复"),
            (OrderStatus.ANSWERED,),
            can_review_order,
            refusal=_("督办事项当前状态为“%(status)s”，只有已答复的督办事项可以确认或退回。"),
        ),
        Step(
            "withdraw",
            _("撤销督办"),
            tuple(LIVE_ORDER_STATUSES),
            can_review_order,
            refusal=_("督办事项当前状态为“%(status)s”，不能撤销。"),
        ),
    ]
)
