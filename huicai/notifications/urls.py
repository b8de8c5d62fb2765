from django.urls import path

from huicai.core.routes import LOGIN
from huicai.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.read_all, name="read_all"),
    path("unread-count/", views.unread_count, name="unread_count"),
    path("<int:pk>/read/", views.read, name="read"),
]

# The inbox over the API (notifications/api.py): one's own rows only.
ROUTE_POLICIES = {
    "notification-list": LOGIN,
    "notification-detail": LOGIN,
    "notification-read": LOGIN,
    "notification-read-all": LOGIN,
    "notification-unread-count": LOGIN,
}
