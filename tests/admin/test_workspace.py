"""The ticket list: default view, visibility, filters, search, columns."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from supportdesk.agents.models import Agent
from supportdesk.tickets.models import Priority, Ticket
from tests.admin.conftest import open_ticket
from tests.factories import CustomerFactory, TicketFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:tickets_ticket_changelist")
Login = Callable[[Agent], Client]


def listed(client: Client, query: str = "") -> set[int]:
    response = client.get(f"{CHANGELIST}{query}")
    assert response.status_code == 200
    return {ticket.pk for ticket in response.context["cl"].result_list}


def test_an_agent_opens_on_its_own_open_tickets(login: Login, anna: Agent, bruno: Agent) -> None:
    # given
    mine = open_ticket(anna, language="nl")
    solved_mine = TicketFactory(language="nl", status="solved", assignee=anna)
    someone_elses = open_ticket(bruno, language="en")
    waiting = TicketFactory(language="nl")
    # when
    shown = listed(login(anna))
    # then
    assert shown == {mine.pk}
    assert {solved_mine.pk, someone_elses.pk, waiting.pk}.isdisjoint(shown)


def test_the_default_view_can_be_cleared_to_everyones(
    login: Login, anna: Agent, bruno: Agent
) -> None:
    mine = open_ticket(anna, language="nl")
    colleague = open_ticket(bruno, language="en")
    waiting = TicketFactory(language="nl")

    assert listed(login(anna), "?show=all") == {mine.pk, colleague.pk, waiting.pk}


def test_agents_see_only_tickets_in_their_languages_or_assigned_to_them(
    login: Login, anna: Agent, maria: Agent
) -> None:
    # given: anna speaks nl and en
    dutch = TicketFactory(language="nl")
    dutch_belgian = TicketFactory(language="nl-BE")
    japanese = TicketFactory(language="ja")
    handed_over = open_ticket(anna, language="ca")  # a fallback ticket routed to her
    # when
    agent_view = listed(login(anna), "?show=all")
    manager_view = listed(login(maria), "")
    # then
    assert agent_view == {dutch.pk, dutch_belgian.pk, handed_over.pk}
    assert japanese.pk in manager_view
    assert manager_view >= agent_view


def test_an_agent_cannot_open_a_ticket_it_may_not_see(login: Login, anna: Agent) -> None:
    japanese = TicketFactory(language="ja")

    response = login(anna).get(reverse("admin:tickets_ticket_change", args=[japanese.pk]))

    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert response.url == reverse("admin:index")


def test_unassigned_and_assigned_to_me_filters(login: Login, anna: Agent) -> None:
    mine = open_ticket(anna, language="en")
    pending_mine = TicketFactory(language="en", status="pending", assignee=anna)
    waiting = TicketFactory(language="en")
    client = login(anna)

    assert listed(client, "?show=unassigned") == {waiting.pk}
    assert listed(client, "?show=mine") == {mine.pk, pending_mine.pk}


def test_status_priority_and_language_filters(login: Login, anna: Agent) -> None:
    urgent = TicketFactory(language="nl", priority=Priority.URGENT)
    TicketFactory(language="en", priority=Priority.LOW)
    pending = TicketFactory(language="en", status="pending", assignee=anna)
    client = login(anna)

    assert listed(client, f"?show=all&priority__exact={Priority.URGENT}") == {urgent.pk}
    assert listed(client, "?show=all&language=nl") == {urgent.pk}
    assert listed(client, "?show=all&status__exact=pending") == {pending.pk}


def test_the_language_filter_names_languages_in_the_readers_language(
    login: Login, anna: Agent
) -> None:
    TicketFactory(language="nl")
    client = login(anna)

    english = client.get(f"{CHANGELIST}?show=all").content.decode()
    german = client.get(f"{CHANGELIST}?show=all", headers={"accept-language": "de"})

    assert "Dutch (nl)" in english
    assert "Niederländisch (nl)" in german.content.decode()


def test_search_by_reference_finds_exactly_that_ticket(login: Login, anna: Agent) -> None:
    wanted = TicketFactory(language="en", subject="Refund")
    TicketFactory(language="en", subject="Refund too")

    shown = listed(login(anna), f"?show=all&q={wanted.reference.lower()}")

    assert shown == {wanted.pk}


def test_search_by_subject_and_customer_email(login: Login, anna: Agent) -> None:
    parcel = TicketFactory(language="en", subject="Where is my parcel?")
    by_mail = TicketFactory(language="en", customer=CustomerFactory(email="lotte@example.nl"))
    client = login(anna)

    assert listed(client, "?show=all&q=parcel") == {parcel.pk}
    assert listed(client, "?show=all&q=lotte@example.nl") == {by_mail.pk}


def test_columns_show_waiting_time_assignee_and_a_coloured_deadline(
    login: Login, anna: Agent
) -> None:
    # given: a ticket whose first response is due in 5 minutes (at risk) and one overdue
    soon = open_ticket(
        anna, language="en", first_response_due_at=timezone.now() + timedelta(minutes=5)
    )
    late = open_ticket(
        anna, language="en", first_response_due_at=timezone.now() - timedelta(minutes=5)
    )
    # when
    page = login(anna).get(CHANGELIST).content.decode()
    # then
    assert soon.reference in page
    assert late.reference in page
    assert 'class="sd-due sd-due--at-risk"' in page
    assert 'class="sd-due sd-due--overdue"' in page
    assert "anna" in page  # the assignee column


def test_deadlines_show_in_the_agents_time_zone(login: Login, anna: Agent) -> None:
    # given: anna works from Tokyo (UTC+9, no daylight saving)
    Agent.objects.filter(pk=anna.pk).update(timezone="Asia/Tokyo")
    due = timezone.now().replace(hour=1, minute=30, second=0, microsecond=0) + timedelta(days=1)
    open_ticket(anna, language="en", first_response_due_at=due)
    # when
    page = login(anna).get(CHANGELIST).content.decode()
    # then: 01:30 UTC is 10:30 in Tokyo
    assert "10:30" in page
    assert "1:30" not in page.replace("10:30", "")


def test_waiting_time_counts_from_the_customers_last_message(login: Login, anna: Agent) -> None:
    ticket = open_ticket(anna, language="en")
    ticket.messages.create(author_kind="customer", body="Hello?")
    Ticket.objects.filter(pk=ticket.pk).update(created_at=timezone.now() - timedelta(days=3))
    ticket.messages.update(created_at=timezone.now() - timedelta(hours=2, minutes=5))

    page = login(anna).get(CHANGELIST).content.decode()

    assert "2\xa0hours" in page


def test_the_list_costs_the_same_queries_for_many_tickets(
    login: Login, anna: Agent, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for _ in range(30):
        open_ticket(anna, language="nl")
    client = login(anna)
    client.get(CHANGELIST)  # the first page of a session also records the heartbeat

    with django_assert_max_num_queries(13):
        response = client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == 30


def test_sla_filter_shows_tickets_at_risk_or_breached(login: Login, anna: Agent) -> None:
    # given three waiting Dutch tickets: due in 10 minutes, overdue, and due tomorrow
    now = timezone.now()
    at_risk = TicketFactory(language="nl", first_response_due_at=now + timedelta(minutes=10))
    breached = TicketFactory(language="nl", first_response_due_at=now - timedelta(minutes=5))
    relaxed = TicketFactory(language="nl", first_response_due_at=now + timedelta(days=1))
    answered = TicketFactory(
        language="nl", first_response_due_at=now - timedelta(minutes=5), first_response_at=now
    )
    client = login(anna)
    # when / then
    assert listed(client, "?show=all&sla=at-risk") == {at_risk.pk}
    assert listed(client, "?show=all&sla=breached") == {breached.pk}
    assert {at_risk.pk, breached.pk, relaxed.pk, answered.pk} <= listed(client, "?show=all")
