from django.urls import path

from huicai.talents import views

app_name = "talents"
urlpatterns = [
    path("", views.talent_list, name="list"),
    path("new/", views.talent_create, name="create"),
    path("<int:pk>/", views.talent_detail, name="detail"),
    path("<int:pk>/reveal/", views.talent_reveal, name="reveal"),
]
