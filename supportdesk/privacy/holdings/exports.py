"""Earlier exports of the customer: files deleted on erasure (an export is a copy)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from django.db import transaction

from supportdesk.attachments.services.store import keys_delete
from supportdesk.core.holdings import ExportEntry, Scope
from supportdesk.privacy.models import ExportJob


class ExportsHolding:
    name = "exports"

    def export(self, scope: Scope) -> Iterator[ExportEntry]:
        return iter(())

    def scrub(self, scope: Scope, *, dry_run: bool) -> int:
        jobs = ExportJob.objects.filter(customer_id__in=scope.customer_ids)
        if dry_run:
            return jobs.count()
        keys = [key for key in jobs.values_list("storage_key", flat=True) if key]
        deleted, _ = jobs.delete()
        transaction.on_commit(partial(keys_delete, keys=keys))
        return deleted
