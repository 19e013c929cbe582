"""GET /api/v1/attachments/{id}/ (the file) and …/thumbnail/ (a server-made PNG preview).

Served as downloads, never inline: `Content-Disposition: attachment` (RFC 6266, `filename*`
for non-ASCII names), the stored content type, `nosniff` and a CSP that lets nothing run."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from supportdesk.api.authentication import principal_of
from supportdesk.api.permissions import IsClientAppOrStaff
from supportdesk.api.schema import errors
from supportdesk.attachments.content import ALLOWED_BINARY, TEXT_TYPES
from supportdesk.attachments.models import Attachment
from supportdesk.attachments.selectors import attachments_visible_to
from supportdesk.attachments.serving import stored_file_response
from supportdesk.audit.services import actor_of, attachment_read


class _AttachmentView(APIView):
    permission_classes: tuple[type[BasePermission], ...] = (IsClientAppOrStaff,)

    def attachment(self) -> Attachment:
        """The attachment of the URL if the caller may read its message (else 404)."""
        visible = attachments_visible_to(principal=principal_of(self.request))
        return get_object_or_404(visible, pk=self.kwargs["id"])


@extend_schema(
    summary="Download an attachment",
    description=(
        "The file, streamed, to a caller allowed to read its message: the client application "
        "of the ticket (not for internal notes), or staff. Always a download "
        "(`Content-Disposition: attachment`), with `X-Content-Type-Options: nosniff` and a "
        "Content-Security-Policy that lets nothing run."
    ),
    responses={
        **{
            (200, content_type): OpenApiResponse(
                response=OpenApiTypes.BINARY,
                description="The file, with its stored content type (one of those accepted).",
            )
            for content_type in sorted(ALLOWED_BINARY | TEXT_TYPES)
        },
        **errors(401, 403, 404),
    },
)
class AttachmentDownloadView(_AttachmentView):
    def get(self, request: Request, **kwargs: object) -> FileResponse:
        attachment = self.attachment()
        ticket = attachment.message.ticket  # the audit trail names the ticket
        attachment_read(actor=actor_of(request), attachment_id=attachment.pk, ticket=ticket,
                        via="api")  # fmt: skip
        return stored_file_response(
            attachment.storage_key, content_type=attachment.content_type, filename=attachment.name
        )


@extend_schema(
    summary="A thumbnail of an image attachment",
    description="A PNG of at most 320 x 320 px made by the server; 404 until it is made, or "
    "when the attachment is not an image.",
    responses={
        (200, "image/png"): OpenApiResponse(response=OpenApiTypes.BINARY, description="PNG."),
        **errors(401, 403, 404),
    },
)
class AttachmentThumbnailView(_AttachmentView):
    def get(self, request: Request, **kwargs: object) -> FileResponse:
        attachment = self.attachment()
        if not attachment.thumbnail_key:
            raise Http404
        return stored_file_response(
            attachment.thumbnail_key,
            content_type="image/png",
            filename=f"{attachment.name}.png",
            as_attachment=False,
        )
