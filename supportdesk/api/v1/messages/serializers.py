from typing import Any

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from supportdesk.api.fields import RefusesServerFields, StrictCharField
from supportdesk.api.v1.attachments.serializers import (
    AttachmentDetailSerializer,
    attachments_representation,
    files_field,
)
from supportdesk.tickets.models import AuthorKind, Message


class MessageDetailSerializer(serializers.Serializer[Message]):
    id = serializers.IntegerField(read_only=True)
    author_kind = serializers.ChoiceField(choices=AuthorKind.values, read_only=True)
    author_name = serializers.SerializerMethodField()
    body = serializers.CharField(read_only=True)
    internal = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    attachments = serializers.SerializerMethodField()

    @extend_schema_field(AttachmentDetailSerializer(many=True))
    def get_attachments(self, message: Message) -> list[dict[str, Any]]:
        """The message's files (prefetched by the thread view; none on a fresh message unless
        the view passes them)."""
        known = self.context.get("attachments")
        files = known if known is not None else message.attachments.all()
        return attachments_representation(files, self.context.get("request"))

    def get_author_name(self, message: Message) -> str | None:
        """The agent's name for agent messages; null for the customer and the system."""
        agent = message.author_agent
        return agent.display_name if agent is not None else None


class MessageCreateInputSerializer(RefusesServerFields):
    server_fields = ("id", "author_kind", "author_name", "internal", "created_at")

    body = StrictCharField(max_length=settings.MAX_TICKET_BODY_CHARS)


class ReplyCreateInputSerializer(RefusesServerFields):
    server_fields = ("id", "author_kind", "author_name", "created_at")

    body = StrictCharField(max_length=settings.MAX_TICKET_BODY_CHARS)
    internal = serializers.BooleanField(
        default=False, help_text="An internal note: never shown to client applications."
    )


class MessageCreateMultipartSerializer(MessageCreateInputSerializer):
    files = files_field()


class ReplyCreateMultipartSerializer(ReplyCreateInputSerializer):
    files = files_field()
