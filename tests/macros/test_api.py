"""`GET /api/v1/macros/` and `POST /api/v1/tickets/{id}/macros/{macro}/apply/` on PostgreSQL:
staff only, the one visibility rule of tickets (another language's ticket is a 404)."""

import pytest

from supportdesk.macros.models import Macro
from supportdesk.tickets.models import EventKind, Message, TicketStatus
from tests.conftest import ClientPrincipal, StaffPrincipal
from tests.macros.conftest import make_macro, make_ticket

pytestmark = pytest.mark.django_db


def apply_url(ticket_id: object, macro_id: int) -> str:
    return f"/api/v1/tickets/{ticket_id}/macros/{macro_id}/apply/"


def test_staff_list_active_macros_with_their_languages(
    shipped: Macro, agent_principal: StaffPrincipal
) -> None:
    make_macro("Retired", {"en": "Old"}, active=False)

    response = agent_principal.client.get("/api/v1/macros/")

    assert response.status_code == 200
    [macro] = response.json()
    assert macro["name"] == "Order shipped"
    assert macro["languages"] == ["en", "nl", "pt"]
    assert macro["actions"] == {"status": "solved", "priority": "low", "tags": ["shipping"]}
    assert [v["stale"] for v in macro["variants"]] == [False, False, False]


def test_the_list_searches_names_in_any_language(
    shipped: Macro, agent_principal: StaffPrincipal
) -> None:
    make_macro("Refund", {"en": "Refunded"})

    found = agent_principal.client.get("/api/v1/macros/", {"search": "shipped (nl"}).json()

    assert [m["name"] for m in found] == ["Order shipped"]


def test_clients_and_strangers_may_not_list_macros(
    shipped: Macro, client_a: ClientPrincipal, anon_client: object
) -> None:
    assert client_a.client.get("/api/v1/macros/").status_code == 403
    assert anon_client.get("/api/v1/macros/").status_code == 401  # type: ignore[attr-defined]


def test_applying_answers_the_variant_used_the_reply_and_the_ticket(
    shipped: Macro, agent_principal: StaffPrincipal
) -> None:
    agent_principal.agent.skills.create(tag="pt-BR", language_base="pt", proficiency="native")
    ticket = make_ticket("pt-BR", status=TicketStatus.OPEN, assignee=agent_principal.agent)

    response = agent_principal.client.post(
        apply_url(ticket.public_id, shipped.pk), {}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["language"], body["fallback"]) == ("pt", True)
    assert body["message"]["body"].startswith("Olá Ana Souza, o seu pedido (SD-")
    assert body["message"]["internal"] is False
    assert (body["status"], body["priority"], body["tags"]) == ("solved", "low", ["shipping"])
    assert ticket.events.filter(kind=EventKind.MACRO_APPLIED).count() == 1


def test_the_agent_s_edited_text_is_what_is_sent(
    shipped: Macro, agent_principal: StaffPrincipal
) -> None:
    ticket = make_ticket("nl", status=TicketStatus.OPEN, assignee=agent_principal.agent)

    response = agent_principal.client.post(
        apply_url(ticket.public_id, shipped.pk),
        {"body": "Hallo Ana, je pakket komt morgen.", "internal": True},
        format="json",
    )

    assert response.status_code == 201
    message = Message.objects.get(ticket=ticket)
    assert (message.body, message.internal) == ("Hallo Ana, je pakket komt morgen.", True)


def test_a_ticket_outside_the_agent_s_languages_is_a_404(
    shipped: Macro, german_agent: StaffPrincipal, manager_principal: StaffPrincipal
) -> None:
    ticket = make_ticket("nl")

    refused = german_agent.client.post(apply_url(ticket.public_id, shipped.pk), {}, format="json")

    assert refused.status_code == 404
    assert not Message.objects.filter(ticket=ticket).exists()
    allowed = manager_principal.client.post(
        apply_url(ticket.public_id, shipped.pk), {}, format="json"
    )
    assert allowed.status_code == 201


def test_a_post_without_a_body_applies_the_text_as_rendered(
    shipped: Macro, agent_principal: StaffPrincipal
) -> None:
    ticket = make_ticket("nl", status=TicketStatus.OPEN, assignee=agent_principal.agent)

    response = agent_principal.client.post(apply_url(ticket.public_id, shipped.pk))

    assert response.status_code == 201, response.content
    assert response.json()["message"]["body"].startswith("Hallo Ana Souza")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": 7}, "body"),
        ({"internal": "maybe"}, "internal"),
        ({"language": "en"}, "language"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    payload: dict[str, object], field: str, shipped: Macro, agent_principal: StaffPrincipal
) -> None:
    ticket = make_ticket("nl", status=TicketStatus.OPEN, assignee=agent_principal.agent)

    response = agent_principal.client.post(
        apply_url(ticket.public_id, shipped.pk), payload, format="json"
    )

    assert response.status_code == 400
    assert field in response.json()


def test_an_unknown_or_retired_macro_is_a_404_and_clients_may_not_apply(
    shipped: Macro, agent_principal: StaffPrincipal, client_a: ClientPrincipal
) -> None:
    retired = make_macro("Retired", {"en": "Old"}, active=False)
    ticket = make_ticket("nl", status=TicketStatus.OPEN, assignee=agent_principal.agent)
    url = apply_url(ticket.public_id, retired.pk)

    assert agent_principal.client.post(url, {}, format="json").status_code == 404
    unknown = apply_url(ticket.public_id, 99999)
    assert agent_principal.client.post(unknown, {}, format="json").status_code == 404
    assert client_a.client.post(url, {}, format="json").status_code == 403


def test_a_closed_ticket_refuses_a_public_macro_with_a_400(
    shipped: Macro, manager_principal: StaffPrincipal
) -> None:
    ticket = make_ticket("nl", status=TicketStatus.CLOSED)

    response = manager_principal.client.post(
        apply_url(ticket.public_id, shipped.pk), {}, format="json"
    )

    assert response.status_code == 400
    assert not Message.objects.filter(ticket=ticket).exists()


def test_a_nul_byte_in_the_search_or_the_text_is_a_400(
    shipped: Macro, agent_principal: StaffPrincipal
) -> None:
    ticket = make_ticket("nl", status=TicketStatus.OPEN, assignee=agent_principal.agent)

    listed = agent_principal.client.get("/api/v1/macros/", {"search": "a\x00b"})
    applied = agent_principal.client.post(
        apply_url(ticket.public_id, shipped.pk), {"body": "Hallo\x00"}, format="json"
    )

    assert (listed.status_code, applied.status_code) == (400, 400)
    assert not Message.objects.filter(ticket=ticket).exists()


def test_a_macro_rendered_for_a_ticket_shows_the_text_and_changes_nothing(
    shipped: Macro, agent_principal: StaffPrincipal, german_agent: StaffPrincipal
) -> None:
    ticket = make_ticket("nl", status=TicketStatus.OPEN, assignee=agent_principal.agent)
    url = f"/api/v1/tickets/{ticket.public_id}/macros/{shipped.pk}/"

    response = agent_principal.client.get(url)

    assert response.status_code == 200
    assert response.json() == {
        "macro": shipped.pk,
        "language": "nl",
        "fallback": False,
        "body": f"Hallo Ana Souza, je bestelling ({ticket.reference}) is verzonden.",
        "internal": False,
        "actions": {"status": "solved", "priority": "low", "tags": ["shipping"]},
    }
    assert not Message.objects.filter(ticket=ticket).exists()
    assert not ticket.events.exists()
    assert german_agent.client.get(url).status_code == 404
    unknown = f"/api/v1/tickets/{ticket.public_id}/macros/-1/"
    assert agent_principal.client.get(unknown).status_code == 404
