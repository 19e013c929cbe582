from typing import Any

from rest_framework import serializers

from supportdesk.notifications.models import (
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

ENDPOINT_FIELDS: tuple[str, ...] = (
    "id",
    "url",
    "events",
    "active",
    "consecutive_failures",
    "disabled_at",
)


class WebhookEndpointOutputSerializer(serializers.ModelSerializer[WebhookEndpoint]):
    class Meta:
        model = WebhookEndpoint
        fields = ENDPOINT_FIELDS
        read_only_fields = ENDPOINT_FIELDS


class WebhookEndpointCreatedSerializer(serializers.ModelSerializer[WebhookEndpoint]):
    """Only the answer to a create carries the signing secret."""

    class Meta:
        model = WebhookEndpoint
        fields = (*ENDPOINT_FIELDS, "secret")
        read_only_fields = fields


class WebhookEndpointInputSerializer(serializers.Serializer[dict[str, Any]]):
    url = serializers.URLField(max_length=500)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.values), required=False, default=list
    )
    active = serializers.BooleanField(required=False)


class WebhookAttemptOutputSerializer(serializers.ModelSerializer[WebhookAttempt]):
    class Meta:
        model = WebhookAttempt
        fields = ("attempt", "status_code", "latency_ms", "error", "created_at")
        read_only_fields = fields


class WebhookDeliveryOutputSerializer(serializers.ModelSerializer[WebhookDelivery]):
    attempt_log = WebhookAttemptOutputSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = (
            "event_id",
            "event",
            "status",
            "attempts",
            "status_code",
            "error",
            "created_at",
            "delivered_at",
            "next_attempt_at",
            "payload",
            "attempt_log",
        )
        read_only_fields = fields
