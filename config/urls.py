from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from supportdesk.api.v1.health.views import healthz, readyz
from supportdesk.dashboards.metrics import metrics

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("admin/me/", include("supportdesk.agents.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("supportdesk.api.urls")),
    path("dashboard/", include("supportdesk.dashboards.urls")),
    path("metrics", metrics, name="metrics"),
    path("files/", include("supportdesk.attachments.links")),  # signed e-mail links
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
]
