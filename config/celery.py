"""The Celery app. Task routes and the beat schedule live here and nowhere else."""

import os
from datetime import timedelta

from celery import Celery, Task
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("supportdesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# --- Database connections in workers ------------------------------------------------------
# Celery's Django fixup closes every DB connection before and after each task unless
# CELERY_DB_REUSE_MAX is set: a new PostgreSQL connection per task (~5 ms here) capped a worker
# at ~150 routing tasks/s. Reuse them, and close them by Django's own rule instead (unusable
# after an error, older than CONN_MAX_AGE), as Django does between HTTP requests.
app.conf["CELERY_DB_REUSE_MAX"] = 1_000_000


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(task: "Task[..., object] | None" = None, **kwargs: object) -> None:
    if task is not None and not getattr(task.request, "is_eager", False):  # not in-process
        close_old_connections()


# --- Queues -------------------------------------------------------------------------------
# Every task names its queue (routing, notifications, webhooks, sla); these routes are the
# fallback for tasks that do not. Workers: `celery -A config worker -Q routing,sla,...`.
app.conf.task_default_queue = "routing"
# (Celery 5.7 deprecates the `queue=` task attribute: routes live here.)
app.conf.task_routes = {
    "notifications.deliver_webhook": {"queue": "webhooks"},
    "notifications.webhook_sweep": {"queue": "webhooks"},
    "routing.*": {"queue": "routing"},
    "notifications.*": {"queue": "notifications"},
    "webhooks.*": {"queue": "webhooks"},
    "sla.*": {"queue": "sla"},
    "attachments.*": {"queue": "notifications"},
    "mail.*": {"queue": "notifications"},
    "privacy.*": {"queue": "privacy"},
}


def _language_queues(spec: str) -> dict[str, str]:
    """ROUTING_QUEUES_BY_LANGUAGE="nl:routing-benelux,fr:routing-benelux,ja:routing-apac"
    sends the route_ticket nudges of those languages (exact tag or primary subtag) to their
    own queue, so a region's workers (`-Q routing-benelux`) can own its languages. Unset: all
    on `routing`. The sweep stays on `routing` and covers every language."""
    pairs = (item.split(":", 1) for item in spec.split(",") if ":" in item)
    return {tag.strip(): queue.strip() for tag, queue in pairs if tag.strip() and queue.strip()}


app.conf.routing_queues_by_language = _language_queues(
    os.environ.get("ROUTING_QUEUES_BY_LANGUAGE", "")
)


# --- Beat schedule (the only place periodic schedules live) -------------------------------
# `celery -A config beat` (DatabaseScheduler: it copies these entries into django-celery-beat
# rows at start), or `manage.py run_periodic` in the embedded default (docs/adr/0005).
@app.on_after_configure.connect
def _beat_schedule(sender: Celery, **kwargs: object) -> None:
    """Set once the Django settings are loaded (reading them at import would be circular)."""
    sweep = settings.ROUTING_SWEEP_SECONDS
    sender.conf.beat_schedule = {
        **(sender.conf.beat_schedule or {}),
        "routing-sweep": {
            "task": "routing.sweep",
            "schedule": timedelta(seconds=sweep),
            "options": {"queue": "routing", "expires": sweep},
        },
        "routing-reconcile": {
            "task": "routing.reconcile",
            "schedule": timedelta(minutes=1),
            "options": {"queue": "routing", "expires": 60},
        },
        "sla-check": {
            "task": "sla.check",
            "schedule": timedelta(seconds=settings.SLA_CHECK_SECONDS),
            "options": {"queue": "sla", "expires": settings.SLA_CHECK_SECONDS},
        },
        "email-sweep": {
            "task": "notifications.email_sweep",
            "schedule": timedelta(seconds=settings.EMAIL_SWEEP_SECONDS),
            "options": {"queue": "notifications", "expires": settings.EMAIL_SWEEP_SECONDS},
        },
        "webhook-sweep": {
            "task": "webhooks.sweep",
            "schedule": timedelta(seconds=settings.WEBHOOK_SWEEP_SECONDS),
            "options": {"queue": "webhooks", "expires": settings.WEBHOOK_SWEEP_SECONDS},
        },
        "mail-fetch": {
            "task": "mail.fetch_all",
            "schedule": timedelta(seconds=settings.MAIL_FETCH_SECONDS),
            "options": {"queue": "notifications", "expires": settings.MAIL_FETCH_SECONDS},
        },
        "attachments-sweep-orphans": {
            "task": "attachments.sweep_orphans",
            "schedule": timedelta(seconds=settings.ATTACHMENT_SWEEP_SECONDS),
            "options": {"queue": "notifications", "expires": settings.ATTACHMENT_SWEEP_SECONDS},
        },
        "privacy-retention": {
            "task": "privacy.retention",
            "schedule": timedelta(seconds=settings.RETENTION_SWEEP_SECONDS),
            "options": {"queue": "privacy", "expires": settings.RETENTION_SWEEP_SECONDS},
        },
    }
