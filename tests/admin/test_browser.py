"""The workspace in a real browser: Debian's Chromium driven by Playwright against the live
server. Screenshots go to test-artifacts/admin/ (git-ignored)."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from supportdesk.agents.models import Agent
from supportdesk.tickets.models import Ticket, TicketStatus
from tests.admin.conftest import PASSWORD, make_agent, open_ticket
from tests.browser import ARTIFACTS as BROWSER_ARTIFACTS
from tests.browser import launch_chromium
from tests.factories import MessageFactory, TicketFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTIFACTS = BROWSER_ARTIFACTS / "admin"
TIMEOUT_MS = 15_000


@contextmanager
def chromium_page(*, locale: str = "en-US") -> Iterator[Page]:
    """A fresh browser per test. The test's own database work happens before and after this
    block: Playwright's sync API runs an asyncio loop in this thread while it is open."""
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            context = browser.new_context(locale=locale, viewport={"width": 1440, "height": 900})
            context.set_default_timeout(TIMEOUT_MS)
            yield context.new_page()
        finally:
            browser.close()


def sign_in(page: Page, live_server: LiveServer, username: str) -> None:
    page.goto(f"{live_server.url}/admin/login/?next=/admin/tickets/ticket/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/tickets/ticket/**")


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_an_agent_works_a_ticket_from_list_to_solved(live_server: LiveServer) -> None:
    # given: anna's open ticket, a colleague's, and one waiting in the queue
    anna = make_agent("anna", {"nl": "native", "en": "fluent"})
    bruno = make_agent("bruno", {"en": "fluent"})
    mine = open_ticket(anna, language="nl", subject="Pakket niet ontvangen")
    MessageFactory(ticket=mine, body="Mijn pakket is nog steeds niet aangekomen.")
    theirs = open_ticket(bruno, language="en", subject="Invoice question")
    waiting = TicketFactory(language="nl", subject="Wachtend ticket")

    with chromium_page() as page:
        # when: anna signs in, she sees her own open tickets only
        sign_in(page, live_server, "anna")
        rows = page.locator("#result_list tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(mine.reference)
        expect(page.locator("#result_list")).not_to_contain_text(theirs.subject)
        expect(page.locator("#result_list")).not_to_contain_text(waiting.subject)
        shot(page, "1-my-open-tickets")

        # she opens it and answers the customer
        page.click(f"text={mine.reference}")
        expect(page.locator(".sd-thread")).to_contain_text("Mijn pakket is nog steeds")
        page.fill("#id_reply_body", "Het pakket is onderweg, u krijgt het morgen.")
        page.check("#id_reply_kind_0")
        page.click("input[name=_continue]")
        expect(page.locator(".sd-message--agent").last).to_contain_text("onderweg")

        # and leaves an internal note, shown apart from the public thread
        page.fill("#id_reply_body", "Vervoerder gebeld, levering dinsdag.")
        page.check("#id_reply_kind_1")
        page.click("input[name=_continue]")
        note = page.locator(".sd-message--internal")
        expect(note).to_have_count(1)
        expect(note).to_contain_text("Vervoerder gebeld")
        shot(page, "2-ticket-with-reply-and-note")

        # then solves it
        page.select_option("#id_status", TicketStatus.SOLVED)
        page.click("input[name=_continue]")
        expect(page.locator("#id_status")).to_have_value(TicketStatus.SOLVED)

        # and steps away
        page.click("#agent-status button[value=away]")
        away = page.locator("#agent-status button[value=away]")
        expect(away).to_have_attribute("aria-pressed", "true")
        shot(page, "3-solved-and-away")

    # then: the database agrees with what she saw
    mine.refresh_from_db()
    anna.refresh_from_db()
    replies = list(mine.messages.filter(author_kind="agent").values_list("internal", flat=True))
    assert replies == [False, True]
    assert mine.status == TicketStatus.SOLVED
    assert anna.status == Agent.Status.AWAY
    assert anna.load == 0
    assert Ticket.objects.get(pk=waiting.pk).assignee_id is None


def test_an_agent_with_dutch_as_ui_language_gets_a_dutch_admin(live_server: LiveServer) -> None:
    agent = make_agent("daan", {"nl": "native"})
    Agent.objects.filter(pk=agent.pk).update(ui_language="nl")
    open_ticket(agent, language="nl")

    with chromium_page(locale="en-US") as page:
        sign_in(page, live_server, "daan")

        expect(page.locator("html")).to_have_attribute("lang", "nl")
        expect(page.locator("#logout-form button")).to_have_text("Afmelden")  # "Log out"
        expect(page.locator("#changelist-form")).to_contain_text("Actie:")  # "Action:"
        # and our own strings, from locale/nl
        expect(page.locator("#changelist-filter")).to_contain_text("Mijn open tickets")
        expect(page.locator("body")).to_contain_text("Mijn status:")
        shot(page, "4-dutch")


def test_an_arabic_session_renders_right_to_left(live_server: LiveServer) -> None:
    agent = make_agent("amira", {"ar": "native"})
    open_ticket(agent, language="ar", subject="لم يصل طلبي")

    with chromium_page(locale="ar") as page:
        sign_in(page, live_server, "amira")

        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        direction = page.evaluate("getComputedStyle(document.body).direction")
        shot(page, "5-arabic-rtl")

    assert direction == "rtl"
