"""Macros for staff: the list (with the languages each is written in) and applying one to a
ticket (the reply goes through the tickets' reply service; docs/macros.md)."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response

from supportdesk.api.authentication import principal_of
from supportdesk.api.parsers import StrictJSONParser
from supportdesk.api.permissions import IsStaff
from supportdesk.api.schema import errors
from supportdesk.api.v1.macros.serializers import (
    MacroAppliedSerializer,
    MacroApplyInputSerializer,
    MacroDetailSerializer,
    MacroRenderedSerializer,
    MacroSearchSerializer,
)
from supportdesk.api.v1.messages.serializers import MessageDetailSerializer
from supportdesk.macros.models import Macro
from supportdesk.macros.selectors import active_macros
from supportdesk.macros.services import active_macro, macro_apply, macro_render
from supportdesk.tickets.models import Priority
from supportdesk.tickets.selectors import tickets_visible_to

LIST_EXAMPLE = OpenApiExample(
    "One macro in three languages",
    value=[
        {
            "id": 3,
            "name": "Order shipped",
            "source_language": "en",
            "internal": False,
            "actions": {"status": "solved", "tags": ["shipping"]},
            "languages": ["en", "nl", "pt-BR"],
            "variants": [
                {
                    "language": "en",
                    "name": "Order shipped",
                    "body": "Hello {{customer_name}}, your order {{ticket_reference}} has shipped.",
                    "stale": False,
                },
                {
                    "language": "nl",
                    "name": "Bestelling verzonden",
                    "body": "Hallo {{customer_name}}, je bestelling is verzonden.",
                    "stale": True,
                },
                {
                    "language": "pt-BR",
                    "name": "Pedido enviado",
                    "body": "Olá {{customer_name}}, seu pedido {{ticket_reference}} foi enviado.",
                    "stale": False,
                },
            ],
        }
    ],
    response_only=True,
)
APPLIED_EXAMPLE = OpenApiExample(
    "Applied with the pt-BR text",
    value={
        "macro": 3,
        "language": "pt-BR",
        "fallback": False,
        "actions": {"status": "solved", "tags": ["shipping"]},
        "message": {
            "id": 913,
            "author_kind": "agent",
            "author_name": "Lea Jansen",
            "body": "Olá Ana, seu pedido SD-10501 foi enviado.",
            "internal": False,
            "created_at": "2026-03-02T09:12:00Z",
            "attachments": [],
        },
        "status": "solved",
        "priority": "normal",
        "tags": ["shipping"],
    },
    response_only=True,
    status_codes=["201"],
)


class MacroListView(generics.ListAPIView[Macro]):
    permission_classes = (IsStaff,)
    serializer_class = MacroDetailSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Macro]:
        query = MacroSearchSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)  # NUL bytes, a search longer than a name: a 400
        return active_macros(search=query.validated_data.get("search", ""))

    @extend_schema(
        summary="Macros (staff)",
        description="Active macros by name, each with its actions, the languages it has a "
        "text in and those texts (`stale`: the source-language text changed since).",
        parameters=[
            OpenApiParameter("search", str, description="Part of a name, in any language.")
        ],
        responses={200: MacroDetailSerializer(many=True), **errors(401, 403)},
        examples=[LIST_EXAMPLE],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


MACRO_PARAMETER = OpenApiParameter(
    "macro", int, OpenApiParameter.PATH, description="The macro's id."
)
RENDERED_EXAMPLE = OpenApiExample(
    "The pt-BR text for Ana's ticket",
    value={
        "macro": 3,
        "language": "pt-BR",
        "fallback": False,
        "body": "Olá Ana, seu pedido SD-10501 foi enviado.",
        "internal": False,
        "actions": {"status": "solved", "tags": ["shipping"]},
    },
    response_only=True,
)


def _macro_id(value: object) -> int:
    """The URL's macro id; anything but a plain number is a 404 (like an unknown id)."""
    text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise Http404
    return int(text)


class MacroRenderView(generics.GenericAPIView[Macro]):
    permission_classes = (IsStaff,)
    serializer_class = MacroRenderedSerializer

    @extend_schema(
        summary="A macro rendered for a ticket (staff)",
        description="The text applying the macro would send, to show or edit first: the "
        "variant along the ticket's language chain, placeholders filled (deadlines in the "
        "customer's locale and time zone). Changes nothing.",
        parameters=[MACRO_PARAMETER],
        responses={200: MacroRenderedSerializer, **errors(400, 401, 403, 404)},
        examples=[RENDERED_EXAMPLE],
    )
    def get(self, request: Request, **kwargs: Any) -> Response:
        visible = tickets_visible_to(principal=principal_of(request))
        ticket = get_object_or_404(visible, public_id=kwargs["id"])
        macro = active_macro(macro_id=_macro_id(kwargs["macro"]))
        rendered = macro_render(
            macro=macro, ticket=ticket, agent=getattr(request.user, "agent", None)
        )
        return Response(
            {
                "macro": macro.pk,
                "language": rendered.language,
                "fallback": rendered.fallback,
                "body": rendered.body,
                "internal": rendered.internal,
                "actions": rendered.actions,
            }
        )


class MacroApplyView(generics.GenericAPIView[Macro]):
    permission_classes = (IsStaff,)
    parser_classes = (StrictJSONParser,)
    serializer_class = MacroApplyInputSerializer

    @extend_schema(
        summary="Apply a macro to a ticket (staff)",
        description="Renders the macro's variant along the ticket's language chain (pt-BR → pt "
        "→ its fallbacks → the default), sends it (or the agent's edited `body`) as a reply or "
        "internal note, then runs the macro's actions. The answer says which variant was used.",
        parameters=[MACRO_PARAMETER],
        request=MacroApplyInputSerializer,
        responses={201: MacroAppliedSerializer, **errors(400, 401, 403, 404, 415)},
        examples=[
            OpenApiExample("As rendered", value={}, request_only=True),
            OpenApiExample(
                "Edited by the agent",
                value={"body": "Olá Ana, o seu pedido SD-10501 foi enviado hoje."},
                request_only=True,
            ),
            APPLIED_EXAMPLE,
        ],
    )
    def post(self, request: Request, **kwargs: Any) -> Response:
        visible = tickets_visible_to(principal=principal_of(request))
        ticket = get_object_or_404(visible, public_id=kwargs["id"])
        macro_id = _macro_id(kwargs["macro"])
        payload = MacroApplyInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        applied = macro_apply(
            macro_id=macro_id,
            ticket_id=ticket.pk,
            actor=getattr(request.user, "agent", None),
            body=payload.validated_data.get("body"),
            internal=payload.validated_data.get("internal"),
        )
        message = MessageDetailSerializer(
            applied.message, context={"request": request, "attachments": []}
        ).data
        body = {
            "macro": applied.rendered.macro.pk,
            "language": applied.rendered.language,
            "fallback": applied.rendered.fallback,
            "actions": applied.rendered.actions,
            "message": message,
            "status": applied.ticket.status,
            "priority": Priority(applied.ticket.priority).api_name,
            "tags": applied.ticket.tags,
        }
        return Response(body, status=status.HTTP_201_CREATED)
