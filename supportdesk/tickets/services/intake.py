"""Ticket intake: a new ticket, its customer, its language, idempotency (ADR 0004)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supportdesk.attachments.models import Attachment
from supportdesk.clients.models import ClientApplication
from supportdesk.core.exceptions import Conflict
from supportdesk.languages import negotiation, tags
from supportdesk.languages.resolution import Detected, ResolvedLanguage, resolve_language
from supportdesk.languages.selectors import enabled_tags
from supportdesk.notifications import services as notifications
from supportdesk.notifications.models import WebhookEvent
from supportdesk.routing.nudges import route_new_ticket_on_commit
from supportdesk.sla import services as sla
from supportdesk.tickets.commands import NewTicket
from supportdesk.tickets.models import AuthorKind, EventKind, Ticket
from supportdesk.tickets.services.intake_rows import NewRows, rows_write, rows_written_at_once

logger = logging.getLogger(__name__)

MIN_DETECTION_CONFIDENCE = 0.5


CUSTOMER_FIELDS = ("name", "locale", "country", "timezone")


def _detect(*, new: NewTicket, available: list[str]) -> Detected | None:
    from supportdesk.languages.detection import detect_language

    return detect_language(
        f"{new.subject}\n{new.body}", country=new.customer.country or None, candidates=available
    )


def ticket_language(
    *, new: NewTicket, accept_language: str | None, default_language: str | None = None
) -> ResolvedLanguage:
    """DESIGN §4. A locale is mapped to the enabled language it names (`nl-NL` → `nl`).
    `default_language` replaces DEFAULT_LANGUAGE (an e-mail mailbox's own default)."""
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
        default=default_language or settings.DEFAULT_LANGUAGE,
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
    attachments: Sequence[Attachment] = (),
    language: ResolvedLanguage | None = None,
) -> tuple[Ticket, bool]:
    """Create a ticket, its first message and its events in one transaction, then (on commit)
    ask routing for an agent through the nudge batcher; the acknowledgement follows routing.
    `attachments` are the unsaved rows of the first message's stored files
    (`ticket_create_with_files`): written with the rest, in the same statement.

    Returns (ticket, created). With an `idempotency_key` the unique constraint
    (client_app, key) decides: the insert of a replay fails, and the original ticket is
    returned (created=False) — or Conflict when the payload differs. Two concurrent requests
    with one key thus create one ticket, and the common path pays no extra lookup.
    `language`, when given, was resolved by the caller (e-mail detects on the reply alone).
    """
    fingerprint = new.fingerprint() if idempotency_key else ""
    language = language or ticket_language(new=new, accept_language=accept_language)
    for _attempt in range(2):  # a second try only after an expired key was released
        rows = _new_rows(
            client_app=client_app,
            new=new,
            language=language,
            idempotency_key=idempotency_key,
            fingerprint=fingerprint,
            attachments=tuple(attachments),
        )
        try:
            with _transaction_for(client_app, savepoint=bool(idempotency_key)):
                ticket = rows_write(rows)
                acknowledge = notifications.ticket_created(ticket=ticket)  # + webhooks
                route_new_ticket_on_commit(
                    ticket_id=ticket.pk, language=ticket.language, then=acknowledge
                )
        except IntegrityError:
            if not idempotency_key:
                raise
            found = _replayed(
                client_app=client_app, idempotency_key=idempotency_key, fingerprint=fingerprint
            )
            if found is not None:
                return found, False
            continue
        return ticket, True
    raise Conflict(_("This Idempotency-Key is being used by another request; retry."))


def _transaction_for(
    client_app: ClientApplication, *, savepoint: bool
) -> AbstractContextManager[object]:
    """On PostgreSQL the rows are one statement, atomic by itself: a transaction (two more
    round trips, BEGIN and COMMIT) only when webhook outbox rows must commit with them, or,
    when the caller holds a transaction, a savepoint if a failed insert must not abort it (an
    Idempotency-Key's replay is caught and answered; without a key the error propagates, so
    the caller's transaction is lost anyway and the savepoint's two round trips are saved)."""
    if (
        rows_written_at_once()
        and not transaction.get_connection().in_atomic_block
        and not notifications.webhooks_wanted(
            client_app_id=client_app.pk, event=WebhookEvent.TICKET_CREATED
        )
    ):
        return nullcontext()
    return transaction.atomic(savepoint=savepoint)


def _new_rows(
    *,
    client_app: ClientApplication,
    new: NewTicket,
    language: ResolvedLanguage,
    idempotency_key: str | None,
    fingerprint: str,
    attachments: tuple[Attachment, ...] = (),
) -> NewRows:
    customer = {
        "client_app_id": client_app.pk,
        "email": new.customer.email.lower(),
        **{name: getattr(new.customer, name) for name in CUSTOMER_FIELDS},
    }
    ticket = Ticket(
        client_app=client_app,
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
    sla.ticket_sla_start(ticket=ticket)  # deadlines order the routing queue from the start
    return NewRows(
        customer=customer,
        customer_updates=tuple(name for name in CUSTOMER_FIELDS if getattr(new.customer, name)),
        ticket=ticket,
        message={"author_kind": AuthorKind.CUSTOMER.value, "body": new.body},
        events=(
            {"kind": EventKind.CREATED.value, "actor_label": client_app.name},
            {
                "kind": EventKind.LANGUAGE_SET.value,
                "data": {
                    "language": language.tag,
                    "source": language.source,
                    "confidence": language.confidence,
                },
            },
        ),
        attachments=attachments,
    )
