"""Liveness and readiness. Both answer JSON at exactly /healthz and /readyz, no auth."""

import logging

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("readiness: database unreachable", exc_info=True)
        return "down"
    return "up"


def _broker_state() -> str:
    if not settings.CELERY_BROKER_URL:
        return "not-configured"
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        logger.warning("readiness: broker unreachable", exc_info=True)
        return "down"
    return "up"


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    database, broker = _database_state(), _broker_state()
    ready = database == "up" and broker in {"up", "not-configured"}
    body = {"status": "ready" if ready else "unavailable", "database": database, "broker": broker}
    return JsonResponse(body, status=200 if ready else 503)
