from django.urls import path

from huicai.core.routes import LOGIN
from huicai.provsync import views

app_name = "provsync"
urlpatterns = [
    path("", views.home, name="home"),
    path("changes/", views.download, name="download"),
    path("batches/<int:pk>/resend/", views.resend, name="resend"),
    path("reconciliations/", views.reconcile, name="reconcile"),
    path("reconciliations/<int:pk>/", views.reconciliation_detail, name="reconciliation"),
    path("reconciliations/<int:pk>/report.xlsx", views.reconciliation_report, name="reconciliation_report"),
]

# Every route of this app (pages, and its API route names) with its access policy; see core/routes.py.
ROUTE_POLICIES = {
    "provsync:home": LOGIN,
    "provsync:download": LOGIN,
    "provsync:resend": LOGIN,
    "provsync:reconcile": LOGIN,
    "provsync:reconciliation": LOGIN,
    "provsync:reconciliation_report": LOGIN,
    "province-change-list": LOGIN,
    "province-change-export": LOGIN,
    "province-batch-list": LOGIN,
    "province-batch-detail": LOGIN,
}
