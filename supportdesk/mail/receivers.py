"""django-anymail's `inbound` signal → the mailbox the message was sent to → mail_receive.
The mailbox is the enabled webhook mailbox whose address is the envelope recipient (or a To/Cc
address), plus-address tags ignored. Mail for no mailbox is logged and dropped (the provider
gets its 200, or it would retry forever); a payload with neither sender nor recipient is no
e-mail at all (`NotAnEmail`, a 400)."""

from __future__ import annotations

import logging
from email.utils import getaddresses
from typing import Any

from anymail.signals import inbound
from django.dispatch import receiver

from supportdesk.mail.models import Mailbox, Transport
from supportdesk.mail.services import mail_receive

logger = logging.getLogger(__name__)


class NotAnEmail(Exception):
    """A payload with neither a sender nor a recipient: nothing a provider sends for a received
    e-mail (a delivery-events webhook pointed at the inbound URL, a hand-made request). The
    view answers 400 so the sender sees its mistake instead of a silent 200."""


def _base(address: str) -> str:
    local, _at, domain = address.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def _recipients(message: Any) -> list[str]:
    candidates = [str(message.envelope_recipient or "")]
    headers = [str(value) for key in ("To", "Cc") for value in message.get_all(key, [])]
    candidates += [address for _name, address in getaddresses(headers)]
    return [_base(address) for address in candidates if "@" in address]


def _mailbox(addresses: list[str]) -> Mailbox | None:
    for address in addresses:
        found = (
            Mailbox.objects.select_related("client_app")
            .filter(address__iexact=address, enabled=True, transport=Transport.WEBHOOK)
            .first()
        )
        if found is not None:
            return found
    return None


@receiver(inbound, dispatch_uid="supportdesk.mail.inbound")
def inbound_received(sender: object, event: Any, esp_name: str, **kwargs: object) -> None:
    message = event.message
    addresses = _recipients(message)
    if not (addresses or message.get("From") or message.envelope_sender):
        raise NotAnEmail
    mailbox = _mailbox(addresses)
    if mailbox is None:
        logger.warning("mail webhook %s: no enabled mailbox for the recipient; dropped", esp_name)
        return
    mail_receive(mailbox=mailbox, raw=message.as_bytes())
