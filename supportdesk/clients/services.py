from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from supportdesk.clients import keys
from supportdesk.clients.models import ApiKey, ClientApplication
from supportdesk.clients.selectors import client_app_keys_forget


def api_key_create(*, name: str) -> tuple[ClientApplication, str]:
    """Create the client application `name` (or reuse it) and a new key; return the key once."""
    with transaction.atomic():
        app, _ = ClientApplication.objects.get_or_create(name=name)
        key, parts = keys.generate()
        ApiKey.objects.create(client_app=app, prefix=parts.prefix, digest=parts.digest)
    return app, key


def api_key_revoke(*, key_ids: Iterable[int]) -> int:
    """Revoke the given keys now; already revoked keys keep their time. Returns how many."""
    now = timezone.now()
    revoked = ApiKey.objects.filter(id__in=list(key_ids), revoked_at__isnull=True).update(
        revoked_at=now, updated_at=now
    )
    # a bulk update sends no model signal, so forget this process's keys ourselves (ADR 0008):
    # now, for the revoking transaction's own reads, and again after its commit, in case
    # another thread re-read a key before the revocation was visible to it
    client_app_keys_forget()
    transaction.on_commit(client_app_keys_forget)
    return revoked
