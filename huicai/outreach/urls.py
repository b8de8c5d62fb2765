from django.urls import path

from huicai.core.routes import LOGIN
from huicai.outreach import views

app_name = "outreach"
urlpatterns = [
    path("", views.difficulty_list, name="difficulties"),
    path("difficulties/new/", views.difficulty_create, name="difficulty_create"),
    path("difficulties/<int:pk>/", views.difficulty_detail, name="difficulty"),
    path("difficulties/<int:pk>/<slug:step>/", views.difficulty_step, name="difficulty_step"),
    path("checkins/", views.round_list, name="rounds"),
    path("checkins/new/", views.round_create, name="round_create"),
    path("checkins/pending/", views.pending, name="pending"),
    path("checkins/<int:pk>/", views.round_detail, name="round"),
    path("checkins/<int:pk>/close/", views.round_close, name="round_close"),
    path("checkins/entries/<int:pk>/answer/", views.entry_answer, name="entry_answer"),
]

# Every route of this app (pages, and its API route names) with its access policy; see core/routes.py.
ROUTE_POLICIES = {
    "outreach:difficulties": LOGIN,
    "outreach:difficulty_create": LOGIN,
    "outreach:difficulty": LOGIN,
    "outreach:difficulty_step": LOGIN,
    "outreach:rounds": LOGIN,
    "outreach:round_create": LOGIN,
    "outreach:pending": LOGIN,
    "outreach:round": LOGIN,
    "outreach:round_close": LOGIN,
    "outreach:entry_answer": LOGIN,
    # The API (huicai/outreach/api.py).
    "difficulty-list": LOGIN,
    "difficulty-detail": LOGIN,
    "difficulty-start": LOGIN,
    "difficulty-escalate": LOGIN,
    "difficulty-respond": LOGIN,
    "difficulty-close": LOGIN,
    "difficulty-link-catalogue": LOGIN,
    "checkin-round-list": LOGIN,
    "checkin-round-detail": LOGIN,
    "checkin-round-close": LOGIN,
    "checkin-entry-list": LOGIN,
    "checkin-entry-detail": LOGIN,
    "checkin-entry-answer": LOGIN,
}
