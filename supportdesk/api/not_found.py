"""Every /api/ path no route matches (an unknown resource, an id that is not one, /api/v1/
itself) answers DRF's JSON 404, in the request's language, as the routes' own 404s do."""

from django.http import HttpRequest, JsonResponse
from rest_framework.exceptions import NotFound


def api_not_found(request: HttpRequest, **kwargs: object) -> JsonResponse:
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
