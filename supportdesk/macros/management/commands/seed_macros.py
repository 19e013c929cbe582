from typing import Any

from django.core.management.base import BaseCommand

from supportdesk.macros.seeding import macros_seed


class Command(BaseCommand):
    help = "Add the demo macros of seeds/macros.json that are missing (existing ones are kept)."

    def handle(self, *args: Any, **options: Any) -> None:
        seeded = macros_seed()
        self.stdout.write(f"seeded {seeded.macros} new macros, {seeded.variants} new texts")
