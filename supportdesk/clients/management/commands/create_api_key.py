from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from supportdesk.clients.services import api_key_create


class Command(BaseCommand):
    help = "Create client application NAME (or reuse it) with a new API key; print the key."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        _, key = api_key_create(name=options["name"])
        self.stdout.write(key)
