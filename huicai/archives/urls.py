from django.urls import path

from huicai.archives import views
from huicai.core.routes import LOGIN

app_name = "archives"
urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("talents/<int:pk>/", views.archive, name="talent"),
    path("talents/<int:pk>/reason/", views.reason, name="reason"),
    path("talents/<int:pk>/export.pdf", views.export_pdf, name="export_pdf"),
    path("talents/<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
]

# Every route of this app with its access policy; see core/routes.py.
ROUTE_POLICIES = {
    "archives:mine": LOGIN,
    "archives:talent": LOGIN,
    "archives:reason": LOGIN,
    "archives:export_pdf": LOGIN,
    "archives:export_xlsx": LOGIN,
}
