import threading
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
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


LAST_USED_RESOLUTION = timedelta(minutes=1)
_marked: dict[str, datetime] = {}  # prefix → when this process last wrote it
_marked_lock = threading.Lock()


def api_key_mark_used(*, key: str) -> bool:
    """Record that `key` authenticated a request: `last_used_at` to the minute, at most one
    UPDATE per key per minute and process (an API call must not turn into a write)."""
    prefix = keys.prefix_of(key)
    if prefix is None:
        return False
    now = timezone.now()
    with _marked_lock:
        last = _marked.get(prefix)
        if last is not None and now - last < LAST_USED_RESOLUTION:
            return False
        if len(_marked) > 10_000:
            _marked.clear()
        _marked[prefix] = now
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    return bool(ApiKey.objects.filter(stale, prefix=prefix).update(last_used_at=now))


def api_key_marks_forget() -> None:
    with _marked_lock:
        _marked.clear()
