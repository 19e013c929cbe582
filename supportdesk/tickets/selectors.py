"""Reads of tickets. `tickets_visible_to` is the only way API code obtains tickets."""

from django.db.models import QuerySet

from supportdesk.core.types import Principal
from supportdesk.tickets.models import Message, Ticket


def tickets_visible_to(*, principal: Principal) -> QuerySet[Ticket]:
    """A client application sees its own tickets, staff see all, anyone else sees nothing, so
    another application's ticket is a 404, never a 403."""
    tickets = Ticket.objects.select_related("customer", "assignee__user")
    if principal.is_staff:
        return tickets
    if principal.client_app_id is not None:
        return tickets.filter(client_app_id=principal.client_app_id)
    return tickets.none()


def ticket_thread(*, ticket: Ticket, include_internal: bool) -> QuerySet[Message]:
    """The ticket's messages, oldest first; internal notes only when `include_internal`."""
    messages = Message.objects.filter(ticket=ticket).select_related("author_agent__user")
    if not include_internal:
        messages = messages.filter(internal=False)
    return messages.order_by("created_at", "id")
