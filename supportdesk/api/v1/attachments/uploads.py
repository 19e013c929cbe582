"""Files of a multipart request, as the attachment services take them."""

from __future__ import annotations

from rest_framework.request import Request

from supportdesk.attachments.services import ReceivedFile


def is_multipart(request: Request) -> bool:
    return (request.content_type or "").startswith("multipart/form-data")


def incoming_files(request: Request) -> list[ReceivedFile]:
    """Every file part, in the order sent, whatever its field name (`files`, `file`, …):
    received, checked and stored while the body was parsed (supportdesk.api.multipart)."""
    if not is_multipart(request):
        return []
    return [file for field in request.FILES for file in request.FILES.getlist(field)]
