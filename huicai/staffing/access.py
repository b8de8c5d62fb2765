"""Who may see and do what in commissioner management (S19–S22): the one door per model.

The window keeps the registry of its level and of the windows below it (S19), so window staff see the rows
of windows in their subtree. A commissioner sees their own scorecards and notices (S21, S22); the
organisation of a changed post (its unit, department or institution) sees and files its change records.
Talents see none of it: a talent can see their unit commissioner's post, but never its assessment.
"""

from types import SimpleNamespace

from django.db.models import Q
from django.http import Http404

from huicai.accounts.roles import Role, get_scope, window_condition
from huicai.commissioners.choices import PostKind


def _window_staff(scope) -> bool:
    return Role.WINDOW in scope.roles


def change_records_visible_to(queryset, user):
    scope = get_scope(user)
    # The system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = Q(pk__in=[])
    # Window staff: the records of the windows in their subtree (S19).
    if _window_staff(scope):
        conditions |= window_condition(scope, "window__path")
    # The organisation of the post files the change: its unit, department or institution commissioners.
    if scope.employer_ids:
        conditions |= Q(post__employer_id__in=scope.employer_ids)
    if scope.department_ids:
        conditions |= Q(post__department_id__in=scope.department_ids)
    if scope.undertaking_org_ids:
        conditions |= Q(post__undertaking_org_id__in=scope.undertaking_org_ids)
    return queryset.filter(conditions)


def keeps_registry_of(user, window) -> bool:
    """Window staff of ``window`` or of a window above it (S19), or the system administrator."""
    scope = get_scope(user)
    if scope.is_superuser:
        return True
    return _window_staff(scope) and any(window.path.startswith(own) for own in scope.window_paths)


def manages_window(user, window) -> bool:
    """The manager (负责人) of ``window`` or of a window above it: the one who decides (S22)."""
    scope = get_scope(user)
    if scope.is_superuser:
        return True
    if Role.WINDOW_MANAGER not in scope.roles:
        return False
    return any(
        window.path.startswith(post.window.path)
        for post in user.posts.filter(is_manager=True, active_to__isnull=True).select_related("window")
    )


def sets_weights(user) -> bool:
    """S21: the city (市人力资源社会保障局, through the city window's manager) sets the assessment's weights."""
    scope = get_scope(user)
    return scope.is_superuser or Role.CITY_ADMIN in scope.roles


def can_file_change(user, record) -> bool:
    """The changed post's organisation files the change with the window (S19): a commissioner holding a
    post at the same unit, department, institution or (for a window post) window."""
    scope = get_scope(user)
    post = record.post
    if post.kind == PostKind.UNIT:
        return post.employer_id in scope.employer_ids
    if post.kind == PostKind.DEPARTMENT:
        return post.department_id in scope.department_ids
    if post.kind == PostKind.UNDERTAKING:
        return post.undertaking_org_id in scope.undertaking_org_ids
    return post.window_id in scope.window_ids


def can_file_for_post(user, post) -> bool:
    """Whether ``user`` may file a new change (of contact) of ``post``: as ``can_file_change``."""
    return can_file_change(user, SimpleNamespace(post=post))


def sessions_visible_to(queryset, user):
    scope = get_scope(user)
    if scope.is_superuser:
        return queryset
    conditions = Q(pk__in=[])
    # Window staff: the sessions of the windows in their subtree, and those of the windows above them
    # (a county commissioner attends the city's training).
    if _window_staff(scope):
        conditions |= window_condition(scope, "window__path")
    # A commissioner: the sessions they attended (for the materials).
    posts = list(user.posts.values_list("pk", flat=True))
    if posts:
        conditions |= Q(attendances__post_id__in=posts)
    return queryset.filter(conditions).distinct()


def scorecards_visible_to(queryset, user):
    scope = get_scope(user)
    if scope.is_superuser:
        return queryset
    # Every commissioner sees their own scorecards (S21).
    conditions = Q(post__user=user)
    # Window staff: the scorecards of the registries in their subtree.
    if _window_staff(scope):
        conditions |= window_condition(scope, "window__path")
    return queryset.filter(conditions)


def commendations_visible_to(queryset, user):
    scope = get_scope(user)
    if scope.is_superuser:
        return queryset
    # Window staff of the window or above: the list is the window's own paper until it is decided.
    if _window_staff(scope):
        return queryset.filter(window_condition(scope, "window__path"))
    return queryset.none()


def notices_visible_to(queryset, user):
    scope = get_scope(user)
    if scope.is_superuser:
        return queryset
    conditions = Q(pk__in=[])
    # The commissioner concerned, once the notice is issued (a draft is the window's own paper).
    conditions |= Q(post__user=user) & ~Q(status="draft")
    # Window staff of the window or above.
    if _window_staff(scope):
        conditions |= window_condition(scope, "window__path")
    return queryset.filter(conditions)


def get_for_user(queryset, user, pk):
    """The row ``pk`` of a ``visible_to`` queryset, or 404: the same answer for missing and unseen."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    row = queryset.visible_to(user).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def manages_staffing(user) -> bool:
    """The window's management pages (S19–S22): window staff, and the system administrator."""
    scope = get_scope(user)
    return scope.is_superuser or Role.WINDOW in scope.roles


def has_scorecards(user) -> bool:
    """A commissioner of any kind has their own scorecards and notices (S21, S22); a talent has none."""
    scope = get_scope(user)
    return bool(scope.roles & {Role.UNIT, Role.DEPARTMENT, Role.UNDERTAKING, Role.WINDOW})
