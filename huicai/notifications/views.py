"""The inbox: every signed-in user's own notifications, newest first, 25 to a page.

Each user sees only their own rows (``Notification.objects.visible_to``): another user's notification is a
404. The unread badge in the header can be refreshed by HTMX from ``unread-count/`` whenever a page sends
the ``huicai:notifications`` event (mark-all-read does).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from huicai.notifications.actions import mark_all_read, mark_read
from huicai.notifications.models import Notification

PAGE_SIZE = 25
# Sent to the browser after a change of the unread count, so the header badge reloads itself.
CHANGED_EVENT = "huicai:notifications"


def _inbox_page(request):
    notifications = Notification.objects.visible_to(request.user)
    return Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def inbox(request):
    page = _inbox_page(request)
    template = (
        "notifications/partials/notification_table.html"
        if request.htmx
        else "notifications/notification_list.html"
    )
    return render(request, template, {"page": page})


@login_required
@require_POST
def read(request, pk):
    notification = Notification.objects.visible_to(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    mark_read(notification, by=request.user, at=timezone.now())
    # Only a link on this site: "//elsewhere" or "https://elsewhere" would make the inbox an open redirect.
    if notification.link and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request):
    count = mark_all_read(by=request.user, at=timezone.now())
    if request.htmx:
        response = render(
            request, "notifications/partials/notification_table.html", {"page": _inbox_page(request)}
        )
        return trigger_client_event(response, CHANGED_EVENT)
    if count:
        messages.success(request, _("已将 %(count)s 条消息标为已读。") % {"count": count})
    return redirect("notifications:inbox")


@never_cache
@require_GET
def unread_count(request):
    """The header badge alone, for HTMX to swap in. A session that has expired sends the whole page to the
    login form rather than a login form into the badge."""
    if not request.user.is_authenticated:
        if request.htmx:
            return HttpResponseClientRedirect(redirect_to_login(request.htmx.current_url_abs_path or "/").url)
        return redirect_to_login(request.get_full_path())
    count = Notification.objects.visible_to(request.user).unread().count()
    return render(request, "notifications/partials/unread_badge.html", {"unread_count": count})
