"""Tags of the page frame (``base.html``, the admin index): they compose several apps, so they live in the
top UI app rather than in core, which imports no app. The library keeps its name: ``{% load huicai %}``."""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from huicai.accounts.roles import Role, get_scope, is_staff_member
from huicai.workbench import menu
from huicai.workdays.calendar import calendar_warning

register = template.Library()


@register.inclusion_tag("workbench/partials/calendar_warning.html", takes_context=True)
def calendar_warning_banner(context):
    """Tell administrators, from November, that next year's official calendar is not entered yet (W9)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    message = None
    may_enter = False
    # Staff first: the check costs nobody else a query (city managers are staff users).
    if user is not None and user.is_authenticated and (user.is_superuser or user.is_staff):
        if user.is_superuser or Role.CITY_ADMIN in get_scope(user).roles:
            message = calendar_warning(timezone.localdate())
        if message:
            may_enter = may_open_calendar_admin(request)
    return {"message": message, "may_enter": may_enter}


def may_open_calendar_admin(request) -> bool:
    """Whether the calendar's admin page will open for this person, so the banner links there only then
    and otherwise says whom to ask. The system administrator always may; a city manager may only when
    given the admin permission, which the banner does not look up (two queries on every page in November
    and December): such a manager is told to ask the administrator, and still reaches the page from /admin/."""
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_superuser)


@register.inclusion_tag("workbench/partials/main_menu.html", takes_context=True)
def main_menu(context):
    """The menu entries the signed-in (or anonymous) person may use, the current one marked (menu.py)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    path = getattr(request, "path", "")
    entries = [
        {"label": entry.label, "url": entry.url, "badge": entry.badge, "current": False}
        for entry in menu.entries_for(user)
    ]
    # The current page is the entry with the longest URL the path starts with (/outreach/ and its pages).
    matching = [e for e in entries if (path == e["url"] if e["url"] == "/" else path.startswith(e["url"]))]
    if matching:
        max(matching, key=lambda e: len(e["url"]))["current"] = True
    return {"entries": entries, "request": request, "user": user, "unread_count": context.get("unread_count")}


@register.simple_tag(takes_context=True)
def article(context, *numbers):
    """An article of the measures as a hint, e.g. ``{% article "W13" "S14" %}`` → （W13、S14）, for staff only:
    talents and visitors read what a rule means, never its number (issue 12)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated and is_staff_member(user)):
        return ""
    return format_html('<small class="hint">（{}）</small>', "、".join(numbers))
