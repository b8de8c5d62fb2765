from django.utils.functional import SimpleLazyObject

from huicai.notifications.models import Notification


def inbox(request):
    """The unread count for the header, evaluated only when a template uses it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": SimpleLazyObject(lambda: Notification.objects.visible_to(user).unread().count())}
