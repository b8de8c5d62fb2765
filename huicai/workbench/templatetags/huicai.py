"""Tags of the page frame (``base.html``, the admin index): they compose several apps, so they live in the
top UI app rather than in core, which imports no app. The library keeps its name: ``{% load huicai %}``."""

from django import template
from django.utils import timezone

from huicai.accounts.roles import Role, get_scope
from huicai.workdays.calendar import calendar_warning

register = template.Library()


@register.inclusion_tag("workbench/partials/calendar_warning.html", takes_context=True)
def calendar_warning_banner(context):
    """Tell administrators, from November, that next year's official calendar is not entered yet (W9)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    message = None
    # Staff first: the check costs nobody else a query (city managers are staff users).
    if user is not None and user.is_authenticated and (user.is_superuser or user.is_staff):
        if user.is_superuser or Role.CITY_ADMIN in get_scope(user).roles:
            message = calendar_warning(timezone.localdate())
    return {"message": message}
