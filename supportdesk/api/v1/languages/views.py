from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from supportdesk.api.schema import ACCEPT_LANGUAGE, errors
from supportdesk.api.v1.languages.serializers import LanguageDetailSerializer
from supportdesk.languages import negotiation, tags
from supportdesk.languages.models import Language
from supportdesk.languages.selectors import enabled_languages


def display_language(accept_language: str | None) -> str:
    """The first language of the header that CLDR knows (names exist in far more languages
    than the UI is translated into), else the active one."""
    for wanted in negotiation.parse_accept_language(accept_language):
        if tags.is_valid(wanted):
            return tags.normalise(wanted)
    return translation.get_language() or settings.DEFAULT_LANGUAGE


class LanguageListView(generics.ListAPIView[Language]):
    permission_classes = (AllowAny,)
    serializer_class = LanguageDetailSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[Language]:
        return enabled_languages()

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["display_language"] = display_language(self.request.headers.get("Accept-Language"))
        return context

    @extend_schema(
        summary="Enabled languages",
        description="Public. `name` is in the `Accept-Language` language (CLDR names).",
        parameters=[ACCEPT_LANGUAGE],
        responses={200: LanguageDetailSerializer(many=True), **errors(401)},
        examples=[
            OpenApiExample(
                "Names in Dutch",
                value=[
                    {"tag": "en", "name": "Engels", "native_name": "English", "fallbacks": []},
                    {
                        "tag": "ca",
                        "name": "Catalaans",
                        "native_name": "català",
                        "fallbacks": ["es", "en"],
                    },
                ],
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        response["Content-Language"] = self.get_serializer_context()["display_language"]
        return response
