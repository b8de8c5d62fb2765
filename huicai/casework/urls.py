from django.urls import path

from huicai.casework import views
from huicai.core.routes import LOGIN

app_name = "casework"
urlpatterns = [
    path("applications/", views.application_list, name="applications"),
    path("applications/new/", views.application_create, name="application_create"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/<slug:step>/", views.application_step, name="application_step"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/materials/", views.task_upload, name="task_upload"),
    path("tasks/<int:pk>/result-document/", views.result_document_download, name="result_document"),
    path("tasks/<int:pk>/<slug:step>/", views.task_step, name="task_step"),
    path("extensions/<int:pk>/acknowledge/", views.extension_acknowledge, name="extension_acknowledge"),
    path("extensions/<int:pk>/<slug:decision>/", views.extension_decide, name="extension_decide"),
    path("materials/<int:pk>/", views.material_download, name="material"),
]

# Each view checks the user's part of the case itself (404 outside it, 403 for a step not theirs).
ROUTE_POLICIES = {
    "casework:task_upload": LOGIN,
    "casework:result_document": LOGIN,
    "casework:extension_decide": LOGIN,
    "task-approve-extension": LOGIN,
    "task-refuse-extension": LOGIN,
    "task-result-document": LOGIN,
}
