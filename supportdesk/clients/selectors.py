from supportdesk.clients import keys
from supportdesk.clients.models import ApiKey, ClientApplication


def client_app_for_key(*, key: str) -> ClientApplication | None:
    """The active application owning the unrevoked `key`, or None."""
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
