"""Threading headers of the e-mails we send a customer (supportdesk.notifications asks):
our own Message-ID (a signed ticket token inside), In-Reply-To/References to the customer's
messages on the ticket, a Reply-To plus-address with the token, and for automatic e-mails
`Auto-Submitted: auto-replied` (RFC 3834) so that well-behaved systems do not answer them."""

from __future__ import annotations

from supportdesk.mail import tokens
from supportdesk.mail.models import InboundMessage, Mailbox, Outcome

MAX_REFERENCES = 10
CUSTOMER_OUTCOMES = (Outcome.CREATED, Outcome.APPENDED)


def _mailbox(client_app_id: int, received: list[tuple[str, int]]) -> str | None:
    if received:
        address = Mailbox.objects.filter(id=received[0][1]).values_list("address", flat=True)
        found = address.first()
        if found:
            return found
    return (
        Mailbox.objects.filter(client_app_id=client_app_id, enabled=True)
        .order_by("id")
        .values_list("address", flat=True)
        .first()
    )


def thread_headers(*, ticket_id: int, client_app_id: int, automatic: bool) -> dict[str, str]:
    received = list(
        InboundMessage.objects.filter(ticket_id=ticket_id, outcome__in=CUSTOMER_OUTCOMES)
        .order_by("-received_at", "-id")
        .values_list("message_id", "mailbox_id")[:MAX_REFERENCES]
    )
    headers = {"Message-ID": tokens.new_message_id(ticket_id)}
    if received:
        headers["In-Reply-To"] = received[0][0]
        headers["References"] = " ".join(message_id for message_id, _box in reversed(received))
    address = _mailbox(client_app_id, received)
    if address:
        headers["Reply-To"] = tokens.reply_address(address, ticket_id)
    if automatic:
        headers["Auto-Submitted"] = "auto-replied"
        headers["X-Auto-Response-Suppress"] = "All"  # no out-of-office answers from Exchange
    return headers
