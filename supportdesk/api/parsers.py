"""JSON in, strictly: size limit (413), no NUL bytes or lone surrogates anywhere (400), no
nesting deep enough to exhaust the parser (400), an object at the top (`null` is a 400)."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from supportdesk.api.errors import RequestTooLarge

MAX_DEPTH = 32


def content_length(meta: Mapping[str, Any]) -> int:
    try:
        return int(meta.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return 0


def _check_text(value: str) -> None:
    if "\x00" in value:
        raise ParseError(_("Null characters are not allowed."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ParseError(_("Text must be valid Unicode (lone surrogates are not).")) from exc


def check_clean(value: object, depth: int = 0) -> None:
    """Raise ParseError when any key or string in parsed JSON is unusable as text."""
    if depth > MAX_DEPTH:
        raise ParseError(_("JSON is nested too deeply."))
    if isinstance(value, str):
        _check_text(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            check_clean(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            check_clean(item, depth + 1)


class StrictJSONParser(JSONParser):
    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        request = (parser_context or {}).get("request")
        limit: int = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if request is not None and content_length(request.META) > limit:
            raise RequestTooLarge
        try:
            data: object = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("JSON is nested too deeply.")) from exc
        except ParseError as exc:  # DRF's "JSON parse error - …" is English only
            raise ParseError(_("The request body is not valid JSON.")) from exc
        check_clean(data)
        if not isinstance(data, dict):  # `null`, a list, a number: every body here is an object
            message = serializers.Serializer.default_error_messages["invalid"]
            raise ParseError(str(message).format(datatype=type(data).__name__))
        return data
