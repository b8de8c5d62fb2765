from django.urls import path

from huicai.commissioners import views
from huicai.core.routes import LOGIN

app_name = "commissioners"
urlpatterns = [
    path("", views.post_list, name="list"),
    path("new/", views.post_create, name="create"),
    path("<int:pk>/", views.post_detail, name="detail"),
    path("<int:pk>/end/", views.post_end, name="end"),
    path("<int:pk>/transfer/", views.post_transfer, name="transfer"),
    path("<int:pk>/contact/", views.post_contact, name="contact"),
    path("<int:pk>/reassign/", views.post_reassign, name="reassign"),
]

ROUTE_POLICIES = {
    "commissioners:list": LOGIN,
    "commissioners:create": LOGIN,
    "commissioners:detail": LOGIN,
    "commissioners:end": LOGIN,
    "commissioners:transfer": LOGIN,
    "commissioners:contact": LOGIN,
    "commissioners:reassign": LOGIN,
    # The API (huicai/commissioners/api.py).
    "post-list": LOGIN,
    "post-detail": LOGIN,
    "post-end": LOGIN,
    "post-transfer": LOGIN,
}
