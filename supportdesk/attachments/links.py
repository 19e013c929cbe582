"""Signed, expiring download links for files too large to travel in an e-mail.

A link names one attachment and is signed with SECRET_KEY (Django's TimestampSigner, its own
salt); it works without an account until ATTACHMENT_LINK_MAX_AGE_SECONDS after it was made."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from supportdesk.attachments.models import Attachment
from supportdesk.attachments.serving import stored_file_response
from supportdesk.core.signed_links import signed_url, signed_value

SALT = "supportdesk.attachments.link"


def link_for(*, attachment: Attachment) -> str:
    return signed_url(salt=SALT, value=attachment.id, route="attachment-link")


def link_expiry(*, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) + timedelta(seconds=settings.ATTACHMENT_LINK_MAX_AGE_SECONDS)


@require_GET
def attachment_by_link(request: HttpRequest, token: str) -> FileResponse:
    """The file of a valid, unexpired link; 404 for anything else (no hint which)."""
    attachment_id = signed_value(
        salt=SALT, token=token, max_age=settings.ATTACHMENT_LINK_MAX_AGE_SECONDS
    )
    attachment = Attachment.objects.filter(pk=attachment_id, message__internal=False).first()
    if attachment is None:
        raise Http404
    return stored_file_response(
        attachment.storage_key, content_type=attachment.content_type, filename=attachment.name
    )


urlpatterns = [path("<str:token>/", attachment_by_link, name="attachment-link")]
