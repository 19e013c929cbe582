"""The one exception handler: DRF's JSON error format for everything the API raises, with
domain errors mapped to status codes and messages rendered in the request's language."""

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from supportdesk.api.errors import (
    BadRequest,
    ConflictError,
    RequestTooLarge,
    UnsupportedContent,
)
from supportdesk.api.parsers import content_length
from supportdesk.attachments.limits import attachment_limits, megabytes
from supportdesk.attachments.refusals import message_too_large
from supportdesk.core import exceptions as domain

# a domain error → the API exception that answers it (the first class that matches)
BY_KIND: tuple[tuple[type[domain.DomainError], type[exceptions.APIException]], ...] = (
    (domain.NotFound, exceptions.NotFound),
    (domain.NotAllowed, exceptions.PermissionDenied),
    (domain.Conflict, ConflictError),
    (domain.TooLarge, RequestTooLarge),
    (domain.UnsupportedType, UnsupportedContent),
)


def _from_domain(exc: domain.DomainError) -> exceptions.APIException:
    message = str(exc.message)  # lazy: rendered now, in the active (request's) language
    for kind, answer in BY_KIND:
        if isinstance(exc, kind):
            return answer(message, code=exc.code)
    if exc.field:
        return exceptions.ValidationError({exc.field: [message]}, code=exc.code)
    return BadRequest(message, code=exc.code)


def _too_large(request: Request | None) -> RequestTooLarge:
    """A body refused for its size before or while it was read, with the limit that refused
    it named, as the per-file refusals name theirs: the files of one message (a multipart body
    above that limit), a form field, or the whole body (JSON)."""
    limit = megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    meta = request.META if request is not None else {}
    if not str(meta.get("CONTENT_TYPE", "")).startswith("multipart/"):
        message = gettext("The request body may be at most {limit}.").format(limit=limit)
    elif content_length(meta) > (limits := attachment_limits()).max_message_bytes:
        message = str(message_too_large(limits).message)
    else:
        message = gettext("A form field may be at most {limit}.").format(limit=limit)
    return RequestTooLarge(message)


def _is_bare_too_large(exc: Exception) -> bool:
    """`RequestTooLarge` raised without a message of its own (the parsers' size checks)."""
    if isinstance(exc, RequestDataTooBig):
        return True
    return isinstance(exc, RequestTooLarge) and str(exc.detail) == str(exc.default_detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if _is_bare_too_large(exc):
        exc = _too_large(context.get("request"))
    elif isinstance(exc, domain.DomainError):
        exc = _from_domain(exc)
    return drf_exception_handler(exc, context)
