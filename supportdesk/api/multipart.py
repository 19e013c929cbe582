"""multipart/form-data in, strictly: a body longer than the limits is a 413 before it is
read; a body cut short or longer than its Content-Length, too many parts, NUL bytes or lone
surrogates in a field are a 400. Files are spooled by Django's upload handlers (to a
temporary file past FILE_UPLOAD_MAX_MEMORY_SIZE), never held whole in memory.

Form fields carry the JSON body: `subject=…`, `customer.email=…` (or `customer[email]`, or
`customer` holding a JSON object), repeated `tags`; or one field `payload` (or `data`, or
`json`) holding the whole JSON object. Every file part is a file, whatever its field name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import QueryDict
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, DataAndFiles

from supportdesk.api.errors import RequestTooLarge
from supportdesk.api.parsers import check_clean, content_length
from supportdesk.attachments import content
from supportdesk.attachments.services import name_refused

TAIL_BYTES = 256
LIST_FIELDS = frozenset({"tags"})
JSON_FIELDS = ("payload", "data", "json")  # one field holding the whole JSON body
_NESTED = re.compile(r"^(?P<outer>[a-z_]+)(?:\.(?P<dot>[a-z_]+)|\[(?P<bracket>[a-z_]+)\])$")


class _CountingStream:
    """Reads through to the request body, counting bytes and keeping the last few."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.count = 0
        self.tail = b""

    def read(self, size: int = -1) -> bytes:
        chunk: bytes = self._stream.read(size)
        self.count += len(chunk)
        self.tail = (self.tail + chunk)[-TAIL_BYTES:]
        return chunk


class _NamesKept(DjangoMultiPartParser):
    """Django strips directory parts and control characters from file names silently: a name
    with `..` parts or control characters (NUL included) is refused here instead (400)."""

    def sanitize_file_name(self, file_name: str) -> str | None:
        try:
            return content.clean_name(file_name)
        except content.NameRefused as exc:
            raise name_refused(file_name) from exc


def _truncated() -> ParseError:
    return ParseError(_("The multipart body is incomplete or longer than its declared size."))


class StrictMultiPartParser(BaseParser):
    media_type = "multipart/form-data"

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> DataAndFiles[QueryDict, Any]:
        context = parser_context or {}
        request = context["request"]
        declared = content_length(request.META)
        limit = settings.ATTACHMENT_MAX_MESSAGE_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if declared > limit:
            raise RequestTooLarge
        if stream is None or declared <= 0:
            raise _truncated()
        meta = {**request.META, "CONTENT_TYPE": media_type}
        counted = _CountingStream(stream)
        try:
            body = cast("Any", counted)  # Django only calls read()
            parser = _NamesKept(meta, body, request.upload_handlers, context.get("encoding"))
            data, files = parser.parse()
        except RequestDataTooBig as exc:
            raise RequestTooLarge from exc
        except (MultiPartParserError, SuspiciousOperation, UnicodeDecodeError) as exc:
            raise ParseError(_("The multipart body could not be read.")) from exc
        boundary: bytes = getattr(parser, "_boundary", b"")  # checked by Django's parser
        ended = counted.tail.rstrip(b"\r\n").endswith(b"--" + boundary + b"--")
        if not ended or counted.count != declared or stream.read(1):
            raise _truncated()
        check_clean({key: data.getlist(key) for key in data})
        return DataAndFiles(data, files)


def form_payload(data: object) -> Any:
    """The JSON body a multipart form stands for (see the module docstring)."""
    if not isinstance(data, QueryDict):
        return data  # JSON: as parsed
    for name in JSON_FIELDS:
        if name in data:
            return _json_object(str(data[name]), field=name)
    out: dict[str, Any] = {}
    for key in data:
        values = [str(value) for value in data.getlist(key)]
        nested = _NESTED.match(key)
        if nested:
            inner = nested["dot"] or nested["bracket"]
            out.setdefault(nested["outer"], {})[inner] = values[-1]
        elif key.removesuffix("[]") in LIST_FIELDS:
            out.setdefault(key.removesuffix("[]"), []).extend(values)
        elif key == "customer":
            customer = _json_object(values[-1], field=key)
            out["customer"] = {**customer, **out.get("customer", {})}
        else:
            out[key] = values[-1]
    return out


def _json_object(text: str, *, field: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise ParseError(
            _("The field “{field}” must hold a JSON object.").format(field=field)
        ) from exc
    if not isinstance(value, dict):
        raise ParseError(_("The field “{field}” must hold a JSON object.").format(field=field))
    check_clean(value)
    return value
