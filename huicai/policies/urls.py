from django.urls import path

from huicai.core.routes import LOGIN
from huicai.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("mine/", views.policy_mine, name="mine"),
    path("manage/", views.policy_manage, name="manage"),
    path("new/", views.policy_create, name="create"),
    path("<int:pk>/", views.policy_detail, name="detail"),
    path("<int:pk>/edit/", views.policy_edit, name="edit"),
    path("<int:pk>/publish/", views.policy_publish, name="publish"),
    path("<int:pk>/expire/", views.policy_expire, name="expire"),
    path("synonyms/", views.synonym_list, name="synonyms"),
    path("synonyms/<int:pk>/", views.synonym_edit, name="synonym_edit"),
    path("synonyms/<int:pk>/delete/", views.synonym_delete, name="synonym_delete"),
]

# The search synonyms' pages are window staff's (issue 12).
ROUTE_POLICIES = {
    "policies:synonyms": LOGIN,
    "policies:synonym_edit": LOGIN,
    "policies:synonym_delete": LOGIN,
}
