"""Exporting one customer's data (GDPR Art. 15/20): a job the API or the admin starts, a Celery
task that streams a zip (zipstream-ng) into storage, never whole in memory."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.files import File
from django.db import OperationalError as DatabaseOperationalError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from zipstream import ZIP_DEFLATED, ZipStream

from supportdesk.attachments.storage import attachment_storage
from supportdesk.audit.models import AuditAction
from supportdesk.audit.services import Actor, audit_record
from supportdesk.core.exceptions import NotFound
from supportdesk.core.holdings import Content, ExportEntry, Scope, all_holdings
from supportdesk.core.pseudonyms import customer_pseudonym
from supportdesk.core.publishing import publish_on_commit
from supportdesk.privacy.holdings.encoding import to_json
from supportdesk.privacy.models import ExportJob, ExportStatus
from supportdesk.privacy.readme import FORMAT_VERSION, export_language, readme_text
from supportdesk.privacy.selectors import customer_by_email, tickets_of_customer

EXPORTS = "exports"


def export_request(
    *, client_app_id: int, email: str, actor: Actor, include_internal: bool, via: str
) -> ExportJob:
    customer = customer_by_email(client_app_id=client_app_id, email=email)
    if customer is None:
        raise NotFound(_("No customer with this e-mail address."), field="email")
    return export_start(customer_id=customer.pk, client_app_id=client_app_id, actor=actor,
                        include_internal=include_internal, via=via)  # fmt: skip


def export_start(
    *, customer_id: int, client_app_id: int, actor: Actor, include_internal: bool, via: str
) -> ExportJob:
    with transaction.atomic():
        job = ExportJob.objects.create(
            client_app_id=client_app_id,
            customer_id=customer_id,
            include_internal=include_internal,
            requested_by=actor.label[:150],
        )
        audit_record(
            actor=actor,
            action=AuditAction.CUSTOMER_EXPORT,
            object_type="customer",
            object_id=customer_id,
            object_label=customer_pseudonym(customer_id),
            customer_id=customer_id,
            via=via,
            detail={"export": str(job.id), "include_internal": include_internal},
        )
        publish_on_commit("privacy.export", str(job.id))
    return job


def _lazy(content: Content) -> Iterable[bytes] | bytes:
    if isinstance(content, bytes):
        return content

    def chunks() -> Iterator[bytes]:
        yield from content()

    return chunks()


def export_entries(job: ExportJob) -> Iterator[ExportEntry]:
    """Every file of the job's archive, in order: the manifest, the README, each holding's."""
    customer = job.customer
    scope = Scope(
        client_app_id=job.client_app_id,
        customer_ids=(customer.pk,),
        ticket_ids=tuple(tickets_of_customer(customer_id=customer.pk).values_list("id", flat=True)),
        emails=(customer.email,),
        include_internal=job.include_internal,
        language=export_language(customer.locale),
    )
    manifest = {
        "format": "supportdesk-customer-export",
        "version": FORMAT_VERSION,
        "export_id": str(job.id),
        "generated_at": timezone.now(),
        "include_internal": job.include_internal,
        "holdings": [holding.name for holding in all_holdings()],
    }
    yield ExportEntry("manifest.json", to_json(manifest))
    readme = readme_text(language=scope.language, application=customer.client_app.name,
                         include_internal=job.include_internal)  # fmt: skip
    yield ExportEntry("README.txt", readme.encode())
    for holding in all_holdings():
        yield from holding.export(scope)


def _zip(job: ExportJob) -> ZipStream:
    """The archive, streamed: each file's content is produced when the zip reaches it."""
    archive = ZipStream(compress_type=ZIP_DEFLATED, sized=False)
    for entry in export_entries(job):
        archive.add(_lazy(entry.content), entry.name)
    return archive


def export_write(*, job_id: str) -> bool:
    """Write the job's zip once; False when it is done already or another worker has it. The
    job row stays locked while the zip is written (one snapshot of the data, one writer); a
    worker killed midway leaves it pending for the redelivered message. An error that a retry
    cannot mend marks the job failed (the caller sees it) before it propagates."""
    try:
        return _write(job_id)
    except DatabaseOperationalError:
        raise  # transient: the task retries, the job stays pending
    except Exception:
        ExportJob.objects.filter(
            pk=job_id, status__in=(ExportStatus.PENDING, ExportStatus.RUNNING)
        ).update(status=ExportStatus.FAILED, finished_at=timezone.now())
        raise


def _write(job_id: str) -> bool:
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(no_key=True, skip_locked=True)
            .select_related("customer__client_app")
            .filter(pk=job_id, status__in=(ExportStatus.PENDING, ExportStatus.RUNNING))
            .first()
        )
        if job is None:
            return False
        with tempfile.TemporaryFile(prefix="export-") as spool:
            for chunk in _zip(job):
                spool.write(chunk)
            size = spool.tell()
            spool.seek(0)
            key = attachment_storage().save(f"{EXPORTS}/{job.pk.hex}.zip", File(spool))
        now = timezone.now()
        job.status, job.storage_key, job.size = ExportStatus.DONE, key, size
        job.finished_at = now
        job.expires_at = now + timedelta(seconds=settings.PRIVACY_EXPORT_TTL_SECONDS)
        job.save(update_fields=["status", "storage_key", "size", "finished_at", "expires_at"])
    return True


def exports_expire(*, now: object = None) -> int:
    """Delete the files of exports whose link has expired (and the jobs). Returns how many."""
    from supportdesk.attachments.services.store import keys_delete

    moment = now or timezone.now()
    expired = ExportJob.objects.filter(expires_at__lte=moment)
    keys = [key for key in expired.values_list("storage_key", flat=True) if key]
    with transaction.atomic():
        deleted, _unused = expired.delete()
        transaction.on_commit(partial(keys_delete, keys=keys))
    return deleted
