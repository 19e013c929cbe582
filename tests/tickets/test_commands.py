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
    as_before = json.dumps(dataclasses.asdict(new), sort_keys=True, ensure_ascii=True)

    assert new.fingerprint() == hashlib.sha256(as_before.encode("ascii")).hexdigest()
