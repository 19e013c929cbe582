"""Macros in the admin (Django test client): managers write them (placeholders and tags checked)
and see the coverage matrix; agents get the picker's macros rendered for a ticket they may see
and apply one with their edited text; the event log says so in a sentence."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from supportdesk.agents.models import Agent
from supportdesk.languages.models import Language
from supportdesk.macros.models import Macro, MacroVariant
from supportdesk.tickets.models import EventKind, Message, TicketStatus
from tests.admin.conftest import make_agent
from tests.attachments import files
from tests.macros.conftest import make_macro, make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def bruno(db: None) -> Agent:
    """Speaks Portuguese (Brazil); works in a Dutch UI."""
    agent = make_agent("bruno", {"pt-BR": "native", "en": "fluent"})
    Agent.objects.filter(pk=agent.pk).update(ui_language="nl")
    return agent


@pytest.fixture
def maria(db: None) -> Agent:
    return make_agent("maria", {"de": "native"}, manager=True)


def signed_in(agent: Agent) -> Client:
    client = Client()
    client.force_login(agent.user)
    return client


def test_the_picker_lists_macros_rendered_for_the_ticket_named_in_the_ui_language(
    shipped: Macro, bruno: Agent
) -> None:
    ticket = make_ticket("pt-BR", status=TicketStatus.OPEN, assignee=bruno)
    make_macro("Draft", {})  # no text yet: not offered

    response = signed_in(bruno).get(reverse("admin:macros_macro_picker", args=[ticket.pk]))

    assert response.status_code == 200
    [macro] = response.json()["macros"]
    assert macro["name"] == "Order shipped (nl)"  # the agent's UI is Dutch
    assert (macro["language"], macro["fallback"]) == ("pt", True)
    assert macro["body"] == f"Olá Ana Souza, o seu pedido ({ticket.reference}) foi enviado."
    assert macro["actions"] == [
        "status zetten: opgelost",
        "prioriteit zetten: laag",
        "tags toevoegen: shipping",
    ]
    assert macro["apply_url"] == reverse("admin:macros_macro_apply", args=[shipped.pk, ticket.pk])
    assert macro["stale"] is False
    english = shipped.variants.get(language="en")
    english.body = "Hello {{customer_name}}, your parcel is on its way."
    english.save()
    again = signed_in(bruno).get(reverse("admin:macros_macro_picker", args=[ticket.pk]))
    assert again.json()["macros"][0]["stale"] is True  # the pt text predates the new English


def test_the_picker_s_queries_do_not_grow_with_the_number_of_macros(
    shipped: Macro, bruno: Agent, django_assert_max_num_queries: Any
) -> None:
    ticket = make_ticket("pt-BR", status=TicketStatus.OPEN, assignee=bruno)
    client = signed_in(bruno)
    url = reverse("admin:macros_macro_picker", args=[ticket.pk])
    client.get(url)  # warm the per-process snapshots
    with django_assert_max_num_queries(12) as one:
        client.get(url)
    for n in range(20):
        make_macro(f"Macro {n}", {"en": "Hi {{customer_name}}", "pt": "Olá"})

    with django_assert_max_num_queries(len(one.captured_queries)):
        many = client.get(url)

    assert len(many.json()["macros"]) == 21


def test_the_ticket_page_carries_the_picker(shipped: Macro, bruno: Agent) -> None:
    ticket = make_ticket("pt-BR", status=TicketStatus.OPEN, assignee=bruno)

    page = signed_in(bruno).get(reverse("admin:tickets_ticket_change", args=[ticket.pk]))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="sd-macros"' in html
    assert reverse("admin:macros_macro_picker", args=[ticket.pk]) in html
    assert "macros/picker.js" in html


def test_applying_from_the_ticket_page_sends_the_edited_text_and_logs_a_sentence(
    shipped: Macro, bruno: Agent
) -> None:
    ticket = make_ticket("pt-BR", status=TicketStatus.OPEN, assignee=bruno)
    client = signed_in(bruno)

    response = client.post(
        reverse("admin:macros_macro_apply", args=[shipped.pk, ticket.pk]),
        {"reply_body": "Olá Ana! O pedido foi enviado hoje.", "reply_kind": "public"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:tickets_ticket_change", args=[ticket.pk])
    reply = Message.objects.get(ticket=ticket)
    assert (reply.body, reply.internal) == ("Olá Ana! O pedido foi enviado hoje.", False)
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.SOLVED
    page = client.get(response["Location"]).content.decode()
    assert (
        "Macro “Order shipped” toegepast (tekst in het Portugees, bewerkt voor verzending)." in page
    )


def test_a_refusal_comes_back_as_a_message_on_the_ticket_page(shipped: Macro, maria: Agent) -> None:
    ticket = make_ticket("de", status=TicketStatus.CLOSED)

    response = signed_in(maria).post(
        reverse("admin:macros_macro_apply", args=[shipped.pk, ticket.pk]),
        {"reply_body": "Hallo", "reply_kind": "public"},
        follow=True,
    )

    assert response.status_code == 200
    assert "only internal notes can be added" in response.content.decode()
    assert not ticket.events.filter(kind=EventKind.MACRO_APPLIED).exists()


def test_tickets_outside_the_agent_s_scope_are_404_and_get_is_not_allowed(
    shipped: Macro, bruno: Agent
) -> None:
    german = make_ticket("de")
    client = signed_in(bruno)

    assert client.get(reverse("admin:macros_macro_picker", args=[german.pk])).status_code == 404
    apply = reverse("admin:macros_macro_apply", args=[shipped.pk, german.pk])
    assert client.post(apply, {"reply_body": "x"}).status_code == 404
    assert not Message.objects.filter(ticket=german).exists()
    own = make_ticket("pt-BR", status=TicketStatus.OPEN, assignee=bruno)
    assert (
        client.get(reverse("admin:macros_macro_apply", args=[shipped.pk, own.pk])).status_code
        == 405
    )


def test_managers_see_the_coverage_matrix_linked_from_the_list(maria: Agent, bruno: Agent) -> None:
    Language.objects.exclude(tag__in=["en", "de", "pt-BR"]).update(enabled=False)
    refund = make_macro("Refund", {"en": "Refunded.", "de": "Erstattet."})
    MacroVariant.objects.filter(macro=refund, language="de").update(
        body_changed_at=timezone.now() - timedelta(days=1)
    )
    manager = signed_in(maria)

    changelist = manager.get(reverse("admin:macros_macro_changelist")).content.decode()
    coverage_url = reverse("admin:macros_macro_coverage")
    assert coverage_url == "/admin/macros/macro/coverage/"
    assert coverage_url in changelist

    page = manager.get(coverage_url).content.decode()
    assert 'data-language="en" data-state="ok"' in page
    assert 'data-language="de" data-state="stale"' in page
    assert 'data-language="pt-BR" data-state="missing"' in page
    assert signed_in(bruno).get(coverage_url).status_code == 403


def test_agents_may_look_at_macros_but_not_change_them(shipped: Macro, bruno: Agent) -> None:
    client = signed_in(bruno)

    assert client.get(reverse("admin:macros_macro_changelist")).status_code == 200
    add = client.post(reverse("admin:macros_macro_add"), {"name": "Mine"})
    assert add.status_code == 403


def variant_form(body: str, language: str = "nl") -> dict[str, str]:
    return {
        "name": "Welcome",
        "source_language": "en",
        "active": "on",
        "set_status": "",
        "set_priority": "",
        "add_tags": '["welcome"]',
        "variants-TOTAL_FORMS": "1",
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "1000",
        "variants-0-language": language,
        "variants-0-name": "Welkom",
        "variants-0-body": body,
    }


def test_saving_a_variant_with_an_unknown_placeholder_is_refused_by_name(maria: Agent) -> None:
    manager = signed_in(maria)

    refused = manager.post(reverse("admin:macros_macro_add"), variant_form("Hoi {{voornaam}}"))

    assert refused.status_code == 200
    assert "{{voornaam}}" in refused.content.decode()
    assert not Macro.objects.exists()
    saved = manager.post(
        reverse("admin:macros_macro_add"), variant_form("Hoi {{customer_name}}", "pt-br")
    )
    assert saved.status_code == 302
    assert MacroVariant.objects.get().language == "pt-BR"


def test_the_apply_view_refuses_a_nul_byte_with_a_message(shipped: Macro, bruno: Agent) -> None:
    ticket = make_ticket("pt-BR", status=TicketStatus.OPEN, assignee=bruno)

    response = signed_in(bruno).post(
        reverse("admin:macros_macro_apply", args=[shipped.pk, ticket.pk]),
        {"reply_body": "Olá\x00", "reply_kind": "public"},
        follow=True,
    )

    assert response.status_code == 200
    assert not Message.objects.filter(ticket=ticket).exists()
    assert 'class="error"' in response.content.decode()


def test_a_status_or_priority_changed_on_the_page_is_applied_after_the_macro(
    bruno: Agent,
) -> None:
    """The `s` shortcut (solve) with a macro chosen, and the fields the agent left alone."""
    thanks = make_macro("Thanks", {"pt-BR": "Obrigado!"}, set_priority=3)
    solve = make_ticket("pt-BR", status=TicketStatus.OPEN, assignee=bruno)
    keep = make_ticket("pt-BR", status=TicketStatus.OPEN, assignee=bruno)
    client = signed_in(bruno)

    def apply(ticket_pk: int, status: str, priority: str) -> None:
        client.post(
            reverse("admin:macros_macro_apply", args=[thanks.pk, ticket_pk]),
            {
                "reply_body": "Obrigado!",
                "reply_kind": "public",
                "status": status,
                "priority": priority,
            },
        )

    apply(solve.pk, "solved", "2")  # status changed on the page; priority shown as it was
    apply(keep.pk, "open", "1")  # priority changed on the page: it wins over the macro's

    solve.refresh_from_db()
    keep.refresh_from_db()
    assert (solve.status, solve.priority) == (TicketStatus.SOLVED, 3)
    assert (keep.status, keep.priority) == (TicketStatus.OPEN, 1)


def test_the_macro_page_flags_a_variant_older_than_its_source_text(maria: Agent) -> None:
    refund = make_macro("Refund", {"en": "Refunded.", "de": "Erstattet."})
    MacroVariant.objects.filter(macro=refund, language="de").update(
        body_changed_at=timezone.now() - timedelta(days=1)
    )
    manager = signed_in(maria)

    page = manager.get(reverse("admin:macros_macro_change", args=[refund.pk])).content.decode()
    listing = manager.get(reverse("admin:macros_macro_changelist")).content.decode()

    assert page.count("may be out of date") == 1
    assert (
        'class="sd-badge sd-macro-lang sd-macro-lang--stale" title="may be out of date">de<'
        in listing
    )


@pytest.mark.parametrize("count", [11, 12])
def test_too_many_files_with_a_macro_are_refused_as_one_too_many(
    shipped: Macro, bruno: Agent, attachment_media: Any, count: int
) -> None:
    # given the ticket page's form sent with a macro and more files than a message may have
    ticket = make_ticket("pt-BR", status=TicketStatus.OPEN, assignee=bruno)
    scans = [SimpleUploadedFile(f"scan-{n}.pdf", files.pdf()) for n in range(count)]
    response = signed_in(bruno).post(
        reverse("admin:macros_macro_apply", args=[shipped.pk, ticket.pk]),
        {"reply_body": "Olá", "reply_kind": "public", "reply_files": scans},
        follow=True,
    )
    # then the ticket page says how many a message may have, for 12 as for 11 (no 400 page)
    assert response.status_code == 200
    assert "Een bericht kan hoogstens 10 bestanden hebben." in response.content.decode()
    assert not Message.objects.filter(ticket=ticket).exists()


def test_a_refused_macro_keeps_the_agent_s_text_in_the_reply_box_once(
    shipped: Macro, bruno: Agent, attachment_media: Any
) -> None:
    # given an agent who edited a macro's text into a note and sent it with a file it refuses
    ticket = make_ticket("pt-BR", status=TicketStatus.OPEN, assignee=bruno)
    client = signed_in(bruno)
    script = SimpleUploadedFile("label.exe", b"MZ\x90\x00" + b"\x00" * 200)
    response = client.post(
        reverse("admin:macros_macro_apply", args=[shipped.pk, ticket.pk]),
        {
            "reply_body": "Olá Ana, segue a etiqueta <b>nova</b>.",
            "reply_kind": "internal",
            "reply_files": [script],
        },
        follow=True,
    )
    # then the ticket page names the file and shows the text and the kind as the agent sent them
    page = response.content.decode()
    assert "label.exe" in page
    assert not Message.objects.filter(ticket=ticket).exists()
    form = response.context["adminform"].form
    assert form["reply_body"].value() == "Olá Ana, segue a etiqueta <b>nova</b>."
    assert form["reply_kind"].value() == "internal"
    assert "segue a etiqueta &lt;b&gt;nova&lt;/b&gt;.</textarea>" in page
    # and only once: the next showing of the page starts empty again
    again = client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk]))
    assert again.context["adminform"].form["reply_body"].value() in (None, "")
