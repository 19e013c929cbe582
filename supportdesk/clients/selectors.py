from supportdesk.clients import keys
from supportdesk.clients.models import ApiKey, ClientApplication
from supportdesk.core.snapshots import Snapshot


def _load_client_app(key: str) -> ClientApplication | None:
    prefix = keys.prefix_of(key)
    if prefix is None:
        return None
    row = (
        ApiKey.objects.select_related("client_app")
        .filter(prefix=prefix, revoked_at__isnull=True, client_app__is_active=True)
        .first()
    )
    if row is None or not keys.matches(key, row.digest):
        return None
    return row.client_app


# keyed by the whole key, so a guess that shares a valid key's prefix never hits
_apps_by_key: Snapshot[str, ClientApplication] = Snapshot(
    _load_client_app, depends_on=("clients.ApiKey", "clients.ClientApplication")
)


def client_app_for_key(*, key: str) -> ClientApplication | None:
    """The active application owning the unrevoked `key`, or None. Revocation takes effect at
    once in this process and within REFERENCE_CACHE_SECONDS in the others (ADR 0008)."""
    return _apps_by_key.get(key)


def client_app_keys_forget() -> None:
    """Forget this process's known keys (after a bulk revocation, which sends no signal)."""
    _apps_by_key.clear()
