from huicai.core.routes import LOGIN, PUBLIC  # noqa: F401

app_name = "outreach"
urlpatterns = []

# Every route of this app (pages, and its API route names) with its access policy; see core/routes.py.
ROUTE_POLICIES = {}
