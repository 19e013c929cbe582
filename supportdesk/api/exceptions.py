"""The one exception handler: DRF's JSON error format for everything the API raises, with
domain errors mapped to status codes and messages rendered in the request's language."""

from typing import Any

from django.core.exceptions import RequestDataTooBig
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from supportdesk.api.errors import BadRequest, ConflictError, RequestTooLarge
from supportdesk.core import exceptions as domain


def _from_domain(exc: domain.DomainError) -> exceptions.APIException:
    message = str(exc.message)  # lazy: rendered now, in the active (request's) language
    if isinstance(exc, domain.NotFound):
        return exceptions.NotFound(message, code=exc.code)
    if isinstance(exc, domain.NotAllowed):
        return exceptions.PermissionDenied(message, code=exc.code)
    if isinstance(exc, domain.Conflict):
        return ConflictError(message, code=exc.code)
    if exc.field:
        return exceptions.ValidationError({exc.field: [message]}, code=exc.code)
    return BadRequest(message, code=exc.code)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, domain.DomainError):
        exc = _from_domain(exc)
    return drf_exception_handler(exc, context)
