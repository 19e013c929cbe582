"""Privacy requests about one customer: erase (GDPR Art. 17) and export (Art. 15/20).
Client applications ask about their own customers; managers about any application's."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from supportdesk.api.authentication import principal_of
from supportdesk.api.permissions import IsClientApp, IsManager
from supportdesk.api.schema import ErrorDetailSerializer, errors
from supportdesk.api.v1.customers.serializers import (
    ErasureInputSerializer,
    ErasureOutputSerializer,
    ExportInputSerializer,
    ExportJobSerializer,
)
from supportdesk.audit.services import actor_of
from supportdesk.privacy.models import ExportJob
from supportdesk.privacy.selectors import export_jobs_visible_to
from supportdesk.privacy.services.erasure import customer_erase
from supportdesk.privacy.services.export import export_request

CONFLICT = OpenApiResponse(
    response=ErrorDetailSerializer,
    description="The customer has an open ticket (a manager may force) or is under a legal hold.",
)
MANAGERS_ONLY = _("Only a manager may set %(field)s.")


class IsClientAppOrManager(IsClientApp):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return super().has_permission(request, view) or IsManager().has_permission(request, view)


def _client_app_id(request: Request, data: dict[str, Any], *managers_only: str) -> int:
    """The application asked about: the caller's own, or (staff) the one named."""
    principal = principal_of(request)
    if principal.client_app_id is not None:
        for name in managers_only:
            if data.get(name):
                raise exceptions.PermissionDenied(MANAGERS_ONLY % {"field": name})
        if data.get("client_application") not in (None, principal.client_app_id):
            raise exceptions.NotFound(_("No customer with this e-mail address."))
        return principal.client_app_id
    if data.get("client_application") is None:
        raise exceptions.ValidationError(
            {"client_application": [_("Staff must name the client application.")]}
        )
    return int(data["client_application"])


class CustomerEraseView(APIView):
    permission_classes = (IsClientAppOrManager,)

    @extend_schema(
        summary="Erase a customer's personal data",
        description=(
            "Replaces the customer's name, e-mail, locale, country and time zone with a stable "
            "pseudonym and scrubs subjects, bodies, attachments and webhook payloads; ticket "
            "rows keep what the figures need. `dry_run` lists what would change. Idempotent: "
            "a repeat answers `already_erased`. Refused (409) with an open ticket unless a "
            "manager sets `force`, and under a legal hold. The client application is told by "
            "a `customer.erased` webhook."
        ),
        request=ErasureInputSerializer,
        responses={200: ErasureOutputSerializer, 409: CONFLICT, **errors(400, 401, 403, 404, 415)},
    )
    def post(self, request: Request) -> Response:
        payload = ErasureInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        result = customer_erase(
            client_app_id=_client_app_id(request, data, "force"),
            email=data["email"],
            actor=actor_of(request),
            dry_run=data["dry_run"],
            force=data["force"],
            via="api",
        )
        body = ErasureOutputSerializer(
            {
                "pseudonym": result.pseudonym,
                "dry_run": result.dry_run,
                "already_erased": result.already_erased,
                "tickets": result.tickets,
                "changes": result.changes,
            }
        ).data
        return Response(body)


class CustomerExportView(APIView):
    permission_classes = (IsClientAppOrManager,)

    @extend_schema(
        summary="Export a customer's data (a job)",
        description=(
            "Starts a job that writes a ZIP of everything held about the customer (JSON in "
            "a versioned layout, the files, a README in the customer's language; "
            "docs/privacy.md). Poll `GET …/export/{id}/` for its status and download link."
        ),
        request=ExportInputSerializer,
        responses={202: ExportJobSerializer, **errors(400, 401, 403, 404, 415)},
    )
    def post(self, request: Request) -> Response:
        payload = ExportInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        job = export_request(
            client_app_id=_client_app_id(request, data, "include_internal"),
            email=data["email"],
            actor=actor_of(request),
            include_internal=data["include_internal"],
            via="api",
        )
        return Response(ExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class CustomerExportJobView(GenericAPIView[ExportJob]):
    permission_classes = (IsClientAppOrManager,)
    serializer_class = ExportJobSerializer
    lookup_field = "id"

    def get_queryset(self) -> Any:
        return export_jobs_visible_to(principal=principal_of(self.request))

    @extend_schema(
        summary="An export's status and download link",
        responses={200: ExportJobSerializer, **errors(401, 403, 404)},
    )
    def get(self, request: Request, id: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)
