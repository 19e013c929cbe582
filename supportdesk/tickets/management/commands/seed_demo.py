from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from supportdesk.tickets.demo import demo_seed


class Command(BaseCommand):
    help = "Seed a demo hub from seeds/: languages, agents with skills, multilingual tickets."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--agents", type=int, default=40)
        parser.add_argument("--tickets", type=int, default=500)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_seed(
            agents=options["agents"], tickets=options["tickets"], seed=options["seed"]
        )
        self.stdout.write(
            f"seeded {summary.languages} languages, {summary.agents} agents, "
            f"{summary.tickets_created} new tickets"
        )
