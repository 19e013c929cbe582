"""The newcomer's paper cuts in the ticket list: reference search from the default view, the
unassigned queue in routing's order, real titles, e-mails that break only between words."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supportdesk.agents.models import Agent
from supportdesk.tickets.models import Priority
from tests.admin.conftest import open_ticket
from tests.factories import CustomerFactory, TicketFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:tickets_ticket_changelist")
Login = Callable[[Agent], Client]


def test_a_reference_typed_in_the_default_view_finds_a_colleagues_ticket(
    login: Login, anna: Agent, bruno: Agent
) -> None:
    # given: anna's default view is her own open tickets; the ticket is a colleague's
    open_ticket(anna, language="nl")
    theirs = open_ticket(bruno, language="en", subject="Invoice twice")
    # when: she types its reference, in lower case, from the default view
    response = login(anna).get(CHANGELIST, {"q": theirs.reference.lower()})
    # then
    assert [t.pk for t in response.context["cl"].result_list] == [theirs.pk]
    assert "Invoice twice" in response.content.decode()


def test_a_reference_search_still_respects_visibility(
    login: Login, anna: Agent, bruno: Agent
) -> None:
    japanese = TicketFactory(language="ja")
    response = login(anna).get(CHANGELIST, {"q": japanese.reference})
    assert list(response.context["cl"].result_list) == []


def test_the_unassigned_view_is_in_queue_order(login: Login, anna: Agent) -> None:
    now = timezone.now()
    late_normal = TicketFactory(
        language="nl", priority=Priority.NORMAL, first_response_due_at=now + timedelta(hours=4)
    )
    soon_normal = TicketFactory(
        language="nl", priority=Priority.NORMAL, first_response_due_at=now + timedelta(hours=1)
    )
    urgent = TicketFactory(
        language="nl", priority=Priority.URGENT, first_response_due_at=now + timedelta(hours=8)
    )
    low = TicketFactory(language="nl", priority=Priority.LOW)
    response = login(anna).get(CHANGELIST, {"show": "unassigned"})
    order = [t.pk for t in response.context["cl"].result_list]
    assert order == [urgent.pk, soon_normal.pk, late_normal.pk, low.pk]


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ({}, "My open tickets"),
        ({"show": "unassigned"}, "Unassigned tickets, in queue order"),
        ({"show": "all"}, "All tickets"),
    ],
)
def test_lists_have_real_titles(
    login: Login, anna: Agent, query: dict[str, str], title: str
) -> None:
    page = login(anna).get(CHANGELIST, query).content.decode()
    assert f"<h1>{title}</h1>" in page
    assert "Select ticket to change" not in page


def test_emails_break_only_after_dots_and_before_the_at(login: Login, anna: Agent) -> None:
    customer = CustomerFactory(email="annemarie.vandenberg@voorbeeld-winkel.nl")
    open_ticket(anna, language="nl", customer=customer)
    page = login(anna).get(CHANGELIST).content.decode()
    assert (
        '<span class="sd-email" dir="ltr">'
        "annemarie.<wbr>vandenberg<wbr>@voorbeeld-winkel.<wbr>nl</span>" in page
    )


def test_deadlines_in_the_list_follow_the_agents_locale(login: Login, anna: Agent) -> None:
    due = timezone.now().replace(month=3, day=14, hour=9, minute=30) + timedelta(days=400)
    open_ticket(anna, language="nl", first_response_due_at=due)
    Agent.objects.filter(pk=anna.pk).update(ui_language="de", timezone="Europe/Berlin")
    page = login(anna).get(CHANGELIST).content.decode()
    local = timezone.localtime(due, timezone=__import__("zoneinfo").ZoneInfo("Europe/Berlin"))
    assert local.strftime("%d.%m.%y, %H:%M") in page  # German order, the agent's clock
