from django.urls import path

from huicai.core.routes import LOGIN, PUBLIC
from huicai.talents import views

app_name = "talents"
urlpatterns = [
    path("", views.talent_list, name="list"),
    path("new/", views.talent_create, name="create"),
    path("<int:pk>/", views.talent_detail, name="detail"),
    path("<int:pk>/reveal/", views.talent_reveal, name="reveal"),
    path("<int:pk>/invite/", views.talent_invite, name="invite"),
    path("invite/", views.talent_invite_bulk, name="invite_bulk"),
    path("<int:pk>/employer/", views.talent_change_employer, name="change_employer"),
    path("<int:pk>/unit-commissioner/", views.talent_assign, name="assign"),
    path("activate/<str:token>/", views.talent_activate, name="activate"),
]

ROUTE_POLICIES = {
    "talents:invite": LOGIN,
    "talents:invite_bulk": LOGIN,
    "talents:change_employer": LOGIN,
    "talents:assign": LOGIN,
    # The talent has no account yet: the one-time token is the credential.
    "talents:activate": PUBLIC,
    # The API (huicai/talents/api.py).
    "talent-invite": LOGIN,
    "talent-employer": LOGIN,
}
