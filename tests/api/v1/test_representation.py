"""The ticket representation is written out by hand for speed; it must stay exactly what DRF
would make of the declared fields (which are also the OpenAPI schema)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework import serializers

from supportdesk.api.v1.tickets.serializers import TicketDetailSerializer
from supportdesk.tickets.models import Ticket, TicketStatus
from tests.factories import AgentFactory, TicketFactory, UserFactory

pytestmark = pytest.mark.django_db


def declared(ticket: Ticket, **context: object) -> dict[str, object]:
    """DRF's own rendering of the declared fields."""
    serializer = TicketDetailSerializer(ticket, context=context)
    return dict(serializers.Serializer.to_representation(serializer, ticket))


def written_out(ticket: Ticket, **context: object) -> dict[str, object]:
    return dict(TicketDetailSerializer(ticket, context=context).data)


def test_a_waiting_ticket_renders_as_its_declared_fields() -> None:
    ticket = TicketFactory(tags=["billing", "vip"], language_confidence=0.93)

    assert written_out(ticket) == declared(ticket)
    assert written_out(ticket)["assignee"] is None


def test_an_assigned_ticket_in_another_time_zone_renders_as_its_declared_fields() -> None:
    agent = AgentFactory(user=UserFactory(username="ines", first_name="Inês", last_name="Sá"))
    now = timezone.now()
    ticket = TicketFactory(
        status=TicketStatus.OPEN,
        assignee=agent,
        assigned_at=now,
        first_response_due_at=now + timedelta(hours=1),
        resolution_due_at=now + timedelta(days=1),
    )

    with timezone.override("America/Sao_Paulo"):
        rendered = written_out(ticket, show_routing=True)
        assert rendered == declared(ticket, show_routing=True)
    assert rendered["assignee"] == {"id": agent.pk, "name": "Inês Sá"}
    assert str(rendered["assigned_at"]).endswith("-03:00")
    assert rendered["routing"] is not None
