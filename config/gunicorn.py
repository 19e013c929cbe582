"""gunicorn settings for production and the benchmarks: `gunicorn -c config/gunicorn.py`.

Threaded workers: a ticket request spends most of its time waiting on PostgreSQL (its commit
is fsynced: a created ticket is never lost), so each process serves several requests at once.
"""

import logging
import os
from collections.abc import Callable

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


_detector_loaded = False  # set in the master; forked workers inherit it


def _load_detector() -> None:
    global _detector_loaded  # noqa: PLW0603 - one load per master, inherited by its workers
    from django.db import DatabaseError, connections

    from supportdesk.languages.detection import load_detector
    from supportdesk.languages.selectors import enabled_tags

    try:
        load_detector(enabled_tags())
        _detector_loaded = True
    except DatabaseError:  # database not up yet: a worker (or its first ticket) loads it
        pass
    finally:
        connections.close_all()  # no connection may cross a fork


def _warm_up() -> None:
    """Serve one request in the master: Django and DRF import much of themselves on the first
    request (URL resolver, authentication and renderer classes, the exception handler,
    translations), ~0.5 s that a recycled worker's first customer would otherwise wait. A
    ticket POST without credentials is answered 401 without touching the database."""
    import io
    from wsgiref.util import setup_testing_defaults

    from django.conf import settings

    from config.wsgi import application

    named = [h.lstrip(".") for h in settings.ALLOWED_HOSTS if h.strip("*.") and "*" not in h]
    environ: dict[str, object] = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1/tickets/",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": "2",
        "HTTP_ACCEPT_LANGUAGE": settings.LANGUAGE_CODE,
        "wsgi.input": io.BytesIO(b"{}"),
    }
    if named:
        environ["HTTP_HOST"] = named[0]
    setup_testing_defaults(environ)
    quiet = logging.getLogger("django.request")  # not a real client's 401: no warning
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        for chunk in application(environ, _start_response):
            del chunk
    finally:
        quiet.setLevel(level)


def _start_response(
    status: str, headers: list[tuple[str, str]], exc_info: object = None, /
) -> Callable[[bytes], object]:
    return lambda data: None


def when_ready(server: object) -> None:
    """In the master, after the app is imported and before the first worker forks."""
    _load_detector()
    _warm_up()


def post_worker_init(worker: object) -> None:
    """In each worker, only when the master could not load the models (database down)."""
    if not _detector_loaded:
        _load_detector()
