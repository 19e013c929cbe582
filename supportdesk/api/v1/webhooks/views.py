"""Client applications register webhook endpoints and read their delivery log."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from supportdesk.api.authentication import principal_of
from supportdesk.api.permissions import IsClientApp
from supportdesk.api.schema import errors
from supportdesk.api.v1.webhooks.serializers import (
    WebhookDeliveryOutputSerializer,
    WebhookEndpointCreatedSerializer,
    WebhookEndpointInputSerializer,
    WebhookEndpointOutputSerializer,
)
from supportdesk.clients.models import ClientApplication
from supportdesk.notifications import services
from supportdesk.notifications.models import WebhookEndpoint
from supportdesk.notifications.selectors import (
    webhook_deliveries_of,
    webhook_endpoints_visible_to,
)


@extend_schema_view(
    list=extend_schema(
        summary="My webhook endpoints",
        responses={200: WebhookEndpointOutputSerializer(many=True), **errors(401, 403)},
    ),
    retrieve=extend_schema(
        summary="One webhook endpoint",
        responses={200: WebhookEndpointOutputSerializer, **errors(401, 403, 404)},
    ),
    destroy=extend_schema(
        summary="Remove a webhook endpoint", responses={204: None, **errors(401, 403, 404)}
    ),
)
class WebhookEndpointViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[WebhookEndpoint],
):
    """Payloads are signed: `X-Supportdesk-Signature: t=<ts>,v1=<hex>`, the hex being
    HMAC-SHA256 of `<ts>.<raw body>` with the endpoint's secret (shown once, on create)."""

    permission_classes = (IsClientApp,)
    serializer_class = WebhookEndpointOutputSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return webhook_endpoints_visible_to(principal=principal_of(self.request))

    @extend_schema(
        summary="Register a webhook endpoint",
        request=WebhookEndpointInputSerializer,
        responses={201: WebhookEndpointCreatedSerializer, **errors(400, 401, 403, 415)},
    )
    def create(self, request: Request) -> Response:
        payload = WebhookEndpointInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        app = request.auth
        assert isinstance(app, ClientApplication)  # noqa: S101 - IsClientApp checked
        endpoint = services.webhook_endpoint_create(
            client_app=app,
            url=payload.validated_data["url"],
            events=payload.validated_data["events"],
        )
        return Response(
            WebhookEndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Change a webhook endpoint (URL, events, on/off)",
        request=WebhookEndpointInputSerializer(partial=True),
        responses={200: WebhookEndpointOutputSerializer, **errors(400, 401, 403, 404, 415)},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        payload = WebhookEndpointInputSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        endpoint = services.webhook_endpoint_update(
            endpoint=self.get_object(),
            url=data.get("url"),
            events=data.get("events") if "events" in request.data else None,
            active=data.get("active"),
        )
        return Response(WebhookEndpointOutputSerializer(endpoint).data)

    def perform_destroy(self, instance: WebhookEndpoint) -> None:
        services.webhook_endpoint_delete(endpoint=instance)

    @extend_schema(
        summary="The endpoint's latest deliveries and their attempts",
        responses={200: WebhookDeliveryOutputSerializer(many=True), **errors(401, 403, 404)},
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str | None = None) -> Response:
        rows = webhook_deliveries_of(endpoint=self.get_object())
        return Response(WebhookDeliveryOutputSerializer(rows, many=True).data)
