from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from huicai.casework import api as casework_api
from huicai.catalogue import api as catalogue_api
from huicai.directservices import api as directservices_api
from huicai.policies import api as policies_api
from huicai.talents.api import TalentViewSet
from huicai.workdays import api as workdays_api

router = DefaultRouter()
router.register("talents", TalentViewSet, basename="talent")
workdays_api.register(router)
catalogue_api.register(router)
policies_api.register(router)
casework_api.register(router)
directservices_api.register(router)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]
