"""The API's URLconf: every app's endpoints on one router, with the schema and its browsable docs.

It lives at project level, beside ``urls.py``: ``huicai.api`` is the toolkit every app's ``api.py`` builds
on (errors, pagination), so it cannot also import those modules.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from huicai import errors
from huicai.accounts import api as accounts_api
from huicai.api.routers import Router
from huicai.cards import api as cards_api
from huicai.casework import api as casework_api
from huicai.catalogue import api as catalogue_api
from huicai.commissioners import api as commissioners_api
from huicai.directservices import api as directservices_api
from huicai.exchange import api as exchange_api
from huicai.grading import api as grading_api
from huicai.hotlines import api as hotlines_api
from huicai.notifications import api as notifications_api
from huicai.outreach import api as outreach_api
from huicai.policies import api as policies_api
from huicai.provsync import api as provsync_api
from huicai.ratings import api as ratings_api
from huicai.staffing import api as staffing_api
from huicai.supervision import api as supervision_api
from huicai.talents.api import TalentViewSet
from huicai.workbench import api as workbench_api
from huicai.workdays import api as workdays_api

router = Router()
accounts_api.register(router)
notifications_api.register(router)
router.register("talents", TalentViewSet, basename="talent")
workdays_api.register(router)
catalogue_api.register(router)
policies_api.register(router)
casework_api.register(router)
directservices_api.register(router)
supervision_api.register(router)
ratings_api.register(router)
hotlines_api.register(router)
outreach_api.register(router)
grading_api.register(router)
cards_api.register(router)
provsync_api.register(router)
workbench_api.register(router)
exchange_api.register(router)
commissioners_api.register(router)
staffing_api.register(router)

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    # Anything else under /api/ is the API's JSON 404, in DEBUG too (Django's technical 404 page is HTML).
    re_path(r"^", errors.api_not_found, name="api-not-found"),
]
