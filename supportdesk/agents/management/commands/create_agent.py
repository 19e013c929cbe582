from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from supportdesk.agents.services import agent_token_rotate, agent_upsert, parse_skills
from supportdesk.core.exceptions import InvalidInput


class Command(BaseCommand):
    help = "Create or update a staff user with an agent profile; print its API token."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--languages", required=True, help="e.g. nl:native,en:fluent")
        parser.add_argument("--capacity", type=int)
        parser.add_argument("--online", action="store_true")
        parser.add_argument("--manager", action="store_true")
        parser.add_argument("--password")
        parser.add_argument(
            "--rotate-token",
            action="store_true",
            help="replace the API token (the old one stops working; tokens expire after "
            "STAFF_TOKEN_MAX_AGE_DAYS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            skills = parse_skills(options["languages"])
        except InvalidInput as exc:
            raise CommandError(str(exc.message)) from exc
        if options["capacity"] is not None and options["capacity"] < 0:
            raise CommandError("--capacity cannot be negative")
        try:
            agent, token = agent_upsert(
                username=options["username"],
                skills=skills,
                capacity=options["capacity"],
                online=options["online"],
                manager=options["manager"],
                password=options["password"],
            )
        except InvalidInput as exc:  # e.g. a password the validators refuse
            raise CommandError(str(exc.message)) from exc
        if options["rotate_token"]:
            token = agent_token_rotate(agent=agent)
        self.stdout.write(token)
