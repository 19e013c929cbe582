"""Reads for privacy requests."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from supportdesk.core.types import Principal
from supportdesk.privacy.models import ExportJob, LegalHold
from supportdesk.tickets.models import Customer, Ticket, TicketStatus

FINISHED = (TicketStatus.SOLVED, TicketStatus.CLOSED)


def customer_by_email(*, client_app_id: int, email: str) -> Customer | None:
    return (
        Customer.objects.filter(client_app_id=client_app_id, email=email.strip().lower())
        .select_related("client_app")
        .first()
    )


def tickets_of_customer(*, customer_id: int) -> QuerySet[Ticket]:
    return Ticket.objects.filter(customer_id=customer_id).order_by("id")


def open_ticket_count(*, customer_id: int) -> int:
    return tickets_of_customer(customer_id=customer_id).exclude(status__in=FINISHED).count()


def legal_holds_of(*, customer_id: int) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(Q(customer_id=customer_id) | Q(ticket__customer_id=customer_id))


def export_jobs_visible_to(*, principal: Principal) -> QuerySet[ExportJob]:
    """A client application's own exports; a manager's, every one; nobody else's."""
    if principal.client_app_id is not None:
        return ExportJob.objects.filter(client_app_id=principal.client_app_id)
    if principal.is_manager:
        return ExportJob.objects.all()
    return ExportJob.objects.none()
