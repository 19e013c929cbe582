"""Writing the audit trail. Every function adds rows, none changes one (docs/privacy.md)."""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from supportdesk.audit.models import AuditAction, AuditRecord
from supportdesk.clients.models import ClientApplication
from supportdesk.core.client_ip import client_ip
from supportdesk.core.pseudonyms import customer_pseudonym

# the address of the request being served (AuditContextMiddleware), for hooks without one
current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)


@dataclass(frozen=True, slots=True)
class Actor:
    label: str
    user_id: int | None = None
    client_app_id: int | None = None
    ip: str | None = None


SYSTEM = Actor(label="system")


def actor_of(request: Any) -> Actor:
    """The caller of an HTTP request (Django's or DRF's): a client application (its key) or a
    signed-in user, with the client's address."""
    ip = client_ip(request.META) or None
    app = getattr(request, "auth", None)
    if isinstance(app, ClientApplication):
        return Actor(label=app.name, client_app_id=app.pk, ip=ip)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Actor(label=user.get_username(), user_id=user.pk, ip=ip)
    return Actor(label="anonymous", ip=ip)


def audit_record(  # noqa: PLR0913 - one keyword per column of the record
    *,
    actor: Actor,
    action: AuditAction,
    object_type: str = "",
    object_id: object = "",
    object_label: str = "",
    customer_id: int | None = None,
    via: str = "",
    detail: Mapping[str, object] | None = None,
) -> AuditRecord:
    return AuditRecord.objects.create(
        actor_user_id=actor.user_id,
        client_app_id=actor.client_app_id,
        actor_label=actor.label[:150],
        ip=actor.ip or current_ip.get(),
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_label=object_label[:200],
        customer_pseudonym=customer_pseudonym(customer_id) if customer_id else "",
        via=via,
        detail=dict(detail or {}),
    )


def ticket_read(*, actor: Actor, ticket: Any, via: str) -> AuditRecord:
    """`ticket`: a tickets.Ticket (typed loosely: the tickets app sits above this one)."""
    return audit_record(
        actor=actor,
        action=AuditAction.TICKET_READ,
        object_type="ticket",
        object_id=ticket.pk,
        object_label=ticket.reference,
        customer_id=ticket.customer_id,
        via=via,
    )


def customer_read(*, actor: Actor, customer_id: int, via: str) -> AuditRecord:
    return audit_record(
        actor=actor,
        action=AuditAction.CUSTOMER_READ,
        object_type="customer",
        object_id=customer_id,
        object_label=customer_pseudonym(customer_id),
        customer_id=customer_id,
        via=via,
    )


def attachment_read(*, actor: Actor, attachment_id: object, ticket: Any, via: str) -> AuditRecord:
    """A file of a ticket's thread downloaded: a read of that ticket (`ticket`: its Ticket)."""
    return audit_record(
        actor=actor,
        action=AuditAction.TICKET_READ,
        object_type="attachment",
        object_id=attachment_id,
        object_label=ticket.reference,
        customer_id=ticket.customer_id,
        via=via,
    )
