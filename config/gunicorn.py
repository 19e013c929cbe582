"""gunicorn settings for production and the benchmarks: `gunicorn -c config/gunicorn.py`.

Threaded workers: a ticket request spends most of its time waiting on PostgreSQL (its commit
is fsynced: a created ticket is never lost), so each process serves several requests at once.
"""

import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS", "4"))
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
max_requests = 10_000
max_requests_jitter = 1_000
accesslog = os.environ.get("WEB_ACCESS_LOG") or None


def post_worker_init(worker: object) -> None:
    """Load the language detector now, not on the first ticket (which would wait ~0.5 s)."""
    from django.db import DatabaseError, connection

    from supportdesk.languages.detection import load_detector
    from supportdesk.languages.selectors import enabled_tags

    try:
        load_detector(enabled_tags())
    except DatabaseError:  # database not up yet: the first ticket loads it instead
        pass
    finally:
        connection.close()
