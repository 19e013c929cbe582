"""Files of a multipart request, as the attachment services take them."""

from __future__ import annotations

from rest_framework.request import Request

from supportdesk.attachments.services import IncomingFile
from supportdesk.attachments.services import incoming_files as from_uploads


def is_multipart(request: Request) -> bool:
    return (request.content_type or "").startswith("multipart/form-data")


def incoming_files(request: Request) -> list[IncomingFile]:
    """Every file part, in the order sent, whatever its field name (`files`, `file`, …)."""
    if not is_multipart(request):
        return []
    return from_uploads(
        [upload for field in request.FILES for upload in request.FILES.getlist(field)]
    )
