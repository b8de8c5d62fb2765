from django.urls import path

from huicai.core.routes import LOGIN, PUBLIC
from huicai.engagement import views

app_name = "engagement"
urlpatterns = [
    # W5-4 events.
    path("gatherings/", views.gathering_list, name="gatherings"),
    path("gatherings/new/", views.gathering_create, name="gathering_create"),
    path("gatherings/<int:pk>/", views.gathering_detail, name="gathering"),
    path("gatherings/<int:pk>/invite/", views.gathering_invite, name="gathering_invite"),
    path("gatherings/<int:pk>/check-in/", views.gathering_checkin, name="gathering_checkin"),
    path("gatherings/<int:pk>/attend/<int:invitation_pk>/", views.gathering_tick, name="gathering_tick"),
    path("gatherings/<int:pk>/photos/", views.gathering_photo, name="gathering_photo"),
    path("gatherings/<int:pk>/close/", views.gathering_close, name="gathering_close"),
    path("gatherings/<int:pk>/cancel/", views.gathering_cancel, name="gathering_cancel"),
    # The talent's own pages (phone).
    path("me/", views.mine, name="mine"),
    path("me/gatherings/<int:pk>/", views.my_gathering, name="my_gathering"),
    path("me/invitations/<int:pk>/rsvp/", views.rsvp, name="rsvp"),
    path("me/preference/", views.preference, name="preference"),
    # W5-5 achievements.
    path("achievements/", views.achievement_list, name="achievements"),
    path("achievements/new/", views.achievement_create, name="achievement_create"),
    path("achievements/<int:pk>/", views.achievement_detail, name="achievement"),
    path("achievements/<int:pk>/consent/", views.achievement_consent, name="achievement_consent"),
    path("achievements/<int:pk>/withdraw/", views.achievement_withdraw, name="achievement_withdraw"),
    path("achievements/<int:pk>/publish/", views.achievement_publish, name="achievement_publish"),
    path("achievements/<int:pk>/photos/", views.achievement_photo, name="achievement_photo"),
    path("public/achievements/", views.public_achievements, name="public_achievements"),
    path("public/achievements/<int:pk>/", views.public_achievement, name="public_achievement"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    # W16-1 push and 政策找人.
    path("pushes/", views.push_list, name="pushes"),
    path("pushes/new/", views.push_create, name="push_create"),
    path("pushes/<int:pk>/", views.push_detail, name="push"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/policy/<int:policy_pk>/", views.rule_for_policy, name="rule_for_policy"),
    path("rules/item/<int:item_pk>/", views.rule_for_item, name="rule_for_item"),
    path("rules/<int:pk>/", views.rule_detail, name="rule"),
    path("rules/<int:pk>/offer/", views.rule_offer, name="rule_offer"),
    path("rules/<int:pk>/grant/<int:talent_pk>/", views.rule_grant, name="rule_grant"),
    path("talents/<int:pk>/", views.talent_benefits, name="talent"),
]

# Every route of this app with its access policy; see core/routes.py. Published achievements (with the
# talent's consent standing) and their photos are the public site (W5-5); the photo view checks each one.
ROUTE_POLICIES = {f"engagement:{p.name}": LOGIN for p in urlpatterns}
ROUTE_POLICIES.update(
    {
        "engagement:public_achievements": PUBLIC,
        "engagement:public_achievement": PUBLIC,
        "engagement:photo": PUBLIC,
    }
)
