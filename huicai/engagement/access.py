"""Who may see and act on gatherings, achievements, pushes, rules and grants. Unseen is 404; seen but not
yours to change is 403.

- Window commissioners organise gatherings and push information for their window and the windows below it
  (W5-4, W16-1); they see the gatherings and pushes of those windows, and the rows about talents at home in
  their jurisdiction.
- A talent sees the gatherings they are invited to, the pushes they received, their own achievements and
  grants; they alone answer an invitation, consent to publication or withdraw it, and set their opt-out.
- A unit commissioner sees the achievements and grants of the talents they serve, and records achievements.
- Anybody sees a published achievement (the public site).
"""

from django.db.models import Q
from django.http import Http404

from huicai.accounts.roles import Role, any_of, get_scope, window_condition
from huicai.commissioners.access import unit_talent_ids
from huicai.engagement.models import Achievement, EligibilityRule, Gathering, Push
from huicai.org.models import Window
from huicai.talents.models import Talent


def is_window_staff(user) -> bool:
    scope = get_scope(user)
    return scope.is_superuser or (Role.WINDOW in scope.roles and bool(scope.window_paths))


def acts_for_window(user, window) -> bool:
    """A window commissioner at ``window`` or at a window above it, or the system administrator."""
    scope = get_scope(user)
    if scope.is_superuser:
        return True
    return Role.WINDOW in scope.roles and any(window.path.startswith(p) for p in scope.window_paths)


def sending_windows(user):
    """The windows a user may organise gatherings and send pushes for: their own (every active one for the
    administrator)."""
    scope = get_scope(user)
    if scope.is_superuser:
        return Window.objects.filter(is_active=True)
    if Role.WINDOW not in scope.roles:
        return Window.objects.none()
    return Window.objects.filter(pk__in=scope.window_ids)


def serves_talent(user, talent) -> bool:
    """Window staff over the talent's home window (they keep the talent's record)."""
    return acts_for_window(user, talent.home_window)


def is_unit_commissioner_of(user, talent) -> bool:
    scope = get_scope(user)
    return bool(scope.unit_post_ids) and unit_talent_ids(scope).filter(talent_id=talent.pk).exists()


def is_the_talent(user, talent_id) -> bool:
    return get_scope(user).talent_id == talent_id


def gatherings_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # A system administrator sees everything.
    if scope.is_superuser:
        return queryset
    conditions = []
    # A window sees the gatherings of its window and of the windows below it.
    if Role.WINDOW in scope.roles:
        conditions.append(window_condition(scope, "window__path"))
    # A talent sees the gatherings they are invited to.
    if scope.talent_id:
        conditions.append(Q(invitations__talent_id=scope.talent_id))
    combined = any_of(c for c in conditions if c is not None)
    return queryset.filter(combined).distinct() if combined is not None else queryset.none()


def invitations_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    if scope.is_superuser:
        return queryset
    conditions = []
    # The organising window (and those above it) sees every invitation of its gatherings.
    if Role.WINDOW in scope.roles:
        conditions.append(window_condition(scope, "gathering__window__path"))
    # A talent sees their own.
    if scope.talent_id:
        conditions.append(Q(talent_id=scope.talent_id))
    combined = any_of(c for c in conditions if c is not None)
    return queryset.filter(combined) if combined is not None else queryset.none()


def achievements_visible_to(queryset, user):
    # Published achievements are public; the rest need-to-know.
    condition = Q(status="published")
    scope = get_scope(user)
    if scope.is_superuser:
        return queryset
    # The talent sees their own.
    if scope.talent_id:
        condition |= Q(talent_id=scope.talent_id)
    # Their unit commissioner sees the talents' they serve.
    if scope.unit_post_ids:
        condition |= Q(talent_id__in=unit_talent_ids(scope))
    # A window sees those of talents at home in its jurisdiction.
    by_window = window_condition(scope, "talent__home_window__path")
    if by_window is not None:
        condition |= by_window
    return queryset.filter(condition)


def achievements_in_charge(queryset, user):
    """The achievements a user keeps (without the public ones): their talents' as window or unit
    commissioner."""
    scope = get_scope(user)
    if scope.is_superuser:
        return queryset
    conditions = []
    if scope.unit_post_ids:
        conditions.append(Q(talent_id__in=unit_talent_ids(scope)))
    conditions.append(window_condition(scope, "talent__home_window__path"))
    combined = any_of(c for c in conditions if c is not None)
    return queryset.filter(combined) if combined is not None else queryset.none()


def pushes_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    if scope.is_superuser:
        return queryset
    conditions = []
    # A window sees the pushes sent by itself and the windows below it.
    if Role.WINDOW in scope.roles:
        conditions.append(window_condition(scope, "window__path"))
    # A talent sees the pushes they received.
    if scope.talent_id:
        conditions.append(Q(receipts__talent_id=scope.talent_id))
    combined = any_of(c for c in conditions if c is not None)
    return queryset.filter(combined).distinct() if combined is not None else queryset.none()


def grants_visible_to(queryset, user):
    """Grants are about one talent: seen by whoever may see the talent."""
    return queryset.filter(talent__in=Talent.objects.visible_to(user))


def get_gathering_for_user(user, pk) -> Gathering:
    gathering = (
        Gathering.objects.visible_to(user).filter(pk=pk).select_related("window", "created_by").first()
    )
    if gathering is None:
        raise Http404
    return gathering


def get_achievement_for_user(user, pk) -> Achievement:
    achievement = (
        Achievement.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("talent__home_window", "talent__category", "recorded_by")
        .first()
    )
    if achievement is None:
        raise Http404
    return achievement


def get_push_for_user(user, pk) -> Push:
    push = (
        Push.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("window", "sent_by", "policy", "service_item")
        .first()
    )
    if push is None:
        raise Http404
    return push


def rules_visible_to(queryset, user):
    """Rules say who is eligible for public policies and items: every window commissioner sees them."""
    return queryset if is_window_staff(user) else queryset.none()


def get_rule_for_user(user, pk) -> EligibilityRule:
    rule = rules_visible_to(EligibilityRule.objects.with_targets(), user).filter(pk=pk).first()
    if rule is None:
        raise Http404
    return rule


def get_talent_for_user(user, pk) -> Talent:
    talent = (
        Talent.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("category", "employer", "home_window")
        .first()
    )
    if talent is None:
        raise Http404
    return talent
