"""multipart/form-data in, strictly and in one pass: a body longer than the limits is a 413
before it is read; a body cut short or longer than its Content-Length, too many parts, NUL
bytes or lone surrogates in a field are a 400. The body is parsed as it is read (the
`multipart` package's push parser) and each file goes straight to its storage key, hashed
and judged by its first bytes on the way (supportdesk.attachments.receiving, ADR 0018): a
file is never held whole in memory, spooled to a temporary file, or read twice.

Form fields carry the JSON body: `subject=…`, `customer.email=…` (or `customer[email]`, or
`customer` holding a JSON object), repeated `tags`; or one field `payload` (or `data`, or
`json`) holding the whole JSON object. Every file part is a file, whatever its field name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

from django.conf import settings
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from multipart import MultipartError, MultipartSegment, PushMultipartParser, parse_options_header
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser, DataAndFiles

from supportdesk.api.errors import RequestTooLarge
from supportdesk.api.parsers import check_clean, content_length
from supportdesk.api.socket_body import socket_body
from supportdesk.attachments.receiving import FileReceiver, MessageUpload, ReceivedFile

READ_BYTES = 256 * 1024  # one read of the body at most (and what a request holds at once)
TAIL_BYTES = 256
LIST_FIELDS = frozenset({"tags"})
JSON_FIELDS = ("payload", "data", "json")  # one field holding the whole JSON body
_EXTENDED_NAME = re.compile(
    r"""filename\*\s*=\s*(?P<charset>[A-Za-z0-9!#$%&+^_`{}~-]+)'[A-Za-z0-9-]*'(?P<value>[^;\s]+)"""
)
_NESTED = re.compile(r"^(?P<outer>[a-z_]+)(?:\.(?P<dot>[a-z_]+)|\[(?P<bracket>[a-z_]+)\])$")


def _truncated() -> ParseError:
    return ParseError(_("The multipart body is incomplete or longer than its declared size."))


def _unreadable() -> ParseError:
    return ParseError(_("The multipart body could not be read."))


def _boundary(media_type: str | None) -> str:
    _type, options = parse_options_header(media_type or "")
    boundary = str(options.get("boundary") or "")
    if not boundary or len(boundary) > 70 or not boundary.isascii():
        raise _unreadable()
    return boundary


def _file_name(segment: MultipartSegment) -> str | None:
    """The part's file name (RFC 5987 `filename*` first); None for a plain field."""
    disposition = segment.header("Content-Disposition", "") or ""
    extended = _EXTENDED_NAME.search(disposition) if "filename*" in disposition else None
    if extended:
        try:
            return unquote(extended["value"], encoding=extended["charset"], errors="strict")
        except (LookupError, UnicodeDecodeError) as exc:
            raise _unreadable() from exc
    filename: str | None = segment.filename
    return filename


class _Form:
    """What the parts of one body add up to: fields as a QueryDict, files as received."""

    def __init__(self, upload: MessageUpload) -> None:
        self.upload = upload
        self.fields = QueryDict(mutable=True)
        self.files: MultiValueDict[str, ReceivedFile] = MultiValueDict()
        self.field_bytes = 0
        self.parts = 0
        self.name = ""
        self.receiver: FileReceiver | None = None
        self.skipping = False  # a file part without a name: no file chosen in a browser form
        self.chunks: list[bytes] = []

    def start(self, segment: MultipartSegment) -> None:
        self.parts += 1
        if self.parts > settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:
            raise ParseError(_("The multipart body has too many parts."))
        self.name, self.chunks = segment.name or "", []
        filename = _file_name(segment)
        self.skipping = filename == ""
        if filename:
            self.receiver = self.upload.start(raw_name=filename)

    def feed(self, data: bytes) -> None:
        if self.receiver is not None:
            self.receiver.feed(data)
        elif not self.skipping:
            self.field_bytes += len(data)
            if self.field_bytes > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                raise RequestTooLarge
            self.chunks.append(data)

    def end(self) -> None:
        if self.receiver is not None:
            self.files.appendlist(self.name, self.receiver.finish())
            self.receiver = None
        elif not self.skipping:
            try:
                self.fields.appendlist(self.name, b"".join(self.chunks).decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise _unreadable() from exc


def _parse_body(stream: Any, *, boundary: str, declared: int, form: _Form) -> None:
    """Read exactly `declared` bytes through the parser; the body must end with its closing
    boundary (nothing but line breaks after it) and be neither shorter nor longer."""
    received, tail = 0, b""
    with PushMultipartParser(boundary, content_length=declared, strict=True) as parser:
        while received < declared:
            chunk: bytes = stream.read(min(READ_BYTES, declared - received))
            if not chunk:
                raise _truncated()
            received += len(chunk)
            tail = (tail + chunk[-TAIL_BYTES:])[-TAIL_BYTES:]
            for event in parser.parse(chunk):
                if isinstance(event, MultipartSegment):
                    form.start(event)
                elif event is None:
                    form.end()
                else:
                    form.feed(event)
        if not tail.rstrip(b"\r\n").endswith(b"--" + boundary.encode() + b"--"):
            raise _truncated()
    if stream.read(1):
        raise _truncated()


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
        form = _Form(MessageUpload())
        source = socket_body(request.META, declared=declared) or stream
        try:
            _parse_body(source, boundary=_boundary(media_type), declared=declared, form=form)
            data = form.fields
            check_clean({key: data.getlist(key) for key in data})
        except MultipartError as exc:
            form.upload.discard()
            raise _unreadable() from exc
        except BaseException:
            form.upload.discard()
            raise
        data._mutable = False
        return DataAndFiles(data, form.files)


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
