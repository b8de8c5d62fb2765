from django.urls import path

from huicai.core.routes import LOGIN
from huicai.filings import views

app_name = "filings"
urlpatterns = [
    path("", views.filing_list, name="list"),
    path("tree/", views.tree, name="tree"),
    path("<int:pk>/", views.filing_detail, name="detail"),
    path("<int:pk>/progress/", views.filing_progress, name="progress"),
    path("<int:pk>/v<int:number>.<str:fmt>", views.download, name="download"),
    path("<int:pk>/<slug:step>/", views.filing_step, name="step"),
]

# Every route of this app with its access policy; see core/routes.py.
ROUTE_POLICIES = {
    "filings:list": LOGIN,
    "filings:tree": LOGIN,
    "filings:detail": LOGIN,
    "filings:progress": LOGIN,
    "filings:download": LOGIN,
    "filings:step": LOGIN,
}
