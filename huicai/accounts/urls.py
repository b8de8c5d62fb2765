from django.urls import path

from huicai.accounts import views
from huicai.core.routes import LOGIN

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("unlock/", views.unlock, name="unlock"),
    path("audit/export/", views.audit_export, name="audit_export"),
]

# Every route of this app with its access policy (the rest are in core/routes.py).
ROUTE_POLICIES = {"accounts:audit_export": LOGIN}
