"""HTTP in, HTTP out: who sees what is the selector's, what happens is the service's."""

import uuid
from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import (
    NotFound,
    PermissionDenied,
    UnsupportedMediaType,
    ValidationError,
)
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from supportdesk.api.authentication import principal_of
from supportdesk.api.multipart import StrictMultiPartParser, form_payload
from supportdesk.api.ordering import StableOrderingFilter
from supportdesk.api.pagination import StandardPagination
from supportdesk.api.parsers import StrictJSONParser
from supportdesk.api.permissions import IsClientApp, IsClientAppOrStaff, IsStaff
from supportdesk.api.schema import ACCEPT_LANGUAGE, VALIDATION_ERROR_EXAMPLE, errors
from supportdesk.api.v1.attachments.uploads import incoming_files, is_multipart
from supportdesk.api.v1.tickets import examples
from supportdesk.api.v1.tickets.filters import TicketFilter
from supportdesk.api.v1.tickets.serializers import (
    TicketCreateInputSerializer,
    TicketCreateMultipartSerializer,
    TicketDetailSerializer,
    TicketUpdateInputSerializer,
)
from supportdesk.attachments.models import Attachment
from supportdesk.attachments.selectors import attachments_by_ticket
from supportdesk.audit.services import actor_of, ticket_read
from supportdesk.clients.models import ClientApplication
from supportdesk.core.types import Principal
from supportdesk.tickets.models import Ticket, pk_from_reference
from supportdesk.tickets.selectors import tickets_visible_to
from supportdesk.tickets.services import ticket_change, ticket_create, ticket_create_with_files

MAX_IDEMPOTENCY_KEY = 255

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Makes retries safe for 24 h: the same key with the same payload answers the original "
        "ticket (200); the same key with another payload is a 409. Printable ASCII, at most "
        "255 characters."
    ),
)


def idempotency_key(request: Request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not key or len(key) > MAX_IDEMPOTENCY_KEY or not (key.isascii() and key.isprintable()):
        raise ValidationError(
            {
                "Idempotency-Key": [
                    _(
                        "The Idempotency-Key header must be 1 to {max} printable ASCII characters."
                    ).format(max=MAX_IDEMPOTENCY_KEY)
                ]
            }
        )
    return key


@extend_schema_view(
    list=extend_schema(
        summary="List tickets",
        description=(
            "A client application sees its own tickets; a manager sees all; an agent sees the "
            "tickets in its languages and those assigned to it (404 for the rest)."
        ),
        responses={200: TicketDetailSerializer(many=True), **errors(400, 401, 403, 404)},
        examples=[examples.TICKET_PAGE],
    ),
    retrieve=extend_schema(
        summary="One ticket",
        description="By its `id` or by its `reference` (`/api/v1/tickets/SD-10501/`).",
        responses={200: TicketDetailSerializer, **errors(401, 403, 404)},
        examples=[examples.TICKET],
    ),
)
class TicketViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Ticket]
):
    serializer_class = TicketDetailSerializer
    pagination_class = StandardPagination
    filter_backends = (DjangoFilterBackend, StableOrderingFilter)
    filterset_class = TicketFilter
    ordering_fields = ("created_at", "updated_at", "priority", "status")
    ordering = ("-created_at",)
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    lookup_value_converter = "ticket"  # the UUID or the reference (supportdesk.api.converters)
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = (StrictJSONParser, StrictMultiPartParser)

    def get_permissions(self) -> list[BasePermission]:
        by_action: dict[str | None, type[BasePermission]] = {
            "create": IsClientApp,
            "partial_update": IsStaff,
        }
        return [by_action.get(self.action, IsClientAppOrStaff)()]

    @cached_property
    def principal(self) -> Principal:
        return principal_of(self.request)

    def get_queryset(self) -> QuerySet[Ticket]:
        return tickets_visible_to(principal=self.principal)

    def get_object(self) -> Ticket:
        """By public id, or by reference (`SD-10501`); out of the caller's scope is a 404."""
        given = str(self.kwargs["id"])
        tickets = self.get_queryset()
        try:
            found = tickets.filter(public_id=uuid.UUID(given))
        except ValueError:
            found = tickets.filter(pk=pk_from_reference(given) or 0)
        ticket = found.first()
        if ticket is None:
            raise NotFound
        self.check_object_permissions(self.request, ticket)
        return ticket

    def get_serializer_context(self) -> dict[str, Any]:
        staff = self.principal.is_staff
        show = self.action in {"retrieve", "partial_update"} and staff
        return {**super().get_serializer_context(), "show_routing": show, "include_internal": staff}

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        """A page of tickets with the files of all of them fetched in one query."""
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset())) or []
        files = attachments_by_ticket(
            ticket_ids=[ticket.pk for ticket in page],
            include_internal=self.principal.is_staff,
        )
        context = {**self.get_serializer_context(), "attachments": files}
        data = self.get_serializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        ticket = self.get_object()
        ticket_read(actor=actor_of(request), ticket=ticket, via="api")  # the audit trail
        return Response(self.get_serializer(ticket).data)

    def _detail(self, ticket_id: int) -> Response:
        ticket = self.get_queryset().get(pk=ticket_id)  # fresh, with customer and assignee
        return Response(self.get_serializer(ticket).data)

    @extend_schema(
        summary="Create a ticket",
        description=(
            "Language: the `language` field, else the customer's `locale`, else "
            "`Accept-Language` negotiated against enabled languages, else detection, else the "
            "default. Replays with the same `Idempotency-Key` and payload answer 200. "
            "`multipart/form-data` carries the same fields (`customer.email`, …, or one "
            "`payload` field holding the JSON body) plus files (docs/subsystems/attachments.md): "
            "a refused file is a 400, 413 or 415 and leaves no ticket behind."
        ),
        request={
            "application/json": TicketCreateInputSerializer,
            "multipart/form-data": TicketCreateMultipartSerializer,
        },
        parameters=[IDEMPOTENCY_KEY, ACCEPT_LANGUAGE],
        responses={
            201: TicketDetailSerializer,
            200: TicketDetailSerializer,
            **errors(400, 401, 403, 409, 413, 415),
        },
        examples=[examples.TICKET_CREATE, examples.TICKET, VALIDATION_ERROR_EXAMPLE],
    )
    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        data = TicketCreateInputSerializer.validated(form_payload(request.data))
        if not isinstance(request.auth, ClientApplication):  # IsClientApp has checked it
            raise PermissionDenied
        new = TicketCreateInputSerializer.to_command(data)
        accept_language = request.headers.get("Accept-Language")
        files, stored = incoming_files(request), list[Attachment]()
        if files:
            ticket, created, stored = ticket_create_with_files(
                client_app=request.auth,
                new=new,
                files=files,
                idempotency_key=key,
                accept_language=accept_language,
            )
        else:
            ticket, created = ticket_create(
                client_app=request.auth,
                new=new,
                idempotency_key=key,
                accept_language=accept_language,
            )
        if not created:  # a replay: the ticket as it is now
            return self._detail(ticket.pk)
        # the new instance is complete (customer attached, no assignee yet): no re-read
        context = self.get_serializer_context()
        context["attachments"] = {ticket.pk: stored}  # all it has: no query for them
        return Response(
            TicketDetailSerializer(ticket, context=context).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Change status, priority or assignee (staff)",
        description=(
            "Any status; leaving `open` frees the agent's capacity, `new` unassigns, `open` "
            "needs an assignee. `assignee` is an agent id (a manual assignment, which routing "
            "never undoes) or null."
        ),
        request=TicketUpdateInputSerializer,
        responses={200: TicketDetailSerializer, **errors(400, 401, 403, 404, 413, 415)},
        examples=[examples.TICKET_UPDATE, examples.TICKET],
    )
    def partial_update(self, request: Request, **kwargs: object) -> Response:
        if is_multipart(request):
            raise UnsupportedMediaType(request.content_type)
        ticket = self.get_object()
        payload = TicketUpdateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        ticket_change(
            ticket_id=ticket.pk,
            changes=payload.to_command(),
            actor=getattr(request.user, "agent", None),
        )
        return self._detail(ticket.pk)
