"""Who may see which employer."""

from django.db.models import Q

from huicai.accounts.roles import get_scope, window_condition


def employers_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = []
    # A unit commissioner sees their own employers.
    if scope.employer_ids:
        conditions.append(Q(pk__in=scope.employer_ids))
    # A window sees the employers it is the home window of, or below.
    by_window = window_condition(scope, "window__path")
    if by_window is not None:
        conditions.append(by_window)
    # A talent sees their own employer.
    if scope.talent_id:
        conditions.append(Q(talents__pk=scope.talent_id))
    if not conditions:
        return queryset.none()
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return queryset.filter(combined).distinct()
