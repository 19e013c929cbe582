"""`manage.py retention [--dry-run]`: run retention now, or say what the next run would do."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from supportdesk.privacy.services.retention import retention_plan, retention_run


class Command(BaseCommand):
    help = "Anonymise solved/closed tickets past their retention period (RETENTION_DAYS)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Change nothing; report.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            plan = retention_plan()
            periods = ", ".join(f"{app}={days}d" for app, days in plan.periods.items())
            self.stdout.write(
                f"would anonymise {plan.tickets} tickets and pseudonymise {plan.customers} "
                f"customers (periods: {periods})"
            )
            return
        done = retention_run(seconds=float("inf"))
        self.stdout.write(f"anonymised {done} tickets")
