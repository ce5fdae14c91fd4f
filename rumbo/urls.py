from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog

from rumbo.api import api, unknown_endpoint

# The API first: Django tries the patterns in order, and the API's requests are the busiest.
urlpatterns = [
    path("api/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", unknown_endpoint),
    path("targets/quotas/", include("rumbo.quotas.urls")),
    path("", include("rumbo.reports.urls")),
    path("", include("rumbo.core.urls")),
    path("accounts/", include("rumbo.customers.urls")),
    path("territories/design/", include("rumbo.design.urls")),
    path("territories/", include("rumbo.territories.urls")),
    path("geo/", include("rumbo.geo.urls")),
    path("imports/", include("rumbo.imports.urls")),
    path("orders/", include("rumbo.orders.urls")),
    path("", include("rumbo.orders.pwa_urls")),
    path("", include("rumbo.interactions.urls")),
    path("prospects/", include("rumbo.prospects.urls")),
    path("team/", include("rumbo.team.urls")),
    path("coverage/", include("rumbo.coverage.urls")),
    path("seasons/", include("rumbo.seasons.urls")),
    path("visits/", include("rumbo.visits.urls")),
    path("review/", include("rumbo.review.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]
