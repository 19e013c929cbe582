"""Signed, expiring download links of exports (PRIVACY_EXPORT_TTL_SECONDS). The link is the
credential, as an e-mail link is: whoever holds it may download until it expires; every
download joins the audit trail with its address."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from supportdesk.attachments.serving import stored_file_response
from supportdesk.audit.models import AuditAction
from supportdesk.audit.services import actor_of, audit_record
from supportdesk.core.pseudonyms import customer_pseudonym
from supportdesk.core.signed_links import signed_url, signed_value
from supportdesk.privacy.models import ExportJob, ExportStatus

SALT = "supportdesk.privacy.export"


def export_link(*, job: ExportJob) -> str | None:
    if (
        job.status != ExportStatus.DONE
        or job.expires_at is None
        or job.expires_at <= timezone.now()
    ):
        return None
    return signed_url(salt=SALT, value=job.id, route="export-download")


@require_GET
def export_download(request: HttpRequest, token: str) -> FileResponse:
    """The zip of a valid, unexpired link; 404 for anything else (no hint which)."""
    job_id = signed_value(salt=SALT, token=token, max_age=settings.PRIVACY_EXPORT_TTL_SECONDS)
    job = ExportJob.objects.filter(
        pk=job_id, status=ExportStatus.DONE, expires_at__gt=timezone.now()
    ).first()
    if job is None:
        raise Http404
    response = stored_file_response(
        job.storage_key, content_type="application/zip", filename=f"export-{job.id}.zip"
    )
    audit_record(
        actor=actor_of(request),
        action=AuditAction.EXPORT_DOWNLOAD,
        object_type="export",
        object_id=job.pk,
        object_label=customer_pseudonym(job.customer_id),
        customer_id=job.customer_id,
        via="link",
    )
    return response


urlpatterns = [path("<str:token>/", export_download, name="export-download")]
