"""Ticket commands."""

import dataclasses
import hashlib
import json

from supportdesk.tickets.commands import NewCustomer, NewTicket


def test_the_idempotency_fingerprint_keeps_its_stored_form() -> None:
    """Digests stored with tickets must still match after the fingerprint's rewrite: the JSON
    is that of dataclasses.asdict, sorted keys, ASCII."""
    new = NewTicket(
        subject="Où est ma commande ?",
        body="Pas encore reçue.",
        customer=NewCustomer(email="zoe@example.fr", name="Zoé", country="FR"),
        language="fr",
        tags=("billing", "vip"),
    )
    fields = dataclasses.asdict(new)
    del fields["attachments"]  # added later, and only present when there are files
    as_before = json.dumps(fields, sort_keys=True, ensure_ascii=True)

    assert new.fingerprint() == hashlib.sha256(as_before.encode("ascii")).hexdigest()


def test_the_files_of_a_ticket_are_part_of_its_fingerprint() -> None:
    new = NewTicket(subject="Kapot", body="Zie foto", customer=NewCustomer(email="a@b.nl"))
    with_file = dataclasses.replace(new, attachments=("ab12 foto.png",))
    other_file = dataclasses.replace(new, attachments=("cd34 foto.png",))

    assert len({new.fingerprint(), with_file.fingerprint(), other_file.fingerprint()}) == 3
