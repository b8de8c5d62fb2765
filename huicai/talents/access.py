"""Who may see which talent: the permission-scoped door to talents' data, and the access helpers built on
it. Anything a user cannot see is a 404, never a 403 that reveals it exists."""

from django.db.models import Q
from django.http import Http404

from huicai.accounts.roles import Role, get_scope, window_condition
from huicai.commissioners.models import UnitAssignment
from huicai.talents.models import Talent


def talents_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = []
    # A talent sees only themself.
    if scope.talent_id:
        conditions.append(Q(pk=scope.talent_id))
    # A unit commissioner sees the talents whose open one-to-one assignment is theirs (S6).
    if scope.unit_post_ids:
        assigned = UnitAssignment.objects.open().filter(post_id__in=scope.unit_post_ids)
        conditions.append(Q(pk__in=assigned.values("talent_id")))
    # A window sees talents whose home window is itself or below it; the city window is the root (W3).
    by_window = window_condition(scope, "home_window__path")
    if by_window is not None:
        conditions.append(by_window)
    # Department and undertaking commissioners see no talent until a task of theirs names one.
    for extra in _extra_conditions(scope):
        conditions.append(extra)
    if not conditions:
        return queryset.none()
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return queryset.filter(combined)


# Later apps (casework) register functions (scope) -> Q | None that widen visibility, e.g. the talents
# named in a department's tasks. Kept as a plain list, filled at import time by those apps.
EXTRA_VISIBILITY = []


def _extra_conditions(scope):
    for build in EXTRA_VISIBILITY:
        condition = build(scope)
        if condition is not None:
            yield condition


def get_talent_for_user(user, pk, *, write=False):
    """The talent ``pk`` if the user may see it, else 404. ``write`` is for window staff only."""
    talent = (
        Talent.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("category", "employer", "home_window")
        .first()
    )
    if talent is None:
        raise Http404
    if write and not can_edit_talent(user, talent):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return talent


def can_edit_talent(user, talent) -> bool:
    scope = get_scope(user)
    # Window commissioners keep talent records for their jurisdiction; the system administrator too.
    return scope.is_superuser or bool(
        Role.WINDOW in scope.roles and any(talent.home_window.path.startswith(p) for p in scope.window_paths)
    )


def can_reveal_personal_data(user, talent) -> bool:
    """Full ID number and phone: the talent, their unit commissioner, and window staff over them.

    Every reveal is audited by the view that performs it.
    """
    scope = get_scope(user)
    if scope.is_superuser or scope.talent_id == talent.pk:
        return True
    if (
        scope.unit_post_ids
        and talent.unit_assignments.open().filter(post_id__in=scope.unit_post_ids).exists()
    ):
        return True
    return any(talent.home_window.path.startswith(p) for p in scope.window_paths)


def can_invite_talent(user, talent) -> bool:
    """Issue 11 §2: window staff over the talent, and the talent's own unit commissioner, invite the talent
    to open an account."""
    scope = get_scope(user)
    return can_edit_talent(user, talent) or bool(
        scope.unit_post_ids
        and talent.unit_assignments.open().filter(post_id__in=scope.unit_post_ids).exists()
    )
