from django.urls import path

from huicai.directservices import views

app_name = "directservices"
urlpatterns = [
    path("record/", views.record, name="record"),
    path("services/", views.service_list, name="services"),
    path("appointments/", views.appointment_list, name="appointments"),
    path("appointments/new/", views.appointment_create, name="appointment_create"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment"),
    path("appointments/<int:pk>/<slug:step>/", views.appointment_step, name="appointment_step"),
]
