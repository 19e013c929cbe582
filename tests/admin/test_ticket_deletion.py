"""Tickets are never deleted from the admin: deleting bypasses the services and the event log,
so neither the "Delete selected" action nor the delete page exists, not even for managers."""

from collections.abc import Callable

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from supportdesk.agents.models import Agent
from supportdesk.tickets.models import Ticket
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:tickets_ticket_changelist")
Login = Callable[[Agent], Client]


def test_a_manager_is_not_offered_delete_selected(login: Login, maria: Agent) -> None:
    TicketFactory(language="de")
    page = login(maria).get(f"{CHANGELIST}?show=all").content.decode()

    assert 'value="take"' in page  # the workspace's own actions are there
    assert "delete_selected" not in page


def test_posting_delete_selected_deletes_nothing(login: Login, maria: Agent) -> None:
    # given a ticket a manager sees
    ticket = TicketFactory(language="de")
    # when the manager posts the action (and its confirmation) by hand
    client = login(maria)
    for extra in ({}, {"post": "yes"}):
        client.post(
            f"{CHANGELIST}?show=all",
            {"action": "delete_selected", ACTION_CHECKBOX_NAME: [ticket.pk], **extra},
        )
    # then the ticket and its history are still there
    assert Ticket.objects.filter(pk=ticket.pk).exists()


def test_the_delete_page_is_refused_even_to_a_superuser(client: Client, maria: Agent) -> None:
    ticket = TicketFactory(language="de")
    admin = User.objects.create_superuser("root", "root@example.com", "x-long-password-1")
    client.force_login(admin)
    url = reverse("admin:tickets_ticket_delete", args=[ticket.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Ticket.objects.filter(pk=ticket.pk).exists()
    change_page = client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk]))
    assert url not in change_page.content.decode()
