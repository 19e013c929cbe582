from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import SimpleRouter

from supportdesk.api.v1.webhooks.views import WebhookEndpointViewSet

router = SimpleRouter(use_regex_path=False)
router.register("", WebhookEndpointViewSet, basename="webhook")

urlpatterns: list[URLPattern | URLResolver] = [path("", include(router.urls))]
