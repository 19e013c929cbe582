import pytest
from django.db import IntegrityError, transaction

from supportdesk.agents.models import Agent
from supportdesk.languages.models import Language
from supportdesk.languages.selectors import fallback_chain
from supportdesk.tickets.models import AppendOnlyError, TicketEvent, pk_from_reference
from tests.factories import AgentFactory, CustomerFactory, TicketFactory

pytestmark = pytest.mark.django_db


def test_migrate_enables_at_least_thirty_languages_whose_chains_end_in_the_default() -> None:
    tags = list(Language.objects.filter(enabled=True).values_list("tag", flat=True))
    assert len(tags) >= 30
    assert {"nl", "pt-BR", "pt-PT", "zh-Hans", "zh-Hant", "nb", "ar"} <= set(tags)
    for tag in tags:
        chain = fallback_chain(tag=tag)
        assert tag == "en" or chain[-1] == "en", tag
    assert fallback_chain(tag="ca") == ("es", "en")
    assert fallback_chain(tag="pt-BR")[0] == "pt-PT"


def test_reference_is_human_and_maps_back_to_the_ticket() -> None:
    ticket = TicketFactory()
    assert ticket.reference == f"SD-{ticket.pk + 10000}"
    assert pk_from_reference(ticket.reference.lower()) == ticket.pk
    assert pk_from_reference("SD-12x") is None
    assert pk_from_reference("10342") is None


def test_a_new_ticket_cannot_have_an_assignee_nor_an_open_one_lack_one() -> None:
    agent = AgentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketFactory(status="new", assignee=agent)
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketFactory(status="open", assignee=None)


def test_one_idempotency_key_per_client_app() -> None:
    customer = CustomerFactory()
    TicketFactory(customer=customer, idempotency_key="k1")
    with pytest.raises(IntegrityError), transaction.atomic():
        TicketFactory(customer=customer, idempotency_key="k1")
    TicketFactory(idempotency_key="k1")  # another client application may reuse it


def test_customer_email_is_unique_per_client_app() -> None:
    customer = CustomerFactory(email="a@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerFactory(email="a@example.com", client_app=customer.client_app)
    CustomerFactory(email="a@example.com")


def test_agent_load_cannot_go_negative() -> None:
    agent = AgentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Agent.objects.filter(pk=agent.pk).update(load=-1)


def test_ticket_events_are_append_only() -> None:
    event = TicketEvent.objects.create(ticket=TicketFactory(), kind="created")
    event.data = {"changed": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
