"""The thread of a ticket: clients read its public part and add customer replies; staff read all
of it and add replies or internal notes."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from supportdesk.api.authentication import principal_of
from supportdesk.api.multipart import StrictMultiPartParser, form_payload
from supportdesk.api.pagination import StandardPagination
from supportdesk.api.parsers import StrictJSONParser
from supportdesk.api.permissions import IsClientApp, IsClientAppOrStaff, IsStaff
from supportdesk.api.schema import errors
from supportdesk.api.v1.attachments.uploads import incoming_files
from supportdesk.api.v1.messages.serializers import (
    MessageCreateInputSerializer,
    MessageCreateMultipartSerializer,
    MessageDetailSerializer,
    ReplyCreateInputSerializer,
    ReplyCreateMultipartSerializer,
)
from supportdesk.attachments.selectors import messages_with_attachments
from supportdesk.audit.services import actor_of, ticket_read
from supportdesk.tickets.models import Message, Ticket
from supportdesk.tickets.selectors import ticket_thread, tickets_visible_to
from supportdesk.tickets.services import (
    message_add,
    message_add_with_files,
    ticket_reply,
    ticket_reply_with_files,
)

MESSAGE_EXAMPLE = OpenApiExample(
    "A customer message",
    value={
        "id": 812,
        "author_kind": "customer",
        "author_name": None,
        "body": "Ik heb vorige week besteld en nog niets ontvangen.",
        "internal": False,
        "created_at": "2026-03-02T09:00:00Z",
        "attachments": [
            {
                "id": "0b6c3f4e-3d1a-4f7e-9a43-5b8f2e1c7d90",
                "name": "pakket.jpg",
                "content_type": "image/jpeg",
                "size": 482113,
                "message": 812,
                "url": "https://desk.example.com/api/v1/attachments/0b6c3f4e-3d1a-4f7e-9a43-5b8f2e1c7d90/",
            }
        ],
    },
    response_only=True,
)
REPLY_EXAMPLE = OpenApiExample(
    "An internal note",
    value={"body": "Checked with the carrier: parcel is at the depot.", "internal": True},
    request_only=True,
)


class _TicketScoped(generics.GenericAPIView[Message]):
    serializer_class = MessageDetailSerializer
    parser_classes = (StrictJSONParser, StrictMultiPartParser)

    def ticket(self) -> Ticket:
        """The ticket of the URL, if the caller may see it (else 404)."""
        visible = tickets_visible_to(principal=principal_of(self.request))
        return get_object_or_404(visible, public_id=self.kwargs["id"])


class TicketMessagesView(_TicketScoped):
    pagination_class = StandardPagination

    def get_permissions(self) -> list[BasePermission]:
        return [IsClientApp() if self.request.method == "POST" else IsClientAppOrStaff()]

    def get_queryset(self) -> QuerySet[Message]:
        include_internal = principal_of(self.request).is_staff
        thread = ticket_thread(ticket=self.ticket(), include_internal=include_internal)
        return messages_with_attachments(thread)

    @extend_schema(
        summary="The thread",
        description="Oldest first; the first message is the ticket's body. Client applications "
        "see only public messages; staff also see internal notes.",
        responses={200: MessageDetailSerializer(many=True), **errors(400, 401, 403, 404)},
        examples=[MESSAGE_EXAMPLE],
    )
    def get(self, request: Request, **kwargs: object) -> Response:
        ticket_read(actor=actor_of(request), ticket=self.ticket(), via="api")  # the audit trail
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Add a customer reply",
        description="A reply to a solved (or pending) ticket reopens it; a closed one takes none. "
        "`multipart/form-data` adds files (docs/subsystems/attachments.md).",
        request={
            "application/json": MessageCreateInputSerializer,
            "multipart/form-data": MessageCreateMultipartSerializer,
        },
        responses={201: MessageDetailSerializer, **errors(400, 401, 403, 404, 413, 415)},
        examples=[
            OpenApiExample("A reply", value={"body": "Still nothing."}, request_only=True),
            MESSAGE_EXAMPLE,
        ],
    )
    def post(self, request: Request, **kwargs: object) -> Response:
        ticket = self.ticket()
        payload = MessageCreateInputSerializer(data=form_payload(request.data))
        payload.is_valid(raise_exception=True)
        body = payload.validated_data["body"]
        files = incoming_files(request)
        if files:
            message, _stored = message_add_with_files(ticket_id=ticket.pk, body=body, files=files)
        else:
            message = message_add(ticket_id=ticket.pk, body=body)
        return Response(self.get_serializer(message).data, status=status.HTTP_201_CREATED)


class TicketRepliesView(_TicketScoped):
    permission_classes = (IsStaff,)

    @extend_schema(
        summary="Add an agent reply or internal note (staff)",
        description="`multipart/form-data` adds files; those of a public reply go to the "
        "customer with the reply e-mail (docs/subsystems/attachments.md).",
        request={
            "application/json": ReplyCreateInputSerializer,
            "multipart/form-data": ReplyCreateMultipartSerializer,
        },
        responses={201: MessageDetailSerializer, **errors(400, 401, 403, 404, 413, 415)},
        examples=[REPLY_EXAMPLE, MESSAGE_EXAMPLE],
    )
    def post(self, request: Request, **kwargs: object) -> Response:
        ticket = self.ticket()
        payload = ReplyCreateInputSerializer(data=form_payload(request.data))
        payload.is_valid(raise_exception=True)
        data, files = payload.validated_data, incoming_files(request)
        actor = getattr(request.user, "agent", None)
        if files:
            message, _stored = ticket_reply_with_files(
                ticket_id=ticket.pk,
                body=data["body"],
                internal=data["internal"],
                actor=actor,
                files=files,
            )
        else:
            message = ticket_reply(
                ticket_id=ticket.pk, body=data["body"], internal=data["internal"], actor=actor
            )
        return Response(self.get_serializer(message).data, status=status.HTTP_201_CREATED)
