from django.urls import path

from huicai.core.routes import LOGIN
from huicai.ratings import views

app_name = "ratings"
urlpatterns = [
    path("", views.rating_list, name="list"),
    path("pending/", views.pending, name="pending"),
    path("rate/task/<int:pk>/", views.rate_task, name="rate_task"),
    path("rate/service/<int:pk>/", views.rate_service, name="rate_service"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    path("rectifications/<int:pk>/<slug:step>/", views.rectification_step, name="rectification_step"),
]

# Every route of this app (pages, and its API route names) with its access policy; see core/routes.py.
ROUTE_POLICIES = {
    "ratings:list": LOGIN,
    "ratings:pending": LOGIN,
    "ratings:rate_task": LOGIN,
    "ratings:rate_service": LOGIN,
    "ratings:rectifications": LOGIN,
    "ratings:rectification": LOGIN,
    "ratings:rectification_step": LOGIN,
    "rating-list": LOGIN,
    "rating-detail": LOGIN,
    "rating-pending": LOGIN,
    "rectification-list": LOGIN,
    "rectification-detail": LOGIN,
    "rectification-respond": LOGIN,
    "rectification-appeal": LOGIN,
    "rectification-callback": LOGIN,
    "rectification-rule": LOGIN,
}
