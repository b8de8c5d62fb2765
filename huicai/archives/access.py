"""Who may open a talent's service archive (W14, S18), and when they must first say why.

The archive gathers everything about one talent, so it is shown to fewer people than any of its parts:

- the talent themself (no reason asked: it is their own record);
- their **current** unit commissioner (no reason asked: the one-to-one contact works from it daily, S11);
  a former one no longer (the talents door already drops them);
- the window chain over the talent: staff of the talent's home window and of the windows above it
  (属地原则, W14: the county window keeps the archive and files it upward to the city), who state a
  reason first;
- the system administrator, who states a reason first.

Department and undertaking commissioners do not open archives, not even "for the parts they handled"
(need-to-know): what they handled they already see on their own task, service and rectification pages,
and the archive would add the rest of the talent's life with the system. A window below the home window
(a park window) or beside it (another county) sees nothing here either. Everyone else gets a 404.
"""

from django.db.models import Q
from django.http import Http404

from huicai.accounts.roles import any_of, get_scope, window_condition
from huicai.archives.choices import Basis
from huicai.talents.models import Talent

# The bases on which a reason must be stated before the archive opens.
NEEDS_REASON = frozenset({Basis.WINDOW, Basis.ADMIN})


def archive_basis(user, talent) -> Basis | None:
    """On what ground ``user`` may open ``talent``'s archive, or None. ``talent.home_window`` is read
    (load it with the talent); at most one query, for the unit commissioner's open assignment."""
    if user is None or not user.is_authenticated:
        return None
    scope = get_scope(user)
    # The talent reads their own archive.
    if scope.talent_id == talent.pk:
        return Basis.TALENT
    # Their current one-to-one unit commissioner (an open assignment on one of the user's unit posts).
    if (
        scope.unit_post_ids
        and talent.unit_assignments.open().filter(post_id__in=scope.unit_post_ids).exists()
    ):
        return Basis.UNIT
    # The window chain: the talent's home window and its ancestors (a window path is a prefix of the
    # paths below it).
    if any(talent.home_window.path.startswith(path) for path in scope.window_paths):
        return Basis.WINDOW
    # The system administrator.
    if scope.is_superuser:
        return Basis.ADMIN
    return None


def get_archive_talent_for_user(user, pk):
    """The talent ``pk`` and the user's basis for opening their archive; 404 without one.

    The talent is read through the talents door first, so the archive can never show more people than
    the talent pages do."""
    talent = (
        Talent.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("category", "employer", "home_window")
        .first()
    )
    basis = archive_basis(user, talent) if talent is not None else None
    if basis is None:
        raise Http404
    return talent, basis


def reasons_visible_to(queryset, user):
    """Stated reasons: each person sees their own; the window chain over the talent sees those stated for
    its talents (to check what its staff and others did); the system administrator sees all."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = [
        # Everyone sees the reasons they stated themselves.
        Q(user_id=user.pk),
    ]
    # A window sees the reasons stated for talents at home in its subtree.
    by_window = window_condition(scope, "talent__home_window__path")
    if by_window is not None:
        conditions.append(by_window)
    return queryset.filter(any_of(conditions))
