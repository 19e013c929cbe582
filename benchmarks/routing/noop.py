"""A no-op Celery task for the routing benchmark's baseline (loaded with `--include`)."""

import redis
from celery import shared_task
from django.conf import settings

_client: redis.Redis | None = None


@shared_task(name="bench.noop", acks_late=True)
def noop_task(counter: str) -> None:
    """Counts itself in Redis, so the benchmark knows when all have run."""
    global _client  # noqa: PLW0603 - one connection per worker process
    if _client is None:
        _client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    _client.incr(counter)
