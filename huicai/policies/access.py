"""Who may see and who may change which policy.

Published (in-force and expired) policies are public information: everybody sees them, signed in or not.
A draft is seen only by the window commissioners of the window it belongs to and of the windows above it,
and by the system administrator. Changing a policy is for window commissioners (S14-5) over its window.
Anything a user cannot see is a 404; a policy they can see but not change is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from huicai.accounts.roles import Role, get_scope, window_condition
from huicai.org.models import Window
from huicai.policies.choices import PUBLIC_STATUSES
from huicai.policies.models import Policy


def policies_visible_to(queryset, user):
    # Everybody, including anonymous visitors, sees published policies.
    condition = Q(status__in=PUBLIC_STATUSES)
    scope = get_scope(user)
    # The system administrator sees every draft too.
    if scope.is_superuser:
        return queryset
    # A window commissioner sees the drafts of their window and of the windows below it.
    if Role.WINDOW in scope.roles:
        by_window = window_condition(scope, "window__path")
        if by_window is not None:
            condition |= by_window
    return queryset.filter(condition)


def can_manage_policies(user) -> bool:
    """Window commissioners publish policies (S14-5); the system administrator may too."""
    scope = get_scope(user)
    return scope.is_superuser or Role.WINDOW in scope.roles


def can_act_for_window(user, window) -> bool:
    """The user is a window commissioner at ``window`` or at a window above it (or the administrator)."""
    scope = get_scope(user)
    if scope.is_superuser:
        return True
    return Role.WINDOW in scope.roles and any(window.path.startswith(p) for p in scope.window_paths)


def can_manage_policy(user, policy) -> bool:
    return can_act_for_window(user, policy.window)


def publishing_windows(user):
    """The windows a user may draft policies for: their own windows (every active one for the admin)."""
    scope = get_scope(user)
    if scope.is_superuser:
        return Window.objects.filter(is_active=True)
    if Role.WINDOW not in scope.roles:
        return Window.objects.none()
    return Window.objects.filter(pk__in=scope.window_ids)


def window_division_ids(window) -> set[int] | None:
    """The divisions a window may publish policies for: ``None`` means any (the city window, the root of
    the tree); otherwise the divisions of the window and of the windows below it, so a county window
    publishes for its own county only."""
    if window.parent_id is None:
        return None
    return set(Window.objects.subtree_of([window]).values_list("division_id", flat=True))


def get_policy_for_user(user, pk, *, write=False):
    """The policy ``pk`` if the user may see it, else 404; with ``write``, 403 unless they may change it."""
    policy = (
        Policy.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("window", "created_by", "published_by")
        .first()
    )
    if policy is None:
        raise Http404
    if write and not can_manage_policy(user, policy):
        raise PermissionDenied
    return policy


def get_policies_for_talent(talent, *, today):
    """ "Policies for me" (W16): in force on ``today`` and applying to the talent's category and region."""
    return Policy.objects.in_force_on(today).for_talent(talent)
