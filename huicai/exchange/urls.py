from django.urls import path

from huicai.core.routes import LOGIN
from huicai.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.exchange_home, name="home"),
    path("upload/", views.upload, name="upload"),
    path("templates/<slug:kind>.xlsx", views.template_download, name="template"),
    path("export/<slug:kind>/", views.export_download, name="export"),
    path("imports/<int:pk>/", views.batch_detail, name="batch"),
    path("imports/<int:pk>/confirm/", views.batch_confirm, name="confirm"),
    path("imports/<int:pk>/report.xlsx", views.batch_report, name="report"),
]

# Every route of this app (pages, and its API route names) with its access policy; see core/routes.py.
ROUTE_POLICIES = {
    "exchange:home": LOGIN,
    "exchange:upload": LOGIN,
    "exchange:template": LOGIN,
    "exchange:export": LOGIN,
    "exchange:batch": LOGIN,
    "exchange:confirm": LOGIN,
    "exchange:report": LOGIN,
    # The API (huicai/exchange/api.py).
    "import-batch-list": LOGIN,
    "import-batch-detail": LOGIN,
    "import-batch-confirm": LOGIN,
    "import-batch-report": LOGIN,
    "exchange-detail": LOGIN,
}
