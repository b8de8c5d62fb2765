from django.urls import path

from huicai.core.routes import LOGIN
from huicai.grading import views

app_name = "grading"
urlpatterns = [
    path("", views.evaluation_list, name="evaluations"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path("evaluations/<int:pk>/publish/", views.evaluation_publish, name="evaluation_publish"),
    path("results/<int:pk>/", views.result_detail, name="result"),
    path("results/<int:pk>/records/<slug:code>/", views.result_records, name="result_records"),
    path("results/<int:pk>/<slug:step>/", views.result_step, name="result_step"),
    path("rubrics/", views.rubric_list, name="rubrics"),
    path("interviews/", views.interview_list, name="interviews"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview"),
    path("interviews/<int:pk>/<slug:step>/", views.interview_step, name="interview_step"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/issue/", views.report_issue, name="report_issue"),
    path("reports/<int:pk>/download/<slug:fmt>/", views.report_download, name="report_download"),
]

# Every route of this app with its access policy; see core/routes.py.
ROUTE_POLICIES = {
    **{f"grading:{p.name}": LOGIN for p in urlpatterns},
    # The API's routes (huicai/grading/api.py).
    "grading-result-list": LOGIN,
    "grading-result-detail": LOGIN,
    "grading-result-object": LOGIN,
    "grading-result-answer": LOGIN,
    "grading-interview-list": LOGIN,
    "grading-interview-detail": LOGIN,
    "grading-interview-talk": LOGIN,
    "grading-interview-explain": LOGIN,
    "grading-interview-plan": LOGIN,
    "grading-interview-close": LOGIN,
}
