"""The one exception handler: DRF's JSON error format for everything the API raises, with
domain errors mapped to status codes and messages rendered in the request's language."""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from supportdesk.api.errors import (
    BadRequest,
    ConflictError,
    RequestTooLarge,
    UnsupportedContent,
)
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


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, domain.DomainError):
        exc = _from_domain(exc)
    return drf_exception_handler(exc, context)
