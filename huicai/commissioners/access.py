"""Who may see which commissioner post (the registry, S19)."""

from django.db.models import Q

from huicai.accounts.roles import get_scope, window_condition
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
