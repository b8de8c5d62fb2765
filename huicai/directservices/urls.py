from django.urls import path

from huicai.core.routes import LOGIN
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

# Every route of this app with its access policy (pages and API route names); see core/routes.py.
ROUTE_POLICIES = {
    "directservices:record": LOGIN,
    "directservices:services": LOGIN,
    "directservices:appointments": LOGIN,
    "directservices:appointment_create": LOGIN,
    "directservices:appointment": LOGIN,
    "directservices:appointment_step": LOGIN,
    "direct-service-list": LOGIN,
    "direct-service-detail": LOGIN,
    "direct-service-lookup": LOGIN,
    "appointment-list": LOGIN,
    "appointment-detail": LOGIN,
    "appointment-confirm": LOGIN,
    "appointment-decline": LOGIN,
    "appointment-cancel": LOGIN,
    "appointment-complete": LOGIN,
}
