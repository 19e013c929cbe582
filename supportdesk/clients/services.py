from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from supportdesk.clients import keys
from supportdesk.clients.models import ApiKey, ClientApplication


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
    return ApiKey.objects.filter(id__in=list(key_ids), revoked_at__isnull=True).update(
        revoked_at=now, updated_at=now
    )
