"""Who may see and change items in the making. The public catalogue needs none of this: it shows only
published versions, to anyone. Anything a user cannot see is a 404; 403 only when they can see it but
not do what they asked."""

from django.db.models import Q
from django.http import Http404

from huicai.accounts.roles import Role, get_scope, window_condition
from huicai.catalogue.models import ServiceItem
from huicai.org.models import Window


def items_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = []
    # A window sees the items drafted by itself and by the windows below it (W3 tree, W7 filing).
    by_window = window_condition(scope, "window__path")
    if by_window is not None:
        conditions.append(by_window)
    # A department commissioner sees the items that name their department, to know what it promises.
    if scope.department_ids:
        conditions.append(Q(department_id__in=scope.department_ids))
    if not conditions:
        return queryset.none()
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return queryset.filter(combined)


def get_item_for_user(user, pk):
    """The item ``pk`` if the user may see it in the staff pages, else 404."""
    item = (
        ServiceItem.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("window__parent", "department", "division", "published_version")
        .first()
    )
    if item is None:
        raise Http404
    return item


def is_catalogue_staff(user) -> bool:
    """Window commissioners keep the catalogue; department commissioners read their department's items."""
    scope = get_scope(user)
    return scope.is_superuser or Role.WINDOW in scope.roles or Role.DEPARTMENT in scope.roles


def drafting_windows(user, *, at=None):
    """The windows for which ``user`` may draft items: their own windows (superuser: every window)."""
    scope = get_scope(user, at=at)
    if scope.is_superuser:
        return Window.objects.filter(is_active=True)
    return Window.objects.filter(pk__in=scope.window_ids, is_active=True)


def can_draft_for(user, window, *, at=None) -> bool:
    scope = get_scope(user, at=at)
    # A window commissioner drafts for their own window only (W7); the administrator for any.
    return scope.is_superuser or window.pk in scope.window_ids


def can_edit_item(user, item, *, at=None) -> bool:
    """Only the drafting window changes, files or (at the city) publishes its items."""
    return can_draft_for(user, item.window, at=at)


def can_review_item(user, item, *, at=None) -> bool:
    """W7: an item is filed with the upper window; its commissioners (and those of any window further
    up, up to the city window) acknowledge or return it. A window never reviews its own items."""
    scope = get_scope(user, at=at)
    if scope.is_superuser:
        return True
    path = item.window.path
    return any(path.startswith(own) and path != own for own in scope.window_paths)


def reviewable_condition(user):
    """Q for items whose drafting window lies strictly below one of the user's windows."""
    scope = get_scope(user)
    if scope.is_superuser:
        return Q()
    if not scope.window_paths:
        return None
    condition = Q(pk__in=[])
    for own in scope.window_paths:
        condition |= Q(window__path__startswith=own) & ~Q(window__path=own)
    return condition
