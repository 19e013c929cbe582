"""Macros as services: the variant along the ticket's language chain, placeholders (deadlines
with Babel in the customer's locale and time zone), unknown placeholders, the stale flag, the
coverage matrix and applying (reply, actions, event)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from supportdesk.agents.models import Agent
from supportdesk.core.exceptions import InvalidInput, InvalidTransition
from supportdesk.languages.models import Language
from supportdesk.macros.models import Macro, MacroVariant
from supportdesk.macros.selectors import (
    MISSING,
    OK,
    STALE,
    coverage,
    is_stale,
    language_chain,
)
from supportdesk.macros.services import check_body, macro_apply, macro_render, variant_language
from supportdesk.tickets.models import EventKind, Message, Priority, TicketStatus
from tests.factories import AgentFactory
from tests.macros.conftest import TEXT, make_macro, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def lea(db: None) -> Agent:
    agent: Agent = AgentFactory(user__username="lea", user__first_name="Lea", skills=["pt-BR"])
    return agent


def test_the_chain_of_a_regional_tag_tries_its_language_then_its_fallbacks() -> None:
    assert language_chain("pt-BR") == ["pt-BR", "pt", "pt-PT", "es", "en"]
    assert language_chain("nl") == ["nl", "en"]


@pytest.mark.parametrize(
    ("ticket_language", "texts", "used"),
    [
        ("pt-BR", {"en": "en", "pt": "pt", "pt-BR": "pt-BR"}, "pt-BR"),
        ("pt-BR", {"en": "en", "pt": "pt"}, "pt"),
        ("pt-BR", {"en": "en", "pt-PT": "pt-PT", "es": "es"}, "pt-PT"),
        ("pt-BR", {"en": "en", "de": "de"}, "en"),
        ("ca", {"en": "en", "es": "es"}, "es"),
    ],
)
def test_applying_picks_the_first_variant_along_the_chain_and_says_which(
    ticket_language: str, texts: dict[str, str], used: str, lea: Agent
) -> None:
    macro = make_macro("Thanks", texts)
    ticket = make_ticket(ticket_language)

    rendered = macro_render(macro=macro, ticket=ticket, agent=lea)

    assert (rendered.language, rendered.body) == (used, used)
    assert rendered.fallback == (used != ticket_language)


def test_a_macro_without_the_chain_s_languages_uses_its_source_language(lea: Agent) -> None:
    macro = make_macro("Bedankt", {"nl": "Dank je"}, source_language="nl")

    rendered = macro_render(macro=macro, ticket=make_ticket("ja"), agent=lea)

    assert (rendered.language, rendered.body, rendered.fallback) == ("nl", "Dank je", True)


@pytest.mark.parametrize(
    ("language", "zone", "due"),
    [
        ("nl", "Europe/Amsterdam", "2 maart 2026, 10:00:00 CET"),
        ("de", "Europe/Berlin", "2. März 2026, 10:00:00 MEZ"),
        ("ar", "Africa/Cairo", "2 مارس 2026، 11:00:00 ص +0200"),
        ("ja", "Asia/Tokyo", "2026年3月2日 18:00:00 JST"),
    ],
)
def test_placeholders_are_filled_with_dates_in_the_customer_s_locale_and_zone(
    language: str, zone: str, due: str, lea: Agent
) -> None:
    macro = make_macro("Deadline", {language: TEXT})
    ticket = make_ticket(language, zone=zone)

    rendered = macro_render(macro=macro, ticket=ticket, agent=lea)

    assert rendered.body == f"Ana Souza, {ticket.reference}, Lea, {due}"


def test_the_resolution_deadline_and_a_missing_deadline(lea: Agent) -> None:
    macro = make_macro("Both", {"en": "{{ resolution_due }} / {{first_response_due}}"})
    ticket = make_ticket("en", locale="en-GB", zone="Europe/London")
    ticket.first_response_due_at = None

    rendered = macro_render(macro=macro, ticket=ticket, agent=lea)

    assert rendered.body == "4 March 2026, 17:30:00 GMT / —"


def test_an_unknown_placeholder_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_body("Dear {{customer_name}}, see {{order_number}} and {{ Ticket }}")

    message = str(refused.value.message)
    assert "{{order_number}}" in message
    assert "{{Ticket}}" in message
    assert "{{customer_name}}" in message.split("Known placeholders:")[1]
    check_body("Dear {{ customer_name }}, {single braces} stay as they are")


def test_variant_languages_are_normalised_and_invalid_tags_refused() -> None:
    assert variant_language(" pt-br ") == "pt-BR"
    with pytest.raises(InvalidInput, match="xx-nope"):
        variant_language("xx-nope")


def test_a_variant_is_stale_when_its_source_text_changed_after_it() -> None:
    macro = make_macro("Refund", {"en": "Refunded.", "de": "Erstattet.", "nl": "Terugbetaald."})
    english, german, dutch = (macro.variants.get(language=t) for t in ("en", "de", "nl"))
    assert not is_stale(german)

    english.body = "Your refund is on its way."
    english.save()
    german.name = "Rückerstattung"  # a new name is not a new text
    german.save()
    assert is_stale(MacroVariant.objects.get(pk=german.pk))
    assert not is_stale(MacroVariant.objects.get(pk=english.pk))

    dutch.body = "Je terugbetaling is onderweg."
    dutch.save()
    assert not is_stale(MacroVariant.objects.get(pk=dutch.pk))


def test_the_coverage_matrix_shows_missing_and_stale_cells_per_enabled_language() -> None:
    Language.objects.exclude(tag__in=["en", "nl", "de", "pt-BR"]).update(enabled=False)
    Language.objects.filter(tag="pt-BR").update(position=99)
    refund = make_macro("Refund", {"en": "Refunded.", "de": "Erstattet.", "fr": "Remboursé."})
    make_macro("Welcome", {"en": "Hi", "nl": "Hoi", "de": "Hallo", "pt-BR": "Oi"})
    MacroVariant.objects.filter(macro=refund, language="de").update(
        body_changed_at=timezone.now() - timedelta(days=1)
    )

    matrix = coverage()

    assert matrix.languages == ["en", "nl", "de", "pt-BR"]
    cells = {row.macro.name: dict(row.cells) for row in matrix.rows}
    assert cells["Refund"] == {"en": OK, "nl": MISSING, "de": STALE, "pt-BR": MISSING}
    assert cells["Welcome"] == {"en": OK, "nl": OK, "de": OK, "pt-BR": OK}
    assert [(r.missing, r.stale) for r in matrix.rows] == [(2, 1), (0, 0)]


def test_applying_sends_the_reply_runs_the_actions_and_logs_it(shipped: Macro, lea: Agent) -> None:
    ticket = make_ticket("pt-BR", status=TicketStatus.OPEN, assignee=lea, tags=["vip"])

    applied = macro_apply(macro_id=shipped.pk, ticket_id=ticket.pk, actor=lea)

    ticket.refresh_from_db()
    reply = Message.objects.get(ticket=ticket)
    assert reply.body == f"Olá Ana Souza, o seu pedido ({ticket.reference}) foi enviado."
    assert (reply.internal, reply.author_agent) == (False, lea)
    assert ticket.first_response_at == reply.created_at
    assert (ticket.status, ticket.priority, ticket.tags) == (
        "solved",
        Priority.LOW,
        ["vip", "shipping"],
    )
    assert (applied.rendered.language, applied.rendered.fallback) == ("pt", True)
    logged = ticket.events.get(kind=EventKind.MACRO_APPLIED)
    assert logged.actor == lea
    assert logged.data == {
        "macro_id": shipped.pk,
        "macro": "Order shipped",
        "variant": "pt",
        "message_id": reply.pk,
        "internal": False,
        "edited": False,
        "actions": {"status": "solved", "priority": "low", "tags": ["shipping"]},
    }


def test_the_agent_s_edit_is_sent_and_an_internal_macro_adds_a_note(lea: Agent) -> None:
    note = make_macro("Escalate", {"en": "Escalated to billing."}, internal=True)
    ticket = make_ticket("en", status=TicketStatus.OPEN, assignee=lea)

    macro_apply(macro_id=note.pk, ticket_id=ticket.pk, actor=lea, body=" Escalated (Jan). ")

    message = Message.objects.get(ticket=ticket)
    assert (message.body, message.internal) == ("Escalated (Jan).", True)
    ticket.refresh_from_db()
    assert ticket.first_response_at is None
    assert ticket.events.get(kind=EventKind.MACRO_APPLIED).data["edited"] is True


def test_a_refused_step_leaves_nothing_behind(shipped: Macro, lea: Agent) -> None:
    ticket = make_ticket("pt-BR", status=TicketStatus.CLOSED)

    with pytest.raises(InvalidTransition):
        macro_apply(macro_id=shipped.pk, ticket_id=ticket.pk, actor=lea)

    assert not Message.objects.filter(ticket=ticket).exists()
    assert not ticket.events.filter(kind=EventKind.MACRO_APPLIED).exists()
    with pytest.raises(InvalidInput):
        macro_apply(macro_id=shipped.pk, ticket_id=ticket.pk, actor=lea, body="  ")
