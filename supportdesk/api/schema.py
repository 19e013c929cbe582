"""OpenAPI pieces shared by the v1 views: the Api-Key security scheme and error responses."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from supportdesk.api.authentication import KEYWORD


class ApiKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]  # drf-spectacular registers subclasses untyped
    target_class = "supportdesk.api.authentication.ApiKeyAuthentication"
    name = "apiKeyAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": f"A client application's key: `Authorization: {KEYWORD} <key>`.",
        }


class ErrorDetailSerializer(serializers.Serializer[dict[str, Any]]):
    detail = serializers.CharField()


_MESSAGES = {
    400: 'Invalid input: `{"field": ["message"]}` or `{"detail": "message"}`.',
    401: "No or bad credentials (see `WWW-Authenticate`).",
    403: "Authenticated, but not allowed.",
    404: "Absent, or not yours.",
    409: "The Idempotency-Key was used with another payload.",
    413: "The request body is too large.",
    415: "The body is not JSON (nor multipart where files are taken), or a file is of a type "
    "that is not accepted.",
    429: "Throttled; retry after `Retry-After` seconds.",
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """Error responses for `extend_schema(responses=...)`; 429 is added to every operation."""
    out: dict[int, OpenApiResponse] = {}
    for code in (*codes, 429):
        body: Any = OpenApiTypes.OBJECT if code == 400 else ErrorDetailSerializer
        out[code] = OpenApiResponse(response=body, description=_MESSAGES[code])
    return out


ACCEPT_LANGUAGE = OpenApiParameter(
    "Accept-Language",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Language of error messages and names (e.g. `nl`, `pt-BR;q=0.9`).",
)

VALIDATION_ERROR_EXAMPLE = OpenApiExample(
    "Invalid language tag",
    value={"language": ['"xx-invalid" is not a valid language tag.']},
    response_only=True,
    status_codes=["400"],
)


RATE_HEADERS = {
    "RateLimit-Limit": "Requests a window passes (while a rate is set).",
    "RateLimit-Remaining": "Requests left to the caller in the current window, after this one.",
    "RateLimit-Reset": "Whole seconds until the window closes.",
}


def document_rate_headers(result: dict[str, Any], **kwargs: object) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every answer of /api/ names the `RateLimit-*`
    headers (components, referenced), a 429 also `Retry-After` (README "throttling")."""
    headers = {
        name.replace("-", ""): {"description": text, "schema": {"type": "integer"}}
        for name, text in RATE_HEADERS.items()
    }
    headers["RetryAfter"] = {
        "description": "On a 429: whole seconds until the window closes.",
        "schema": {"type": "integer"},
    }
    result.setdefault("components", {})["headers"] = headers
    for path, item in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for operation in item.values():
            for status, response in operation.get("responses", {}).items():
                names = [*RATE_HEADERS, *(["Retry-After"] if status == "429" else [])]
                response["headers"] = {
                    name: {"$ref": f"#/components/headers/{name.replace('-', '')}"}
                    for name in names
                }
    return result
