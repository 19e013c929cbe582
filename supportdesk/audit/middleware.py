"""Keeps the client's address at hand for audit hooks that run without the request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from supportdesk.audit.services import current_ip
from supportdesk.core.client_ip import client_ip


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request.META) or None)
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
