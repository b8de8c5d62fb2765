from django.urls import path

from huicai.core.routes import LOGIN
from huicai.workbench import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("talent/", views.talent_board, name="talent"),
    path("unit/", views.unit_board, name="unit"),
    path("window/", views.window_board, name="window"),
    path("queue/", views.queue_board, name="queue"),
    path("sections/<slug:name>/", views.section, name="section"),
    # One-click actions of the boards (POST; they call casework's actions).
    path("window/applications/<int:pk>/split/", views.split, name="split"),
    path("window/tasks/<int:pk>/reroute/", views.reroute, name="reroute"),
    path("window/extensions/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("unit/tasks/<int:pk>/inform/", views.inform, name="inform"),
    # The new-application wizard: choose the talent, the items, upload, consent, review and submit.
    path("apply/", views.apply_talent, name="apply"),
    path("apply/talents/<int:talent_pk>/", views.apply_items, name="apply_items"),
    path("apply/<int:pk>/materials/", views.apply_materials, name="apply_materials"),
    path("apply/<int:pk>/consent/", views.apply_consent, name="apply_consent"),
    path("apply/<int:pk>/review/", views.apply_review, name="apply_review"),
    # The managers' dashboard (W17), its data, its export and the lists behind its charts.
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/data/", views.dashboard_data, name="dashboard_data"),
    path("dashboard/export/", views.dashboard_export, name="dashboard_export"),
    path("dashboard/applications/", views.dashboard_applications, name="dashboard_applications"),
    path("dashboard/tasks/", views.dashboard_tasks, name="dashboard_tasks"),
]

# Every route of this app with its access policy; see core/routes.py. All are for signed-in people.
ROUTE_POLICIES = {
    "workbench:home": LOGIN,
    "workbench:talent": LOGIN,
    "workbench:unit": LOGIN,
    "workbench:window": LOGIN,
    "workbench:queue": LOGIN,
    "workbench:section": LOGIN,
    "workbench:split": LOGIN,
    "workbench:reroute": LOGIN,
    "workbench:acknowledge": LOGIN,
    "workbench:inform": LOGIN,
    "workbench:apply": LOGIN,
    "workbench:apply_items": LOGIN,
    "workbench:apply_materials": LOGIN,
    "workbench:apply_consent": LOGIN,
    "workbench:apply_review": LOGIN,
    "workbench:dashboard": LOGIN,
    "workbench:dashboard_data": LOGIN,
    "workbench:dashboard_export": LOGIN,
    "workbench:dashboard_applications": LOGIN,
    "workbench:dashboard_tasks": LOGIN,
}
