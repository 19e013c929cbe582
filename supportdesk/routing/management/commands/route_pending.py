from typing import Any

from django.core.management.base import BaseCommand

from supportdesk.routing.services import route_waiting


class Command(BaseCommand):
    help = "Run one routing sweep by hand (what the beat task does); print how many were assigned."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(route_waiting().assigned))
