from django.urls import path

from huicai.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("unlock/", views.unlock, name="unlock"),
]
