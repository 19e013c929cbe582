"""The workspace as agents meet it, in Debian's Chromium: the live queue picks up a ticket
routing assigns (no reload), two agents on one ticket see each other, the Arabic UI shows a
Latin-script message left to right and fits at 1366 px, a reference typed in the default view
finds a colleague's ticket. Screenshots: test-artifacts/admin/workspace-*.png."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from supportdesk.agents.models import Agent
from supportdesk.routing.services import ticket_route
from tests.admin.conftest import make_agent, open_ticket
from tests.admin.test_browser import TIMEOUT_MS, chromium_page, shot, sign_in
from tests.browser import launch_chromium
from tests.factories import CustomerFactory, MessageFactory, TicketFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
T = TypeVar("T")
TABLE_FITS = """() => document.querySelector('#result_list').scrollWidth
  <= document.querySelector('#changelist .results').clientWidth"""
# every piece of an address between its break opportunities (<wbr>) sits on one line
PIECES_ON_ONE_LINE = """e => Array.from(e.childNodes)
  .filter(n => n.nodeType === Node.TEXT_NODE && n.textContent.length)
  .every(n => { const r = document.createRange(); r.selectNodeContents(n);
    const tops = Array.from(r.getClientRects()).map(x => Math.round(x.top));
    return new Set(tops).size === 1; })"""


def in_another_thread(work: Callable[[], T]) -> T:
    """Database work while a browser is open (Playwright's loop owns this thread)."""

    def run() -> T:
        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def test_the_live_queue_shows_a_ticket_routing_assigns_without_a_reload(
    live_server: LiveServer,
) -> None:
    anna = make_agent("anna", {"nl": "native"})
    open_ticket(anna, language="nl", subject="Eerder ticket")
    waiting = TicketFactory(language="nl", subject="Pakket nooit aangekomen")

    with chromium_page() as page:
        sign_in(page, live_server, "anna")
        page.goto(f"{live_server.url}/admin/tickets/ticket/?refresh=2")
        page.evaluate("window.sdNotReloaded = true")
        expect(page.locator("#result_list tbody tr")).to_have_count(1)

        def route() -> None:
            Agent.objects.filter(pk=anna.pk).update(status="online", last_seen=timezone.now())
            ticket_route(ticket_id=waiting.pk)

        in_another_thread(route)

        notice = page.locator("#sd-live-notice")
        expect(notice).to_be_visible()
        expect(notice).to_contain_text(waiting.reference)
        unread = page.locator("#result_list tr.sd-unread")
        expect(unread).to_have_count(1)
        expect(unread).to_contain_text("Pakket nooit aangekomen")
        expect(page).to_have_title("(2) My open tickets | supportdesk")
        assert page.evaluate("window.sdNotReloaded") is True  # rows changed, page did not
        shot(page, "workspace-live-queue")

        # the admin's action bar still counts the swapped-in rows
        page.check(f"input.action-select[value='{waiting.pk}']")
        expect(page.locator(".action-counter")).to_contain_text("1 of 2 selected")
        # keyboard: ? lists the shortcuts, Esc closes them, j + Enter opens the first row
        page.keyboard.press("?")
        expect(page.locator("#sd-shortcuts")).to_contain_text("Keyboard shortcuts")
        page.keyboard.press("Escape")
        expect(page.locator("#sd-shortcuts")).to_be_hidden()
        page.evaluate("document.activeElement.blur()")
        page.keyboard.press("j")
        page.keyboard.press("Enter")
        page.wait_for_url("**/admin/tickets/ticket/*/change/**")


def test_two_agents_on_one_ticket_see_each_other(live_server: LiveServer) -> None:
    anna = make_agent("anna", {"nl": "native"})
    make_agent("lea", {"nl": "fluent"})
    ticket = open_ticket(anna, language="nl", subject="Dubbel betaald")
    MessageFactory(ticket=ticket, body="Ik heb twee keer betaald.")
    url = f"{live_server.url}/admin/tickets/ticket/{ticket.pk}/change/?refresh=2"

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            pages: list[Page] = []
            for username in ("anna", "lea"):
                context = browser.new_context(viewport={"width": 1366, "height": 900})
                context.set_default_timeout(TIMEOUT_MS)
                page = context.new_page()
                sign_in(page, live_server, username)
                page.goto(url)
                pages.append(page)
            anna_page, lea_page = pages
            expect(anna_page.locator("#sd-presence")).to_have_text("Also viewing this ticket: lea")
            expect(lea_page.locator("#sd-presence")).to_have_text("Also viewing this ticket: anna")
            shot(anna_page, "workspace-presence-anna")
            shot(lea_page, "workspace-presence-lea")
            # keyboard: m opens the macro picker, n starts an internal note
            anna_page.keyboard.press("m")
            expect(anna_page.locator("#sd-macros-search")).to_be_focused()
            anna_page.evaluate("document.activeElement.blur()")
            anna_page.keyboard.press("n")
            expect(anna_page.locator("#id_reply_body")).to_be_focused()
            expect(anna_page.locator("input[name=reply_kind][value=internal]")).to_be_checked()
        finally:
            browser.close()


@pytest.mark.parametrize("language", ["en", "nl", "ar"])
def test_the_list_fits_at_1366_px_and_arabic_shows_latin_text_left_to_right(
    live_server: LiveServer, language: str
) -> None:
    anna = make_agent("anna", {"nl": "native", "en": "fluent"})
    Agent.objects.filter(pk=anna.pk).update(ui_language=language)
    customer = CustomerFactory(email="wilhelmina.vandersteenhoven@voorbeeldwinkel.example.nl")
    ticket = open_ticket(
        anna,
        language="nl",
        customer=customer,
        subject="Bestelling 88231 is beschadigd aangekomen en ik wil graag een vervanging",
        first_response_due_at=timezone.now() + timezone.timedelta(hours=3),
    )
    MessageFactory(ticket=ticket, body="Hello, my order arrived broken. Order 88231.")

    with chromium_page() as page:
        page.set_viewport_size({"width": 1366, "height": 900})
        sign_in(page, live_server, "anna")
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        assert page.evaluate(TABLE_FITS), "the list scrolls sideways at 1366 px"
        shot(page, f"workspace-list-1366-{language}")
        email = page.locator("#result_list td.field-customer_email .sd-email")
        assert email.evaluate(PIECES_ON_ONE_LINE), "an e-mail address wrapped inside a word"
        if language == "ar":
            assert page.evaluate("document.documentElement.dir") == "rtl"
            page.click(f"text={ticket.reference}")
            body = page.locator(".sd-message__body").first
            expect(body).to_have_attribute("dir", "auto")
            assert body.evaluate("e => getComputedStyle(e).direction") == "ltr"
            assert page.evaluate("document.documentElement.scrollWidth") <= 1366
            shot(page, "workspace-arabic-latin-message")


def test_a_reference_from_the_default_view_finds_a_colleagues_ticket(
    live_server: LiveServer,
) -> None:
    anna = make_agent("anna", {"nl": "native", "en": "fluent"})
    bruno = make_agent("bruno", {"en": "fluent"})
    open_ticket(anna, language="nl", subject="Mijn eigen ticket")
    theirs = open_ticket(bruno, language="en", subject="Charged twice")

    with chromium_page() as page:
        sign_in(page, live_server, "anna")
        expect(page.locator("#result_list")).not_to_contain_text("Charged twice")
        page.fill("#searchbar", theirs.reference.lower())
        page.press("#searchbar", "Enter")
        rows = page.locator("#result_list tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("Charged twice")
        expect(page.locator("h1")).to_have_text("Search by reference")
        shot(page, "workspace-search-by-reference")


def test_a_reply_waits_while_a_new_customer_message_is_shown_first(
    live_server: LiveServer,
) -> None:
    anna = make_agent("anna", {"nl": "native"})
    ticket = open_ticket(anna, language="nl", subject="Levering")
    MessageFactory(ticket=ticket, body="Wanneer komt mijn bestelling?")

    with chromium_page() as page:
        sign_in(page, live_server, "anna")
        page.goto(f"{live_server.url}/admin/tickets/ticket/{ticket.pk}/change/?refresh=2")
        page.fill("#id_reply_body", "Morgen tussen 9 en 12 uur.")
        in_another_thread(
            lambda: MessageFactory(ticket=ticket, body="Laat maar, ik haal hem zelf op.")
        )
        expect(page.locator("#sd-arrived-live")).to_be_visible()  # the heartbeat noticed

        page.click("input[name=_continue]")

        arrived = page.locator(".sd-arrived")
        expect(arrived).to_contain_text("Laat maar, ik haal hem zelf op.")
        expect(page.locator("#id_reply_body")).to_have_value("Morgen tussen 9 en 12 uur.")
        expect(page.locator(".errorlist")).to_contain_text("Your reply was not sent")
        shot(page, "workspace-collision-warning")
        page.fill("#id_reply_body", "Prima, dan sluit ik het ticket.")
        page.click("input[name=_continue]")
        expect(page.locator(".sd-message--agent").last).to_contain_text("dan sluit ik")
