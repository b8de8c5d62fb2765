"""Who may see which commissioner post (the registry, S19)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from huicai.accounts.roles import Role, get_scope, window_condition
from huicai.commissioners.models import UnitAssignment


def posts_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    # Everyone sees their own posts.
    combined = Q(user=user)
    # A window sees window posts in its subtree and unit posts at employers in its jurisdiction; the
    # city window also sees every department and undertaking commissioner, a county window those of its
    # own division (S19 registry).
    by_window = window_condition(scope, "window__path")
    if by_window is not None:
        combined |= by_window
        combined |= window_condition(scope, "employer__window__path")
        if scope.is_city_wide:
            combined |= Q(department__isnull=False) | Q(undertaking_org__isnull=False)
        else:
            combined |= Q(department__division_id__in=scope.division_ids)
            combined |= Q(undertaking_org__division_id__in=scope.division_ids)
    # A talent sees their own unit commissioner's post.
    if scope.talent_id:
        combined |= Q(assignments__talent_id=scope.talent_id, assignments__active_to__isnull=True)
    return queryset.filter(combined).distinct()


def unit_talent_ids(scope):
    """Subquery of the talents whose open one-to-one assignment is one of the scope's unit posts (S6)."""
    return UnitAssignment.objects.open().filter(post_id__in=scope.unit_post_ids).values("talent_id")


def manages_registry(user) -> bool:
    """Window staff keep the commissioner registry of their jurisdiction (S19); the system administrator
    too. Nobody else changes posts."""
    scope = get_scope(user)
    return scope.is_superuser or Role.WINDOW in scope.roles


def can_manage_post(user, post) -> bool:
    """Whether ``user`` may appoint, end or transfer ``post`` and reassign its talents: window staff over
    the post's organisation. A county window manages its subtree; departments and institutions are the
    city window's, or a county window's of the same division."""
    scope = get_scope(user)
    # The system administrator manages every post.
    if scope.is_superuser:
        return True
    # Otherwise only window staff.
    if Role.WINDOW not in scope.roles:
        return False
    # A unit post: its employer's window lies in the user's subtree.
    if post.employer_id:
        return _under(scope, post.employer.window.path)
    # A window post: the window lies in the user's subtree.
    if post.window_id:
        return _under(scope, post.window.path)
    # A department or undertaking post: the city window, or a county window of the same division.
    division_id = post.department.division_id if post.department_id else post.undertaking_org.division_id
    return _is_city_window(scope) or division_id in scope.division_ids


def _under(scope, path) -> bool:
    return any(path.startswith(own) for own in scope.window_paths)


def _is_city_window(scope) -> bool:
    return any(own.count("/") == 1 for own in scope.window_paths)


def get_post_for_user(user, pk, *, write=False):
    """The post ``pk`` if the user may see it, else 404; with ``write``, 403 unless they may manage it."""
    from huicai.commissioners.models import Post

    post = (
        Post.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("user", "employer__window", "window", "department", "undertaking_org")
        .first()
    )
    if post is None:
        raise Http404
    if write and not can_manage_post(user, post):
        raise PermissionDenied
    return post
