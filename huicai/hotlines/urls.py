from django.urls import path

from huicai.core.routes import LOGIN
from huicai.hotlines import views

app_name = "hotlines"
urlpatterns = [
    path("", views.order_list, name="orders"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("inbound/<slug:hotline>/orders/", views.inbound_orders, name="inbound_orders"),
    path("inbound/<slug:hotline>/ratings/", views.inbound_ratings, name="inbound_ratings"),
]

# Every route of this app (pages, and its API route names) with its access policy; see core/routes.py.
# The webhooks need no session but do need authentication, by signature: an unsigned request gets 401,
# which is what LOGIN declares.
ROUTE_POLICIES = {
    "hotlines:orders": LOGIN,
    "hotlines:order": LOGIN,
    "hotlines:inbound_orders": LOGIN,
    "hotlines:inbound_ratings": LOGIN,
}
