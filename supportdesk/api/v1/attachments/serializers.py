"""How an attachment appears inside ticket and message representations."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from supportdesk.attachments.models import Attachment


@extend_schema_field(OpenApiTypes.BINARY)
class UploadedFileField(serializers.FileField):
    """A file part of a multipart request (documented as binary)."""


def files_field() -> serializers.ListField:
    return serializers.ListField(
        child=UploadedFileField(),
        required=False,
        help_text="One or more files (any field name is accepted).",
    )


class AttachmentDetailSerializer(serializers.Serializer[Attachment]):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True, help_text="Bytes.")
    message = serializers.IntegerField(
        source="message_id", read_only=True, help_text="The message the file belongs to."
    )
    url = serializers.SerializerMethodField(help_text="Where to download it (same credentials).")

    @extend_schema_field(serializers.URLField())
    def get_url(self, attachment: Attachment) -> str:
        return download_url(attachment, self.context.get("request"))

    def to_representation(self, instance: Attachment) -> dict[str, Any]:
        return attachment_representation(instance, self.context.get("request"))


def download_url(attachment: Attachment, request: Request | None) -> str:
    path = reverse("attachment-detail", kwargs={"id": attachment.id})
    return request.build_absolute_uri(path) if request is not None else path


def attachment_representation(attachment: Attachment, request: Request | None) -> dict[str, Any]:
    return {
        "id": str(attachment.id),
        "name": attachment.name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "message": attachment.message_id,
        "url": download_url(attachment, request),
    }


def attachments_representation(
    attachments: Iterable[Attachment], request: Request | None
) -> list[dict[str, Any]]:
    return [attachment_representation(attachment, request) for attachment in attachments]
