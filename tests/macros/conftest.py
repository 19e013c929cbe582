"""Macros and tickets for the macro tests: a Portuguese (Brazil) ticket with SLA deadlines and a
macro whose actions solve it."""

from datetime import UTC, datetime

import pytest

from supportdesk.macros.models import Macro, MacroVariant
from supportdesk.tickets.models import Priority, Ticket
from tests.factories import CustomerFactory, TicketFactory

DUE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RESOLVE = datetime(2026, 3, 4, 17, 30, tzinfo=UTC)
TEXT = "{{customer_name}}, {{ticket_reference}}, {{agent_name}}, {{first_response_due}}"


def make_macro(name: str, texts: dict[str, str], **fields: object) -> Macro:
    macro = Macro.objects.create(name=name, **fields)
    for language, body in texts.items():
        MacroVariant.objects.create(
            macro=macro, language=language, name=f"{name} ({language})", body=body
        )
    return macro


def make_ticket(language: str, *, locale: str = "", zone: str = "", **fields: object) -> Ticket:
    customer = CustomerFactory(name="Ana Souza", locale=locale or language, timezone=zone)
    ticket: Ticket = TicketFactory(
        customer=customer,
        language=language,
        first_response_due_at=DUE,
        resolution_due_at=RESOLVE,
        **fields,
    )
    return ticket


@pytest.fixture
def shipped(db: None) -> Macro:
    """ "Order shipped": English source, Portuguese and Dutch texts; solves, tags, raises."""
    return make_macro(
        "Order shipped",
        {
            "en": "Hello {{customer_name}}, your order ({{ticket_reference}}) has shipped.",
            "pt": "Olá {{customer_name}}, o seu pedido ({{ticket_reference}}) foi enviado.",
            "nl": "Hallo {{customer_name}}, je bestelling ({{ticket_reference}}) is verzonden.",
        },
        set_status="solved",
        set_priority=Priority.LOW,
        add_tags=["shipping"],
    )
