from django.urls import path

from huicai.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.read_all, name="read_all"),
    path("unread-count/", views.unread_count, name="unread_count"),
    path("<int:pk>/read/", views.read, name="read"),
]
