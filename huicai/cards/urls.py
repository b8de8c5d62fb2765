from django.urls import path

from huicai.cards import views
from huicai.core.routes import LOGIN, PUBLIC

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

# Every route of this app with its access policy; see core/routes.py. The validity check is public: it
# shows a card's kind, tier and dates, never its holder.
ROUTE_POLICIES = {
    "cards:list": LOGIN,
    "cards:talents": LOGIN,
    "cards:apply": LOGIN,
    "cards:detail": LOGIN,
    "cards:step": LOGIN,
    "cards:material": LOGIN,
    "cards:mine": LOGIN,
    "cards:lost": LOGIN,
    "cards:revoke": LOGIN,
    "cards:verify": PUBLIC,
    "card-application-list": LOGIN,
    "card-application-detail": LOGIN,
    "card-application-approve": LOGIN,
    "card-application-return": LOGIN,
    "card-application-resubmit": LOGIN,
    "card-application-withdraw": LOGIN,
}
