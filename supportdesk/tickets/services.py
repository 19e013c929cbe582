"""State changes of tickets. Each service owns its transaction and writes its events."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportdesk.clients.models import ClientApplication
from supportdesk.core.exceptions import Conflict
from supportdesk.languages import negotiation, tags
from supportdesk.languages.selectors import enabled_tags
from supportdesk.tickets.commands import NewCustomer, NewTicket
from supportdesk.tickets.language import Detected, ResolvedLanguage, resolve_language
from supportdesk.tickets.models import (
    AuthorKind,
    Customer,
    EventKind,
    Message,
    Ticket,
    TicketEvent,
)

logger = logging.getLogger(__name__)

MIN_DETECTION_CONFIDENCE = 0.5


def _customer_upsert(*, client_app: ClientApplication, new: NewCustomer) -> Customer:
    customer, created = Customer.objects.get_or_create(
        client_app=client_app,
        email=new.email.lower(),
        defaults={
            "name": new.name,
            "locale": new.locale,
            "country": new.country,
            "timezone": new.timezone,
        },
    )
    if not created:
        changed = [
            name
            for name in ("name", "locale", "country", "timezone")
            if getattr(new, name) and getattr(new, name) != getattr(customer, name)
        ]
        for name in changed:
            setattr(customer, name, getattr(new, name))
        if changed:
            customer.save(update_fields=[*changed, "updated_at"])
    return customer


def _detect(*, new: NewTicket, available: list[str]) -> Detected | None:
    from supportdesk.languages.detection import detect_language

    return detect_language(
        f"{new.subject}\n{new.body}", country=new.customer.country or None, candidates=available
    )


def ticket_language(*, new: NewTicket, accept_language: str | None) -> ResolvedLanguage:
    """DESIGN §4. A locale is mapped to the enabled language it names (`nl-NL` → `nl`)."""
    available = enabled_tags()
    locale = None
    if new.customer.locale:
        given = tags.normalise(new.customer.locale)
        locale = negotiation.negotiate([given], available) or given
    negotiated = negotiation.negotiate(
        negotiation.parse_accept_language(accept_language), available
    )
    needs_detection = not (new.language or locale or negotiated)
    return resolve_language(
        explicit=new.language,
        customer_locale=locale,
        negotiated=negotiated,
        detected=_detect(new=new, available=available) if needs_detection else None,
        default=settings.DEFAULT_LANGUAGE,
        min_confidence=MIN_DETECTION_CONFIDENCE,
    )


def _replayed(
    *, client_app: ClientApplication, idempotency_key: str, fingerprint: str
) -> Ticket | None:
    """The ticket an earlier request with this key made, or None; another payload → 409."""
    window_start = timezone.now() - settings.IDEMPOTENCY_WINDOW
    existing = Ticket.objects.filter(client_app=client_app, idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    if existing.created_at < window_start:  # expired: the key may be used again
        existing.idempotency_key = None
        existing.save(update_fields=["idempotency_key"])
        return None
    if existing.idempotency_fingerprint != fingerprint:
        raise Conflict(_("This Idempotency-Key was already used with a different request."))
    return existing


def ticket_create(
    *,
    client_app: ClientApplication,
    new: NewTicket,
    idempotency_key: str | None = None,
    accept_language: str | None = None,
) -> tuple[Ticket, bool]:
    """Create a ticket, its first message and its `created` event in one transaction.

    Returns (ticket, created). With an `idempotency_key`, a replay of the same payload returns
    the original ticket (created=False) and another payload raises Conflict; two concurrent
    requests with one key create one ticket (the unique constraint decides).
    """
    fingerprint = new.fingerprint() if idempotency_key else ""
    if idempotency_key:
        found = _replayed(
            client_app=client_app, idempotency_key=idempotency_key, fingerprint=fingerprint
        )
        if found is not None:
            return found, False
    language = ticket_language(new=new, accept_language=accept_language)
    try:
        with transaction.atomic():
            ticket = _ticket_insert(
                client_app=client_app,
                new=new,
                language=language,
                idempotency_key=idempotency_key,
                fingerprint=fingerprint,
            )
    except IntegrityError:
        if not idempotency_key:
            raise
        found = _replayed(
            client_app=client_app, idempotency_key=idempotency_key, fingerprint=fingerprint
        )
        if found is None:
            raise
        return found, False
    return ticket, True


def _ticket_insert(
    *,
    client_app: ClientApplication,
    new: NewTicket,
    language: ResolvedLanguage,
    idempotency_key: str | None,
    fingerprint: str,
) -> Ticket:
    customer = _customer_upsert(client_app=client_app, new=new.customer)
    ticket = Ticket.objects.create(
        client_app=client_app,
        customer=customer,
        subject=new.subject,
        language=language.tag,
        language_source=language.source,
        language_confidence=language.confidence,
        channel=new.channel,
        priority=new.priority,
        tags=list(new.tags),
        external_id=new.external_id,
        idempotency_key=idempotency_key,
        idempotency_fingerprint=fingerprint,
    )
    Message.objects.create(ticket=ticket, author_kind=AuthorKind.CUSTOMER, body=new.body)
    TicketEvent.objects.bulk_create(
        [
            TicketEvent(ticket=ticket, kind=EventKind.CREATED, actor_label=client_app.name),
            TicketEvent(
                ticket=ticket,
                kind=EventKind.LANGUAGE_SET,
                data={
                    "language": language.tag,
                    "source": language.source,
                    "confidence": language.confidence,
                },
            ),
        ]
    )
    return ticket
