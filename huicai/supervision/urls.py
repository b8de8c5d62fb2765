from django.urls import path

from huicai.core.routes import LOGIN
from huicai.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.board, name="board"),
    path("cards/<int:pk>/", views.card_detail, name="card"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/respond/", views.order_respond, name="order_respond"),
    path("orders/<int:pk>/close/", views.order_close, name="order_close"),
    path("orders/<int:pk>/withdraw/", views.order_withdraw, name="order_withdraw"),
    path("tasks/<int:task_pk>/order/", views.order_create, name="order_create"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/export/", views.round_export, name="round_export"),
    path("rounds/<int:pk>/entries/<int:entry_pk>/answer/", views.round_answer, name="round_answer"),
]

# Every route of this app (pages, and its API route names) with its access policy; see core/routes.py.
ROUTE_POLICIES = {
    "supervision:board": LOGIN,
    "supervision:card": LOGIN,
    "supervision:orders": LOGIN,
    "supervision:order": LOGIN,
    "supervision:order_respond": LOGIN,
    "supervision:order_close": LOGIN,
    "supervision:order_withdraw": LOGIN,
    "supervision:order_create": LOGIN,
    "supervision:rounds": LOGIN,
    "supervision:round_create": LOGIN,
    "supervision:round": LOGIN,
    "supervision:round_close": LOGIN,
    "supervision:round_export": LOGIN,
    "supervision:round_answer": LOGIN,
    "supervision-order-list": LOGIN,
    "supervision-order-detail": LOGIN,
    "supervision-order-respond": LOGIN,
    "supervision-order-close": LOGIN,
    "supervision-order-withdraw": LOGIN,
    "supervision-round-list": LOGIN,
    "supervision-round-detail": LOGIN,
    "supervision-round-entries": LOGIN,
    "supervision-round-answer": LOGIN,
    "supervision-round-close": LOGIN,
    "supervision-card-list": LOGIN,
    "supervision-card-detail": LOGIN,
}
