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


# The app and the language detector load once, in the master; workers fork from it ready to
# serve. A worker recycled after max_requests is back in milliseconds instead of the ~1.5 s a
# fresh import + model load took (which showed as a p99 stall in benchmarks/intake), and the
# workers share the models' pages until they write to them.
preload_app = True


def _load_detector() -> None:
    from django.db import DatabaseError, connections

    from supportdesk.languages.detection import load_detector
    from supportdesk.languages.selectors import enabled_tags

    try:
        load_detector(enabled_tags())
    except DatabaseError:  # database not up yet: the first ticket loads it instead
        pass
    finally:
        connections.close_all()  # no connection may cross a fork


def when_ready(server: object) -> None:
    """In the master, after the app is imported and before the first worker forks."""
    _load_detector()


def post_worker_init(worker: object) -> None:
    """In each worker: a no-op when the master loaded the models, the load otherwise."""
    _load_detector()
