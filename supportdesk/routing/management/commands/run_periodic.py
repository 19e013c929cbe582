"""The embedded default's beat (docs/adr/0005): with no broker, tasks are eager, so this loop
runs the entries of `config/celery.py`'s beat schedule in-process, each when it is due."""

import logging
import time
from argparse import ArgumentParser
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from celery.schedules import BaseSchedule, schedule
from django.core.management.base import BaseCommand

from supportdesk.core.publishing import failure_frames

logger = logging.getLogger(__name__)


def _as_schedule(value: float | timedelta | BaseSchedule) -> BaseSchedule:
    if isinstance(value, BaseSchedule):
        return value
    return schedule(run_every=value, app=current_app)


class Command(BaseCommand):
    help = "Run the Celery beat schedule in this process (embedded default, no broker)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--seconds", type=float, help="stop after this long (default: never)")

    def handle(self, *args: Any, **options: Any) -> None:
        current_app.loader.import_default_modules()
        entries = {
            name: (entry["task"], _as_schedule(entry["schedule"]))
            for name, entry in current_app.conf.beat_schedule.items()
        }
        stop = time.monotonic() + options["seconds"] if options["seconds"] else None
        last_run: dict[str, datetime | None] = dict.fromkeys(entries)
        while stop is None or time.monotonic() < stop:
            wait = 60.0
            for name, (task, when) in entries.items():
                ran = last_run[name]
                due, next_in = when.is_due(ran) if ran is not None else (True, 0.0)
                if due:
                    self._run(name, task)
                    last_run[name] = finished = current_app.now()
                    due, next_in = when.is_due(finished)
                wait = min(wait, next_in)
            if stop is not None:
                wait = min(wait, stop - time.monotonic())
            time.sleep(max(wait, 0.05))

    def _run(self, name: str, task: str) -> None:
        try:
            current_app.tasks[task].apply(throw=True)
        except Exception as exc:  # noqa: BLE001 - a failing entry must not stop the others
            # the exception's text may quote recipients: its class and frames only
            logger.error(
                "periodic task %s (%s) failed (%s)\n%s",
                name,
                task,
                type(exc).__name__,
                failure_frames(exc),
            )
