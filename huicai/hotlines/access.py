"""Who sees the hotline orders page: window commissioners and the city (S12-2, S14).

- the city (a manager of the root window, or a system administrator) sees every order, refused ones
  included: a refusal has no case, so no jurisdiction, and is the city's to follow up with the hotline;
- a window commissioner sees the accepted orders whose case they may see, that is of talents at home in
  the window's jurisdiction (``Application.objects.visible_to``);
- nobody else sees the page (403); an order outside one's jurisdiction is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huicai.accounts.roles import Role, get_scope
from huicai.casework.models import Application
from huicai.hotlines.models import InboundOrder


def can_use_page(user) -> bool:
    scope = get_scope(user)
    return scope.is_city_wide or Role.WINDOW in scope.roles


def orders_visible_to(queryset, user):
    if user is None or not user.is_authenticated:
        return queryset.none()
    scope = get_scope(user)
    # The city sees every order, refused ones included.
    if scope.is_city_wide:
        return queryset
    # A window sees the orders whose case it may see (talents at home in its jurisdiction).
    if Role.WINDOW in scope.roles:
        return queryset.filter(application__in=Application.objects.visible_to(user))
    return queryset.none()


def get_order_for_user(user, pk):
    if not can_use_page(user):
        raise PermissionDenied
    order = (
        InboundOrder.objects.visible_to(user)
        .filter(pk=pk)
        .select_related("application__talent", "application__window", "application__hotline_delivery")
        .first()
    )
    if order is None:
        raise Http404
    return order
