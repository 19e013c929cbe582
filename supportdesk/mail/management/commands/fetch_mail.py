"""`manage.py fetch_mail [MAILBOX]`: read the enabled IMAP mailboxes (or the one with this
address) once, now; prints one line per mailbox."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from supportdesk.mail.models import Mailbox, Transport
from supportdesk.mail.services import mailbox_fetch


class Command(BaseCommand):
    help = "Fetch new mail from the enabled IMAP mailboxes (or one, by address) once."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("mailbox", nargs="?", help="the mailbox's address (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        mailboxes = Mailbox.objects.select_related("client_app").filter(transport=Transport.IMAP)
        if options["mailbox"]:
            mailboxes = mailboxes.filter(address__iexact=options["mailbox"])
            if not mailboxes.exists():
                raise CommandError(f"no IMAP mailbox {options['mailbox']}")
        else:
            mailboxes = mailboxes.filter(enabled=True)
        failed = False
        for mailbox in mailboxes.order_by("address"):
            result = mailbox_fetch(mailbox=mailbox)
            failed = failed or bool(result.error)
            print(
                f"{mailbox.address}: read {result.read}, new {result.landed}, "
                f"duplicates {result.duplicates}, refused {result.refused}"
                + (f", error {result.error}" if result.error else "")
                + (", skipped (another fetch is running)" if result.skipped else "")
            )
        if failed:
            raise CommandError("a mailbox could not be read")
