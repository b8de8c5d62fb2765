from django.urls import path

from huicai.accounts import views
from huicai.core.routes import LOGIN, PUBLIC

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("unlock/", views.unlock, name="unlock"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("me/", views.me, name="me"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("second-factor/enrol/", views.second_factor_enrol, name="second_factor_enrol"),
    path("second-factor/reset/", views.second_factor_reset, name="second_factor_reset"),
    path("reactivate/", views.reactivate, name="reactivate"),
    path("password/", views.password_change, name="password_change"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_sent, name="password_reset_sent"),
    path("password/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
]

# Sign-in pages (issue 14): asking for and using a reset link needs no sign-in; everything else does.
ROUTE_POLICIES = {
    "accounts:audit_export": LOGIN,
    "accounts:me": LOGIN,
    "accounts:second_factor": LOGIN,
    "accounts:second_factor_enrol": LOGIN,
    "accounts:second_factor_reset": LOGIN,
    "accounts:reactivate": LOGIN,
    "accounts:password_change": LOGIN,
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_sent": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,
    # API tokens (accounts/api.py): signing in is open to anyone with a password, the rest is not.
    "token-sign-in": PUBLIC,
    "token-sign-out": LOGIN,
    "token-list": LOGIN,
    "token-detail": LOGIN,
    "token-revoke": LOGIN,
}
