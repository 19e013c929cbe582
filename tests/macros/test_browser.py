"""Applying a macro in a real browser (Debian's Chromium): an agent working in a Dutch UI opens
the picker with `m`, finds a macro by its Dutch name from the reply box of a Portuguese
(Brazil) ticket, gets the pt-BR text with the placeholders filled, edits it, sends it; the
macro's actions run and the event log says so in Dutch. Screenshots in
test-artifacts/macros/."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from supportdesk.agents.models import Agent
from supportdesk.tickets.models import EventKind, Message, Ticket, TicketStatus
from tests.admin.conftest import make_agent
from tests.admin.test_browser import chromium_page, sign_in
from tests.attachments import files
from tests.browser import ARTIFACTS as BROWSER_ARTIFACTS
from tests.macros.conftest import make_macro, make_ticket

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTIFACTS = BROWSER_ARTIFACTS / "macros"


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_dutch_ui_agent_applies_a_macro_to_a_brazilian_ticket(live_server: LiveServer) -> None:
    # given: bruno speaks Portuguese but works in Dutch; a pt-BR ticket of his; one macro
    bruno = make_agent("bruno", {"pt-BR": "native", "en": "fluent"})
    Agent.objects.filter(pk=bruno.pk).update(ui_language="nl")
    ticket = make_ticket(
        "pt-BR",
        zone="America/Sao_Paulo",
        status=TicketStatus.OPEN,
        assignee=bruno,
        subject="Cadê meu pedido?",
    )
    macro = make_macro(
        "Order shipped",
        {
            "en": "Hello {{customer_name}}, your order {{ticket_reference}} has shipped.",
            "pt-BR": "Olá {{customer_name}}, seu pedido {{ticket_reference}} foi enviado. "
            "Prazo: {{first_response_due}}.",
        },
        set_status=TicketStatus.SOLVED,
        add_tags=["shipping"],
    )
    macro.variants.filter(language="en").update(name="Order shipped")
    macro.variants.create(language="nl", name="Bestelling verzonden", body="Hallo!")
    rendered = (
        f"Olá Ana Souza, seu pedido {ticket.reference} foi enviado. "
        "Prazo: 2 de março de 2026 06:00:00 BRT."
    )

    with chromium_page(locale="nl-NL") as page:
        sign_in(page, live_server, "bruno")
        page.goto(f"{live_server.url}/admin/tickets/ticket/{ticket.pk}/change/")
        expect(page.locator("#sd-macros")).to_have_attribute("data-ready", "true")

        # when: the `m` shortcut opens the picker, he searches by the Dutch name and picks it
        page.locator("body").press("m")
        expect(page.locator("#sd-macros-search")).to_be_focused()
        page.keyboard.type("verzon")
        option = page.locator(".sd-macros__item")
        expect(option).to_have_count(1)
        expect(option).to_contain_text("Bestelling verzonden")
        expect(option).to_contain_text("pt-BR")
        shot(page, "1-picker-in-dutch")
        option.click()

        # then: the pt-BR text is in the reply box, to edit before sending
        expect(page.locator("#id_reply_body")).to_have_value(rendered)
        expect(page.locator(".sd-macros__chosen")).to_contain_text("Bestelling verzonden")
        page.fill("#id_reply_body", rendered + " Obrigado!")
        shot(page, "2-text-in-the-reply-box")
        page.click("input[name=_continue]")

        expect(page.locator(".sd-message--agent").last).to_contain_text("Obrigado!")
        expect(page.locator(".messagelist")).to_contain_text(
            "Macro “Bestelling verzonden” toegepast (tekst in het Portugees (Brazilië) (pt-BR))."
        )
        expect(page.locator(".sd-events")).to_contain_text(
            "Macro “Order shipped” toegepast (tekst in het Portugees (Brazilië), "
            "bewerkt voor verzending)."
        )
        shot(page, "3-sent-and-logged")

    reply = Message.objects.get(ticket=ticket)
    assert reply.body == rendered + " Obrigado!"
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.status, ticket.tags) == (TicketStatus.SOLVED, ["shipping"])
    assert ticket.events.filter(kind=EventKind.MACRO_APPLIED).count() == 1


def test_a_refused_file_keeps_the_edited_macro_text_and_the_macro(
    live_server: LiveServer, attachment_media: object
) -> None:
    # given: bruno, a Brazilian ticket of his, a macro that solves it
    bruno = make_agent("bruno", {"pt-BR": "native", "en": "fluent"})
    Agent.objects.filter(pk=bruno.pk).update(ui_language="nl")
    ticket = make_ticket("pt-BR", status=TicketStatus.OPEN, assignee=bruno)
    macro = make_macro(
        "Label",
        {"pt-BR": "Olá {{customer_name}}, segue a etiqueta de devolução."},
        set_status=TicketStatus.SOLVED,
    )
    edited = "Olá Ana Souza, segue a etiqueta de devolução. Imprima e cole na caixa."

    with chromium_page(locale="nl-NL") as page:
        sign_in(page, live_server, "bruno")
        page.goto(f"{live_server.url}/admin/tickets/ticket/{ticket.pk}/change/")
        expect(page.locator("#sd-macros")).to_have_attribute("data-ready", "true")
        page.locator("body").press("m")
        page.keyboard.type("Label")
        page.keyboard.press("Enter")
        page.fill("#id_reply_body", edited)

        # when: he sends it with a file the desk does not accept
        page.set_input_files(
            "input[name=reply_files]",
            files=[{"name": "etiqueta.exe", "mimeType": "application/pdf", "buffer": files.EXE}],
        )
        page.click("input[name=_continue]")

        # then: the page names the file, and his text and the macro are still there
        expect(page.locator(".messagelist")).to_contain_text("etiqueta.exe")
        expect(page.locator("#id_reply_body")).to_have_value(edited)
        expect(page.locator("#sd-macros")).to_have_attribute("data-armed", str(macro.pk))
        expect(page.locator(".sd-macros__chosen")).to_be_visible()
        expect(page.locator(".sd-message--agent")).to_have_count(0)  # nothing was sent
        shot(page, "4-refused-file-text-kept")

        # and sending again without the file applies the macro with his text
        page.click("input[name=_continue]")
        expect(page.locator(".sd-message--agent").last).to_contain_text("Imprima e cole")

    [reply] = Message.objects.filter(ticket=ticket)  # one: the refused submit saved nothing
    assert reply.body == edited
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.SOLVED


def test_the_coverage_matrix_reads_as_a_table(live_server: LiveServer) -> None:
    # given a manager and two macros: one with texts in en and nl, one in en only
    make_agent("maria", {"de": "native"}, manager=True)
    make_macro("Address change", {"en": "Hello", "nl": "Hallo"})
    make_macro("Refund", {"en": "Your refund"})

    with chromium_page(locale="en-GB") as page:
        sign_in(page, live_server, "maria")
        page.goto(f"{live_server.url}/admin/macros/macro/coverage/")
        shot(page, "5-coverage-matrix")
        # then each macro's cells sit on its own row, one under each language's heading
        layout = page.evaluate(
            """() => [...document.querySelectorAll('.sd-coverage__table tbody tr')].map(tr => {
                const name = tr.querySelector('th').getBoundingClientRect();
                return [tr.querySelector('th').textContent.trim(),
                        [...tr.querySelectorAll('td[data-language]')].map(td => {
                            const box = td.getBoundingClientRect();
                            const head = [...document.querySelectorAll('thead th')]
                                .find(th => th.textContent.trim() === td.dataset.language);
                            return [td.dataset.language, td.dataset.state,
                                    Math.abs(box.top - name.top) < 2,
                                    Math.abs(box.left - head.getBoundingClientRect().left) < 2];
                        })];
            })"""
        )
    rows = dict(layout)
    assert set(rows) == {"Address change", "Refund"}
    for cells in rows.values():
        assert all(same_row and under_heading for _tag, _state, same_row, under_heading in cells)
    states = {name: {tag: state for tag, state, *_ in cells} for name, cells in rows.items()}
    assert (states["Address change"]["nl"], states["Refund"]["nl"]) == ("ok", "missing")
