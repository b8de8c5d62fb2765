"""Who may use the provincial sync: window staff for their subtree (W3, W15), the system administrator for
the city. Anything else is a 404, as for every page holding talents' data."""

from django.db.models import Q
from django.http import Http404

from huicai.accounts.roles import Role, get_scope, window_condition


def may_sync(user) -> bool:
    scope = get_scope(user)
    # W15: windows keep talents' information in step with the provincial system; the administrator too.
    return scope.is_superuser or (Role.WINDOW in scope.roles and bool(scope.window_paths))


def may_resend(user) -> bool:
    """Batches carry the whole city's changes: resending one is for the city window or the administrator."""
    scope = get_scope(user)
    # The system administrator may.
    if scope.is_superuser:
        return True
    # Window staff of the city window (the root: its path has one segment) may.
    return Role.WINDOW in scope.roles and any(path.count("/") == 1 for path in scope.window_paths)


def require_sync(user):
    if not may_sync(user):
        raise Http404


def change_condition(user) -> Q | None:
    """The outbox rows a user may see, by the window path each change was captured under."""
    scope = get_scope(user)
    # The system administrator sees the whole city's outbox.
    if scope.is_superuser:
        return Q()
    # Window staff see the changes of talents at home in their windows' subtrees.
    if Role.WINDOW in scope.roles:
        return window_condition(scope, "window_path")
    return None


def reconciliation_condition(user) -> Q | None:
    scope = get_scope(user)
    # The system administrator sees every reconciliation.
    if scope.is_superuser:
        return Q()
    # Window staff see the reconciliations made for their windows or any window below them.
    if Role.WINDOW in scope.roles:
        return window_condition(scope, "window__path")
    return None


def get_reconciliation_for_user(user, pk):
    from huicai.provsync.models import Reconciliation

    reconciliation = (
        Reconciliation.objects.visible_to(user).filter(pk=pk).select_related("by", "window").first()
    )
    if reconciliation is None:
        raise Http404
    return reconciliation


def sync_window(user):
    """The window a user's reconciliation is scoped to: their highest window (None for the city-wide
    administrator without a window post)."""
    from huicai.org.models import Window

    scope = get_scope(user)
    if not scope.window_paths:
        return None
    top = min(scope.window_paths, key=lambda path: path.count("/"))
    return Window.objects.filter(path=top).first()


def visible_paths(user) -> list[str] | None:
    """The window paths whose subtrees the user may sync; None means the whole city."""
    scope = get_scope(user)
    if scope.is_superuser:
        return None
    return list(scope.window_paths)
