from django.contrib import admin
from django.urls import include, path

from huicai.core import views as core_views
from huicai.workbench import views as workbench_views

admin.site.site_header = "惠才 · 高层次人才服务平台管理"
admin.site.site_title = "惠才管理"
admin.site.index_title = "管理首页"

urlpatterns = [
    path("", workbench_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("huicai.accounts.urls")),
    path("talents/", include("huicai.talents.urls")),
    path("commissioners/", include("huicai.commissioners.urls")),
    path("notifications/", include("huicai.notifications.urls")),
    path("workdays/", include("huicai.workdays.urls")),
    path("catalogue/", include("huicai.catalogue.urls")),
    path("policies/", include("huicai.policies.urls")),
    path("cases/", include("huicai.casework.urls")),
    path("direct/", include("huicai.directservices.urls")),
    path("supervision/", include("huicai.supervision.urls")),
    path("ratings/", include("huicai.ratings.urls")),
    path("grading/", include("huicai.grading.urls")),
    path("hotlines/", include("huicai.hotlines.urls")),
    path("outreach/", include("huicai.outreach.urls")),
    path("provsync/", include("huicai.provsync.urls")),
    path("privacy/", include("huicai.privacy.urls")),
    path("archives/", include("huicai.archives.urls")),
    path("filings/", include("huicai.filings.urls")),
    path("staffing/", include("huicai.staffing.urls")),
    path("engagement/", include("huicai.engagement.urls")),
    path("cards/", include("huicai.cards.urls")),
    path("workbench/", include("huicai.workbench.urls")),
    path("exchange/", include("huicai.exchange.urls")),
    path("api/", include("huicai.api_urls")),
    path("admin/", admin.site.urls),
]

# Errors outside any view: JSON in the API's documented shape under /api/, Chinese pages elsewhere.
handler400 = "huicai.errors.bad_request"
handler403 = "huicai.errors.permission_denied"
handler404 = "huicai.errors.page_not_found"
handler500 = "huicai.errors.server_error"
