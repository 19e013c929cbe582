"""What a request that fails outside a view's own answer gets (with DEBUG off; DEBUG on shows
Django's technical pages): the workspace's own pages for 400, 403 (a refused CSRF check too),
404 and 500, translated, in the admin's look (`templates/400.html` …), never Django's bare
"Bad Request (400)"; and under /api/ DRF's JSON error body in the request's language, as the
API's own errors are.

`config/urls.py` names these as Django's handler400/403/404/500; settings.CSRF_FAILURE_VIEW
names `csrf_failure`. The 500 page is rendered without the request (as Django's own is): it
must not fail again on whatever failed first.
"""

from __future__ import annotations

import logging

from django.contrib import admin
from django.core.exceptions import TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.functional import Promise
from django.utils.translation import gettext
from rest_framework import exceptions

from supportdesk.attachments.limits import attachment_limits
from supportdesk.attachments.refusals import too_many_files

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _api_error(status: int, detail: object) -> JsonResponse:
    """DRF's error body; `detail` is a (lazy) message rendered now, in the request's language."""
    return JsonResponse({"detail": str(detail)}, status=status)


def _page(
    request: HttpRequest | None, template: str, status: int, detail: str | Promise | None = None
) -> HttpResponse:
    context = {
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
        "detail": detail,
    }
    body = loader.render_to_string(template, context, request)
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400: a request Django refused before or inside a view (a suspicious operation, too
    many fields or files in a form)."""
    detail = None
    if isinstance(exception, TooManyFilesSent):
        detail = too_many_files(attachment_limits()).message
    if _is_api(request):
        return _api_error(400, detail or exceptions.ParseError.default_detail)
    return _page(request, "400.html", 400, detail)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(403, exceptions.PermissionDenied.default_detail)
    return _page(request, "403.html", 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: mostly a page left open across a sign-in."""
    logger.warning("CSRF check failed: %s", reason)
    if _is_api(request):
        return _api_error(403, exceptions.PermissionDenied.default_detail)
    return _page(request, "403_csrf.html", 403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(404, exceptions.NotFound.default_detail)
    return _page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _api_error(500, exceptions.APIException.default_detail)
    try:
        return _page(None, "500.html", 500)
    except Exception:  # the page itself failed: still no bare trace, and the cause is logged
        logger.exception("the 500 page could not be rendered")
        return HttpResponse(gettext("Server error"), status=500, content_type="text/plain")
