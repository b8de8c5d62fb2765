from django.urls import path

from huicai.core.routes import LOGIN
from huicai.privacy import views

app_name = "privacy"
urlpatterns = [
    path("mine/", views.my_data, name="mine"),
    path("mine/export.json", views.export_json, name="export_json"),
    path("mine/export.pdf", views.export_pdf, name="export_pdf"),
    path("mine/requests/", views.file_request, name="file_request"),
    path("mine/consents/<int:pk>/withdraw/", views.withdraw_consent, name="withdraw_consent"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
]

# Every route of this app with its access policy; see core/routes.py.
ROUTE_POLICIES = {
    "privacy:mine": LOGIN,
    "privacy:export_json": LOGIN,
    "privacy:export_pdf": LOGIN,
    "privacy:file_request": LOGIN,
    "privacy:withdraw_consent": LOGIN,
    "privacy:requests": LOGIN,
    "privacy:request": LOGIN,
}
