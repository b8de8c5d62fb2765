"""Who may see and act on difficulties and check-ins. Unseen is 404; seen but not yours to change is 403.

Seeing a difficulty:
- the talent sees their own; their current unit commissioner sees the talent's (S11-5);
- a window sees those of talents at home in its subtree, and those held by a window in its subtree (an
  escalation reaching it); the city window is the root, so it sees everything escalated to it (S14-4);
- a department commissioner sees those their department collected or that were sent to it (S12-4); an
  undertaking commissioner those their institution recorded (S13-3).

Seeing a check-in: a window sees its rounds and the rounds below it, and the entries of talents in its
jurisdiction; a unit commissioner sees the entries of their talents; a talent their own entries.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from huicai.accounts.roles import any_of, get_scope, window_condition
from huicai.commissioners.access import unit_talent_ids
from huicai.core.transitions import Step, StepTable
from huicai.outreach.choices import PENDING_DIFFICULTY_STATUSES, DifficultyStatus, HolderLevel
from huicai.outreach.models import CheckinEntry, CheckinRound, Difficulty


def difficulties_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = []
    # A talent sees their own.
    if scope.talent_id:
        conditions.append(Q(talent_id=scope.talent_id))
    # The talent's current unit commissioner sees the talent's.
    if scope.unit_post_ids:
        conditions.append(Q(talent_id__in=unit_talent_ids(scope)))
    # A window sees those of talents at home in its subtree…
    by_home = window_condition(scope, "talent__home_window__path")
    if by_home is not None:
        conditions.append(by_home)
        # …and those held by a window in its subtree (an escalation that reached it).
        conditions.append(window_condition(scope, "holder_window__path"))
    # A department commissioner sees what their department collected or was sent.
    if scope.department_ids:
        conditions.append(Q(source_department_id__in=scope.department_ids))
        conditions.append(Q(holder_department_id__in=scope.department_ids))
    # An undertaking commissioner sees what their institution recorded.
    if scope.undertaking_org_ids:
        conditions.append(Q(source_undertaking_org_id__in=scope.undertaking_org_ids))
    combined = any_of(conditions)
    return queryset.filter(combined) if combined is not None else queryset.none()


def rounds_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    # A window sees its own rounds and those of the windows below it; nobody else sees rounds.
    by_window = window_condition(scope, "window__path")
    return queryset.filter(by_window) if by_window is not None else queryset.none()


def entries_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = []
    # A talent sees their own entries.
    if scope.talent_id:
        conditions.append(Q(talent_id=scope.talent_id))
    # The talent's current unit commissioner sees the talent's entries (they answer them).
    if scope.unit_post_ids:
        conditions.append(Q(talent_id__in=unit_talent_ids(scope)))
    # A window sees the entries of its rounds and those of talents at home in its subtree.
    by_round = window_condition(scope, "round__window__path")
    if by_round is not None:
        conditions.append(by_round)
        conditions.append(window_condition(scope, "talent__home_window__path"))
    combined = any_of(conditions)
    return queryset.filter(combined) if combined is not None else queryset.none()


def get_difficulty_for_user(user, pk):
    difficulty = (
        Difficulty.objects.visible_to(user)
        .filter(pk=pk)
        .select_related(
            "talent__home_window",
            "talent__employer",
            "holder_window",
            "holder_department",
            "recorded_by",
            "responded_by",
            "closed_by",
            "catalogue_item",
            "catalogue_version",
            "source_department",
            "source_undertaking_org",
        )
        .first()
    )
    if difficulty is None:
        raise Http404
    return difficulty


def get_round_for_user(user, pk):
    checkin_round = (
        CheckinRound.objects.visible_to(user)
        .with_progress()
        .filter(pk=pk)
        .select_related("window", "opened_by", "closed_by")
        .first()
    )
    if checkin_round is None:
        raise Http404
    return checkin_round


def get_entry_for_user(user, pk):
    entry = (
        CheckinEntry.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("round__window", "talent__home_window", "answered_by")
        .first()
    )
    if entry is None:
        raise Http404
    return entry


# --- Who may act (403 when they can see but not act). Each returns a bool. ---


def is_talent(user, talent) -> bool:
    return get_scope(user).talent_id == talent.pk


def is_unit_commissioner_of(user, talent) -> bool:
    """The talent's current one-to-one unit commissioner (S6, S11)."""
    scope = get_scope(user)
    return (
        bool(scope.unit_post_ids)
        and talent.unit_assignments.open().filter(post_id__in=scope.unit_post_ids).exists()
    )


def holds(user, difficulty) -> bool:
    """Whether ``user`` acts for the level that holds the difficulty now (owes its next step). The system
    administrator is no unit, department or window: only a holder of that level's post acts."""
    scope = get_scope(user)
    if difficulty.holder_level == HolderLevel.UNIT:
        return is_unit_commissioner_of(user, difficulty.talent)
    if difficulty.holder_level == HolderLevel.DEPARTMENT:
        return difficulty.holder_department_id in scope.department_ids
    return difficulty.holder_window_id in scope.window_ids


def is_window_over(user, difficulty) -> bool:
    """A window commissioner whose jurisdiction covers the talent or the window holding the difficulty."""
    scope = get_scope(user)
    paths = [difficulty.talent.home_window.path]
    if difficulty.holder_window_id:
        paths.append(difficulty.holder_window.path)
    return any(path.startswith(own) for path in paths for own in scope.window_paths)


def is_staff_of_window(user, window) -> bool:
    """A window commissioner of exactly this window (who runs its check-ins)."""
    scope = get_scope(user)
    return window.pk in scope.window_ids


def answers_checkins(user) -> bool:
    """待答复 is for the talents and their unit commissioners, who answer the windows' check-ins (S11-5)."""
    scope = get_scope(user)
    return bool(scope.unit_post_ids or scope.talent_id or scope.is_superuser)


def may_answer(user, entry) -> bool:
    """S14-4: the unit commissioner answers for their talents; the talent may answer for themself."""
    return is_talent(user, entry.talent) or is_unit_commissioner_of(user, entry.talent)


# --- the difficulty's steps ---------------------------------------------------------------------------
# One table, in the order the detail page offers them: the actions' state guard (actions._refuse_unless),
# the detail page and the API's ``allowed_steps`` all read it (tests/test_steps.py).


def _holds_below_the_top(user, difficulty):
    # The city window is the top: nothing is above it to escalate to.
    at_the_top = difficulty.holder_level == HolderLevel.WINDOW and difficulty.holder_window.parent_id is None
    return not at_the_top and holds(user, difficulty)


def _holds_or_is_the_talent(user, difficulty):
    return holds(user, difficulty) or is_talent(user, difficulty.talent)


def _window_over(user, difficulty):
    scope = get_scope(user)
    return bool(scope.window_ids) and is_window_over(user, difficulty)


DIFFICULTY_STEPS = StepTable(
    [
        Step("start", _("开始处理"), (DifficultyStatus.OPEN, DifficultyStatus.ESCALATED), holds),
        Step("escalate", _("上报"), tuple(PENDING_DIFFICULTY_STATUSES), _holds_below_the_top),
        Step("respond", _("答复"), tuple(PENDING_DIFFICULTY_STATUSES), holds),
        Step(
            "close",
            _("关闭"),
            (DifficultyStatus.RESPONDED, DifficultyStatus.RESOLVED),
            _holds_or_is_the_talent,
            refusal=_("尚未答复的事项不能关闭，请先答复。"),
        ),
        # W7: allowed in any state: the catalogue change often comes after the talent has been answered.
        Step("link-catalogue", _("关联服务事项调整"), tuple(DifficultyStatus.values), _window_over),
    ],
    refusal=_("该事项当前状态为“%(status)s”，不能执行此操作（可能已被他人处理，请刷新）。"),
)
STEPS = tuple(step.name for step in DIFFICULTY_STEPS)


def allowed_steps(user, difficulty) -> list[str]:
    """The steps ``user`` may take on ``difficulty`` now (the forms the detail page shows)."""
    return [step.name for step in DIFFICULTY_STEPS.available(user, difficulty)]


def require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def held_by(queryset, user):
    """The difficulties whose next step is the user's: the "待我处理" filter."""
    scope = get_scope(user)
    conditions = []
    # Held at unit level for a talent whose current unit commissioner is the user.
    if scope.unit_post_ids:
        conditions.append(Q(holder_level=HolderLevel.UNIT, talent_id__in=unit_talent_ids(scope)))
    # Held by the user's department.
    if scope.department_ids:
        conditions.append(Q(holder_department_id__in=scope.department_ids))
    # Held by the user's own window.
    if scope.window_ids:
        conditions.append(Q(holder_window_id__in=scope.window_ids))
    combined = any_of(conditions)
    return queryset.filter(combined) if combined is not None else queryset.none()


def entries_to_answer(queryset, user):
    """The entries the user answers (their own, or their talents'), whatever else they may see."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    conditions = []
    # A talent answers for themself.
    if scope.talent_id:
        conditions.append(Q(talent_id=scope.talent_id))
    # A unit commissioner answers for the talents assigned to them now.
    if scope.unit_post_ids:
        conditions.append(Q(talent_id__in=unit_talent_ids(scope)))
    combined = any_of(conditions)
    return queryset.filter(combined) if combined is not None else queryset.none()
