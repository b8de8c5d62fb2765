from django.urls import path

from huicai.core.routes import LOGIN
from huicai.staffing import views

app_name = "staffing"
urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("changes/", views.change_list, name="changes"),
    path("changes/new/", views.change_create, name="change_create"),
    path("changes/<int:pk>/", views.change_detail, name="change"),
    path("changes/<int:pk>/<slug:step>/", views.change_step, name="change_step"),
    path("training/", views.session_list, name="sessions"),
    path("training/new/", views.session_create, name="session_create"),
    path("training/hours/", views.training_hours, name="training_hours"),
    path("training/<int:pk>/", views.session_detail, name="session"),
    path("training/<int:pk>/attendance/", views.session_attendance, name="session_attendance"),
    path("training/<int:pk>/materials/", views.session_material, name="session_material"),
    path("training/materials/<int:pk>/", views.material_download, name="material"),
    path("weights/", views.weights, name="weights"),
    path("scorecards/", views.scorecard_list, name="scorecards"),
    path("scorecards/<int:pk>/", views.scorecard_detail, name="scorecard"),
    path("scorecards/<int:pk>/recompute/", views.scorecard_recompute, name="scorecard_recompute"),
    path("scorecards/<int:pk>/notice/", views.notice_create, name="notice_create"),
    path("scorecards/<int:pk>/<slug:component>/", views.scorecard_evidence, name="scorecard_evidence"),
    path("commendations/", views.commendation_list, name="commendations"),
    path("commendations/<int:pk>/", views.commendation_detail, name="commendation"),
    path("commendations/<int:pk>/decide/", views.commendation_decide, name="commendation_decide"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/<slug:step>/", views.notice_step, name="notice_step"),
]

ROUTE_POLICIES = {
    **{f"staffing:{pattern.name}": LOGIN for pattern in urlpatterns},
    # The API (huicai/staffing/api.py).
    "staffing-change-list": LOGIN,
    "staffing-change-detail": LOGIN,
    "staffing-change-file": LOGIN,
    "staffing-change-acknowledge": LOGIN,
    "staffing-scorecard-list": LOGIN,
    "staffing-scorecard-detail": LOGIN,
}
