"""The Redis server the tests use: the machine's shared one unless `TEST_REDIS` names another.

Each suite keeps its own database number on that server; a second checkout running its tests at
the same time points `TEST_REDIS` (host:port) at a private redis-server so neither flushes the
other's queues.
"""

import os

SERVER = os.environ.get("TEST_REDIS", "127.0.0.1:6379")


def redis_url(db: int) -> str:
    return f"redis://{SERVER}/{db}"
