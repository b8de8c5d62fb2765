from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from huicai.notifications.actions import mark_read
from huicai.notifications.models import Notification


@login_required
def inbox(request):
    notifications = Notification.objects.visible_to(request.user)
    page = Paginator(notifications, 25).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def read(request, pk):
    notification = Notification.objects.visible_to(request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    mark_read(notification, by=request.user, at=timezone.now())
    if notification.link.startswith("/"):
        return redirect(notification.link)
    return redirect("notifications:inbox")
