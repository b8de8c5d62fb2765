"""Who sees and acts on 惠才卡 applications (S11-4). Unseen is 404; seen but not yours to act on is 403.

- the unit commissioner applies for their own talents (the open one-to-one assignment, S6), corrects a
  returned application and may withdraw it; they see the applications of their current talents;
- the talent's home window and the windows above it review (approve or return with a reason) and see them;
- the talent sees their own applications and cards;
- the system administrator sees everything but reviews nothing: a step is taken by whoever holds the post.
"""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from huicai.accounts.roles import Role, any_of, get_scope, window_condition
from huicai.cards.choices import ApplicationStatus
from huicai.commissioners.access import unit_talent_ids
from huicai.core.transitions import Step, StepTable
from huicai.talents.models import Talent, TalentCard


def applications_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    if scope.is_superuser:
        return queryset
    conditions = []
    # The talent's home window and the windows above it.
    by_window = window_condition(scope, "window__path")
    if by_window is not None:
        conditions.append(by_window)
    # The talent's current unit commissioner.
    if scope.unit_post_ids:
        conditions.append(Q(talent_id__in=unit_talent_ids(scope)))
    # The talent themself.
    if scope.talent_id:
        conditions.append(Q(talent_id=scope.talent_id))
    combined = any_of(conditions)
    return queryset.none() if combined is None else queryset.filter(combined)


def is_unit_commissioner_of(user, talent) -> bool:
    scope = get_scope(user)
    return (
        bool(scope.unit_post_ids)
        and talent.unit_assignments.open().filter(post_id__in=scope.unit_post_ids).exists()
    )


def reviews_for(user, window) -> bool:
    """Window staff of ``window`` or of a window above it (the talent's home window chain)."""
    scope = get_scope(user)
    return Role.WINDOW in scope.roles and any(window.path.startswith(path) for path in scope.window_paths)


def uses_cards(user) -> bool:
    """For the menu and the list page: unit commissioners apply, window staff review."""
    scope = get_scope(user)
    return bool(scope.unit_post_ids) or Role.WINDOW in scope.roles or scope.is_superuser


def is_talent_user(user) -> bool:
    return bool(get_scope(user).talent_id)


def may_report_lost(user, card) -> bool:
    """The talent, their unit commissioner and their window chain may report a card lost."""
    talent = card.talent
    return (
        get_scope(user).talent_id == talent.pk
        or is_unit_commissioner_of(user, talent)
        or reviews_for(user, talent.home_window)
    )


def may_revoke(user, card) -> bool:
    return reviews_for(user, card.talent.home_window)


def _applicant(user, application, **_context) -> bool:
    return is_unit_commissioner_of(user, application.talent)


def _reviewer(user, application, **_context) -> bool:
    return reviews_for(user, application.window)


STEPS = StepTable(
    [
        Step("approve", _("批准发卡"), (ApplicationStatus.SUBMITTED,), _reviewer),
        Step("return", _("退回补正"), (ApplicationStatus.SUBMITTED,), _reviewer),
        Step("add_material", _("补充材料"), (ApplicationStatus.RETURNED,), _applicant),
        Step("resubmit", _("补正后重新提交"), (ApplicationStatus.RETURNED,), _applicant),
        Step(
            "withdraw", _("撤回申请"), (ApplicationStatus.SUBMITTED, ApplicationStatus.RETURNED), _applicant
        ),
    ],
    refusal=_("该申请当前为“%(status)s”，不能执行此操作（可能已被他人处理，请刷新）。"),
)


def allowed_steps(user, application) -> list[str]:
    return [step.name for step in STEPS.available(user, application)]


def get_application_for_user(user, pk):
    from huicai.cards.models import CardApplication

    try:
        return (
            CardApplication.objects.visible_to(user)
            .select_related("talent__category", "talent__home_window", "window", "card", "previous_card")
            .get(pk=int(pk))
        )
    except (CardApplication.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def get_card_for_user(user, pk):
    """A card the user may see: their own, their unit talents', their window subtree's."""
    try:
        return (
            TalentCard.objects.filter(talent__in=cards_talents_visible_to(user))
            .select_related("talent__home_window")
            .get(pk=int(pk))
        )
    except (TalentCard.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def cards_talents_visible_to(user):
    """The talents whose cards the user may see here: not a department's (need-to-know)."""
    scope = get_scope(user)
    if scope.is_superuser:
        return Talent.objects.all()
    conditions = []
    by_window = window_condition(scope, "home_window__path")
    if by_window is not None:
        conditions.append(by_window)
    if scope.unit_post_ids:
        conditions.append(Q(pk__in=unit_talent_ids(scope)))
    if scope.talent_id:
        conditions.append(Q(pk=scope.talent_id))
    combined = any_of(conditions)
    return Talent.objects.none() if combined is None else Talent.objects.filter(combined)
