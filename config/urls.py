from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from supportdesk.api.not_found import api_not_found
from supportdesk.api.v1.health.views import healthz, readyz
from supportdesk.dashboards.home import home
from supportdesk.dashboards.metrics import metrics

urlpatterns = [
    path("", home, name="home"),  # the admin's "View site": where each user's work is
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/me/", include("supportdesk.agents.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("supportdesk.api.urls")),
    path("dashboard/", include("supportdesk.dashboards.urls")),
    path("metrics", metrics, name="metrics"),
    path("files/", include("supportdesk.attachments.links")),  # signed e-mail links
    path("exports/", include("supportdesk.privacy.links")),  # signed export downloads
    path("mail/", include("supportdesk.mail.urls")),  # providers' inbound e-mail webhooks
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI and Redoc from drf-spectacular-sidecar (no CDN); the split view serves its
    # start-up script as a file, so the Content-Security-Policy needs no inline script
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    # last: whatever else is under /api/ is a JSON 404, never Django's HTML page
    re_path(r"^api/", api_not_found, name="api-not-found"),
]

# DEBUG off: the workspace's own translated error pages, JSON under /api/ (config/error_pages.py)
handler400 = "config.error_pages.bad_request"
handler403 = "config.error_pages.permission_denied"
handler404 = "config.error_pages.page_not_found"
handler500 = "config.error_pages.server_error"
