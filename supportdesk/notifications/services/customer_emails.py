"""Sending e-mails: the customer's acknowledgement and agent replies, managers' alerts."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, send_mail

from supportdesk.agents.roles import MANAGERS_GROUP
from supportdesk.attachments.emails import email_attach
from supportdesk.notifications import emails
from supportdesk.tickets.models import Message, Ticket

logger = logging.getLogger(__name__)

ACKNOWLEDGEMENT = "acknowledgement"
REPLY = "reply"


def _render(*, ticket: Ticket, kind: str, message_id: int | None) -> emails.RenderedEmail | None:
    if kind == ACKNOWLEDGEMENT:
        return emails.render_acknowledgement(ticket=ticket)
    if message_id is None:
        return None
    message = (
        Message.objects.select_related("author_agent__user")
        .filter(id=message_id, ticket=ticket, internal=False)
        .first()
    )
    if message is None:
        return None
    return emails.render_reply(ticket=ticket, message=message)


def email_send(*, ticket_id: int, kind: str, message_id: int | None = None) -> bool:
    """Render and send one customer e-mail. False when there is nothing (left) to send.

    At least once: a worker lost after the SMTP server accepted the mail sends it again.
    """
    ticket = Ticket.objects.select_related("customer").filter(id=ticket_id).first()
    if ticket is None or not ticket.customer.email:
        return False
    rendered = _render(ticket=ticket, kind=kind, message_id=message_id)
    if rendered is None:
        return False
    mail = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[rendered.to],
        headers={"Content-Language": rendered.language, "X-Supportdesk-Ticket": ticket.reference},
    )
    mail.attach_alternative(rendered.html, "text/html")
    email_attach(mail, files=rendered.files)  # the agent's files (supportdesk.attachments)
    mail.send()
    logger.info("sent %s e-mail for %s in %s", kind, ticket.reference, rendered.language)
    return True


def manager_emails() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(groups__name=MANAGERS_GROUP, is_active=True)
        .exclude(email="")
    )
    configured: list[str] = list(settings.MANAGER_EMAILS)
    return sorted({*users.values_list("email", flat=True), *configured})


def managers_notify(*, subject: str, body: str) -> int:
    """Plain-text alert to every manager with an address. Returns how many were addressed."""
    recipients = manager_emails()
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)
