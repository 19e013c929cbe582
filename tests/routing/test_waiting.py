"""The waiting queue's languages (read at every fill: one index probe per language on
PostgreSQL; the ORM's DISTINCT elsewhere, run here too so that both answer the same)."""

import pytest

from supportdesk.routing import selectors
from supportdesk.routing.selectors import waiting_languages
from supportdesk.tickets.models import Ticket, TicketStatus
from tests.factories import AgentFactory, TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["index-probes", "orm"], autouse=True)
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.param == "orm":  # the path other databases take
        monkeypatch.setattr(selectors, "on_postgresql", lambda: False)


def test_waiting_languages_lists_each_language_with_a_waiting_ticket_once_in_order() -> None:
    # given waiting tickets in three languages (two Dutch), and an assigned German one
    for tag in ("pt-BR", "nl", "ca", "nl"):
        TicketFactory(language=tag)
    german = TicketFactory(language="de")
    Ticket.objects.filter(id=german.id).update(
        status=TicketStatus.OPEN, assignee=AgentFactory(skills=["de"])
    )
    # then
    assert waiting_languages() == ["ca", "nl", "pt-BR"]


def test_no_waiting_ticket_no_language() -> None:
    assert waiting_languages() == []
