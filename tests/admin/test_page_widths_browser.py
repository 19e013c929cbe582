"""The manager's pages on a common laptop screen (1366 px) in the long-worded UI languages: no
page and no table scrolls sideways, so no column (a message's text, an agent's last-seen time,
a macro variant's text) hides off-screen. Debian's Chromium; screenshots in test-artifacts/."""

import pytest
from django.utils import timezone
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from supportdesk.agents.models import Agent
from supportdesk.tickets.models import TicketStatus
from tests.admin.conftest import PASSWORD, make_agent
from tests.browser import ARTIFACTS
from tests.factories import MessageFactory, TicketFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PAGES = [
    "/admin/tickets/ticket/",
    "/admin/tickets/message/",
    "/admin/tickets/ticketevent/",
    "/admin/tickets/customer/",
    "/admin/agents/agent/",
    "/admin/macros/macro/add/",
    "/admin/mail/mailbox/add/",
]
OVERFLOW = """() => [document.documentElement, ...document.querySelectorAll('*')]
    .filter(e => e === document.documentElement
        || ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
    .filter(e => e.scrollWidth > e.clientWidth + 1)
    .map(e => `${e.id || e.tagName}: ${e.scrollWidth - e.clientWidth}px`)"""


@pytest.mark.parametrize("language", ["de", "fi"])
def test_manager_pages_fit_a_laptop_screen(
    live_server: LiveServer, browser: Browser, language: str
) -> None:
    # given a manager working in a long-worded language, an agent seen today, messages
    maria = make_agent("maria", {"de": "native"}, manager=True)
    Agent.objects.filter(pk=maria.pk).update(ui_language=language)
    anna = make_agent("anna", {"nl": "native", "en": "fluent"})
    Agent.objects.filter(pk=anna.pk).update(last_seen=timezone.now())
    ticket = TicketFactory(status=TicketStatus.OPEN, assignee=anna, subject="Bestelling kwijt")
    MessageFactory(ticket=ticket, body="Mijn bestelling is na twee weken nog niet aangekomen " * 3)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale=language)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/**")
    overflowing = {}
    for path in PAGES:
        # when she opens each page
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None
        assert response.status == 200, path
        # then nothing on it needs sideways scrolling
        found = page.evaluate(OVERFLOW)
        if found:
            overflowing[path] = found
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(
                path=str(ARTIFACTS / f"overflow-{language}-{path.strip('/').replace('/', '-')}.png")
            )
    context.close()
    assert overflowing == {}
