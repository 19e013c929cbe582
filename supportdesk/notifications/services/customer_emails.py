"""Sending e-mails: the customer's acknowledgement and agent replies (through an outbox with
a sweep, as webhooks have), managers' alerts."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.utils import timezone

from supportdesk.agents.roles import MANAGERS_GROUP
from supportdesk.attachments.emails import email_attach
from supportdesk.core.pseudonyms import is_erased_address
from supportdesk.core.publishing import publish_on_commit as on_commit
from supportdesk.mail.outgoing import thread_headers
from supportdesk.notifications import emails
from supportdesk.notifications.models import EmailDelivery, EmailStatus
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
    """Send one customer e-mail once. False when there is nothing (left) to send.

    The outbox row (one per ticket, kind and message) is locked while the SMTP server takes
    the mail and marked sent in the same transaction: a duplicate message or a sweep finds it
    done or locked. (A worker lost between the SMTP answer and the commit sends it again.)
    """
    if not Ticket.objects.filter(id=ticket_id).exists():
        return False
    row, _created = EmailDelivery.objects.get_or_create(
        ticket_id=ticket_id, kind=kind, message_id=message_id or 0
    )
    try:
        with transaction.atomic():
            locked = (
                EmailDelivery.objects.select_for_update(no_key=True, skip_locked=True)
                .filter(pk=row.pk, status=EmailStatus.PENDING)
                .first()
            )
            if locked is None:
                return False
            sent = _send(ticket_id=ticket_id, kind=kind, message_id=message_id)
            locked.status = EmailStatus.SENT if sent else EmailStatus.SKIPPED
            locked.sent_at = timezone.now()
            locked.save(update_fields=["status", "sent_at"])
            return sent
    except Exception:
        _count_failure(row.pk)
        raise


def _count_failure(row_id: int) -> None:
    """One more failed try; at EMAIL_MAX_ATTEMPTS the sweep gives the e-mail up."""
    EmailDelivery.objects.filter(pk=row_id, status=EmailStatus.PENDING).update(
        attempts=F("attempts") + 1,
        status=Case(
            When(attempts__gte=settings.EMAIL_MAX_ATTEMPTS - 1, then=Value(EmailStatus.FAILED)),
            default=Value(EmailStatus.PENDING),
        ),
    )


class MailNotSent(SMTPException):
    """An SMTP failure told by its kind and code only: smtplib's own exceptions quote the
    server's answer and the refused addresses, which would reach the log (and Celery's retry
    messages) with the customer's e-mail address in them (docs/privacy.md)."""


def _send_naming_no_one(mail: EmailMultiAlternatives, *, reference: str) -> None:
    try:
        mail.send()
    except SMTPException as exc:
        codes = getattr(exc, "smtp_code", None) or sorted(
            {code for code, _answer in getattr(exc, "recipients", {}).values()}
        )
        raise MailNotSent(f"{type(exc).__name__} {codes or ''} for {reference}".strip()) from None


def _send(*, ticket_id: int, kind: str, message_id: int | None) -> bool:
    ticket = Ticket.objects.select_related("customer").filter(id=ticket_id).first()
    if ticket is None or not ticket.customer.email or is_erased_address(ticket.customer.email):
        return False  # nobody to write to (an erased customer's address is a pseudonym)
    rendered = _render(ticket=ticket, kind=kind, message_id=message_id)
    if rendered is None:
        return False
    mail = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[rendered.to],
        headers={
            "Content-Language": rendered.language,
            "X-Supportdesk-Ticket": ticket.reference,
            # Message-ID, In-Reply-To/References, Reply-To with the ticket token (docs/mail.md)
            **thread_headers(
                ticket_id=ticket.pk,
                client_app_id=ticket.client_app_id,
                automatic=kind == ACKNOWLEDGEMENT,
            ),
        },
    )
    mail.attach_alternative(rendered.html, "text/html")
    email_attach(mail, files=rendered.files)  # the agent's files (supportdesk.attachments)
    _send_naming_no_one(mail, reference=ticket.reference)
    logger.info("sent %s e-mail for %s in %s", kind, ticket.reference, rendered.language)
    return True


def email_outbox_add(*, ticket_id: int, message_id: int) -> None:
    """Inside the reply's transaction: the reply e-mail is owed from now on (the sweep sends
    it if no message does)."""
    EmailDelivery.objects.get_or_create(ticket_id=ticket_id, kind=REPLY, message_id=message_id)


def email_sweep(*, now: datetime | None = None, limit: int = 500) -> int:
    """Beat: queue the customer e-mails no message delivered (broker down at intake or at the
    reply, message lost): acknowledgements of tickets created within EMAIL_SWEEP_WINDOW_SECONDS
    without a finished outbox row, and pending reply rows. Returns how many were queued."""
    now = now or timezone.now()
    settled = now - timedelta(seconds=settings.EMAIL_SWEEP_GRACE_SECONDS)
    window = now - timedelta(seconds=settings.EMAIL_SWEEP_WINDOW_SECONDS)
    finished = EmailDelivery.objects.filter(ticket_id=OuterRef("pk"), kind=ACKNOWLEDGEMENT).exclude(
        status=EmailStatus.PENDING
    )
    acknowledgements = list(
        Ticket.objects.filter(created_at__gte=window, created_at__lte=settled)
        .exclude(Exists(finished))
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    replies = list(
        EmailDelivery.objects.filter(
            kind=REPLY, status=EmailStatus.PENDING, created_at__lte=settled
        )
        .order_by("id")
        .values_list("ticket_id", "message_id")[: max(limit - len(acknowledgements), 0)]
    )
    for ticket_id in acknowledgements:
        on_commit("notifications.send_ticket_email", ticket_id, ACKNOWLEDGEMENT)
    for ticket_id, message_id in replies:
        on_commit("notifications.send_ticket_email", ticket_id, REPLY, message_id)
    return len(acknowledgements) + len(replies)


def manager_emails() -> list[str]:
    users = (
        get_user_model()
        .objects.filter(groups__name=MANAGERS_GROUP, is_active=True)
        .exclude(email="")
    )
    configured: list[str] = list(settings.MANAGER_EMAILS)
    return sorted({*users.values_list("email", flat=True), *configured})


def managers_notify(*, subject: str, body: str) -> int:
    """Plain-text alert to every manager with an address, marked `Auto-Submitted:
    auto-generated` (RFC 3834) so that out-of-office responders and other help desks (ours
    too, were a manager's address one of its mailboxes) do not answer it. Returns how many
    were addressed."""
    recipients = manager_emails()
    if recipients:
        EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            recipients,
            headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
        ).send()
    return len(recipients)
