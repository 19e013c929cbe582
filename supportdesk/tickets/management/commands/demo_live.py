"""`manage.py demo_live`: keep the demo hub alive (supportdesk.tickets.demo_live). `make run`
starts it beside the server unless DEMO_LIVE=0; it refuses to run without DEBUG, so that it never
posts made-up tickets into a real hub."""

import logging
import random
import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from supportdesk.tickets.demo_live import LiveDemo

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Keep the demo hub alive: customers post tickets in many languages, the seeded demo "
        "agents answer and solve theirs (DEBUG only)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--arrivals-per-minute",
            type=float,
            default=None,
            help="new tickets per minute (default: DEMO_LIVE_ARRIVALS_PER_MINUTE)",
        )
        parser.add_argument(
            "--handle-seconds", type=float, default=180.0, help="mean handle time of a ticket"
        )
        parser.add_argument("--seconds", type=float, help="stop after this long (default: never)")
        parser.add_argument("--seed", type=int, default=None, help="random seed (reproducible)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_live posts made-up tickets: it runs only with DEBUG=1")
        rate = options["arrivals_per_minute"]
        demo = LiveDemo(
            arrivals_per_minute=settings.DEMO_LIVE_ARRIVALS_PER_MINUTE if rate is None else rate,
            mean_handle_seconds=max(options["handle_seconds"], 1.0),
            rng=random.Random(options["seed"]),  # noqa: S311 - demo data
        )
        stop = time.monotonic() + options["seconds"] if options["seconds"] else None
        while stop is None or time.monotonic() < stop:
            try:
                demo.tick(timezone.now())
            except DatabaseError as exc:  # a busy SQLite file: the next tick retries
                logger.warning("demo_live tick skipped (%s)", type(exc).__name__)
            close_old_connections()
            time.sleep(1.0)
