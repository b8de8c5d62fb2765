from django.urls import path

from huicai.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.catalogue_list, name="list"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/filings/", views.filing_list, name="filings"),
    path("staff/new/", views.item_create, name="create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.item_edit, name="edit"),
    path("staff/<int:pk>/file/", views.item_file, name="file"),
    path("staff/<int:pk>/acknowledge/", views.item_acknowledge, name="acknowledge"),
    path("staff/<int:pk>/return/", views.item_return, name="return"),
    path("staff/<int:pk>/publish/", views.item_publish, name="publish"),
    # Item codes are upper-case letters, digits and hyphens, so "staff" can never be one.
    path("<str:code>/", views.catalogue_detail, name="detail"),
]
