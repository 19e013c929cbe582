from argparse import ArgumentParser
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from supportdesk.core.batching import batcher
from supportdesk.tickets.demo import demo_seed

DUMMY_MAIL = "django.core.mail.backends.dummy.EmailBackend"


@contextmanager
def _mail_to_nowhere() -> Iterator[None]:
    """The demo's customers are fictional (example.com): the e-mails this process sends them
    while seeding are recorded as sent and go nowhere (`make run` printed 500 of them to the
    console before its banner). With a broker, a worker sends them with its own settings."""
    configured = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = DUMMY_MAIL
    try:
        yield
        batcher.flush()  # acknowledgements leave from the nudge batcher's thread
    finally:
        settings.EMAIL_BACKEND = configured


class Command(BaseCommand):
    help = "Seed a demo hub from seeds/: languages, agents with skills, multilingual tickets."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--agents", type=int, default=40)
        parser.add_argument("--tickets", type=int, default=500)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--send-mail",
            action="store_true",
            help="send the demo customers' e-mails through EMAIL_URL (default: recorded as "
            "sent, sent nowhere)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed = {key: options[key] for key in ("agents", "tickets", "seed")}
        if options["send_mail"]:
            summary = demo_seed(**seed)
            batcher.flush()
        else:
            with _mail_to_nowhere():
                summary = demo_seed(**seed)
        self.stdout.write(
            f"seeded {summary.languages} languages, {summary.agents} agents, "
            f"{summary.tickets_created} new tickets"
        )
