from django.urls import path

from huicai.cards import views

app_name = "cards"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("apply/", views.talents_to_apply_for, name="talents"),
    path("apply/<int:talent_pk>/", views.apply, name="apply"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/steps/<str:name>/", views.step, name="step"),
    path("<int:pk>/materials/<int:material_pk>/", views.material, name="material"),
    path("mine/", views.mine, name="mine"),
    path("card/<int:card_pk>/lost/", views.report_lost, name="lost"),
    path("card/<int:card_pk>/revoke/", views.revoke, name="revoke"),
    path("verify/", views.verify, name="verify"),
]
