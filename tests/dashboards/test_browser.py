"""The managers' page in a real Chromium (Playwright), served by pytest-django's live server.

Needs Debian's Chromium (`apt-get install chromium`). Screenshots go to test-artifacts/.
"""

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from supportdesk.agents.services import agent_upsert
from supportdesk.languages.selectors import enabled_tags
from supportdesk.tickets.models import MatchRank, TicketStatus
from tests.browser import ARTIFACTS
from tests.factories import TicketFactory

# serialized_rollback: the languages and staff groups `migrate` seeded survive the flushes
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct-horse-battery"
REFRESH_TIMEOUT_MS = 20_000  # the page polls every 2 s here


def log_in(page: Page, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_manager_sees_every_language_and_figures_update_without_reload(
    live_server: LiveServer, browser: Browser
) -> None:
    # given a hub with its languages, a manager and one waiting Dutch ticket
    assert len(enabled_tags()) >= 30
    agent_upsert(username="max", skills={"en": "fluent"}, manager=True, password=PASSWORD)
    TicketFactory(language="nl")
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="en-GB")

    # when the manager logs in and opens the dashboard
    log_in(page, live_server.url, "max", "/dashboard/%3Frefresh%3D2")

    # then every seeded language has a row, and the Dutch queue shows the ticket
    nl = page.locator('#sd-queues tr[data-language="nl"]')
    expect(nl.locator('[data-field="waiting"]')).to_have_text("1", timeout=REFRESH_TIMEOUT_MS)
    for tag in enabled_tags():
        expect(page.locator(f'#sd-queues tr[data-language="{tag}"]')).to_have_count(1)
    expect(page.locator("#sd-flow-chart svg")).to_have_count(1)
    expect(page.locator("#sd-wait-chart svg rect")).to_have_count(7)
    expect(page.locator("#sd-sla-chart svg")).to_have_count(1)
    expect(page.locator('#sd-agents tr[data-agent] th[data-field="name"]')).to_have_text("max")
    page.evaluate("window.sdNotReloaded = true")

    native_1h = nl.locator('[data-field="first_match.last_hour.native_share"]')
    expect(native_1h).to_have_text("\u2013")  # no routed ticket yet

    # when a ticket arrives, and another one that routing gave a Dutch speaker was solved
    TicketFactory(language="nl")
    TicketFactory(language="nl", status=TicketStatus.SOLVED, first_match_rank=MatchRank.EXACT)

    # then the figures change on the next poll, in the same page
    expect(nl.locator('[data-field="waiting"]')).to_have_text("2", timeout=REFRESH_TIMEOUT_MS)
    expect(nl.locator('[data-field="arrivals_last_hour"]')).to_have_text("3")
    expect(page.locator('#sd-hub [data-field="waiting"]')).to_have_text("2")
    expect(native_1h).to_have_text("100%")
    hub_native = page.locator('#sd-hub [data-field="first_match.last_24h.native_share"]')
    expect(hub_native).to_have_text("100%")
    assert page.evaluate("window.sdNotReloaded") is True
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-manager.png"), full_page=True)


def test_agent_gets_403(live_server: LiveServer, browser: Browser) -> None:
    agent_upsert(username="anna", skills={"nl": "native"}, password=PASSWORD)
    page = browser.new_page()

    log_in(page, live_server.url, "anna", "/admin/")
    response = page.goto(f"{live_server.url}/dashboard/")

    assert response is not None
    assert response.status == 403
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard-agent-403.png"))


def test_every_column_fits_a_1366_pixel_screen_in_every_ui_language(
    live_server: LiveServer, browser: Browser
) -> None:
    # given a manager, and figures in the queue table (a waiting and a natively served ticket)
    agent_upsert(username="max", skills={"en": "fluent"}, manager=True, password=PASSWORD)
    TicketFactory(language="pt-BR")
    TicketFactory(language="pt-BR", status=TicketStatus.SOLVED, first_match_rank=MatchRank.EXACT)
    tables = ["sd-queues", "sd-staffing", "sd-agents"]
    overflowing = {}
    for code, _name in django_settings.LANGUAGES:
        # when the manager opens the dashboard on a common laptop screen in that language
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale=code)
        page = context.new_page()
        log_in(page, live_server.url, "max", "/dashboard/")
        row = page.locator('#sd-queues tr[data-language="pt-BR"] [data-field="waiting"]')
        expect(row).to_have_text("1", timeout=REFRESH_TIMEOUT_MS)
        expect(page.locator("html")).to_have_attribute("lang", code)
        # then no table needs sideways scrolling: "at risk", "breached" and the SLA stay in view
        widths = page.evaluate(
            "ids => ids.map(id => { const box = document.getElementById(id).parentElement;"
            " return [id, box.scrollWidth, box.clientWidth]; })",
            tables,
        )
        overflowing[code] = [
            (t, scroll - client) for t, scroll, client in widths if scroll > client
        ]
        if code == "de":
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "dashboard-1366-de.png"))
        context.close()
    assert {code: found for code, found in overflowing.items() if found} == {}
