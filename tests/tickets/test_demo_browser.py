"""`make run`'s demo hub, alive: the embedded runtime with the living demo, started the way
`make run` starts it (scripts/run_embedded.sh, DEMO_LIVE=1) on the seeded hub. A ticket a newcomer
posts after start-up is assigned within seconds, the demo keeps posting, and the manager's page
shows the native-language service. Loopback only; every wait is a bounded loop."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, expect

from supportdesk.agents.services import agent_upsert
from supportdesk.tickets.models import Ticket
from tests.browser import ARTIFACTS
from tests.routing.conftest import database_url

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "tulip-canal-bridge"
MAKE_RUN_TICKETS = "100"  # the Makefile's DEMO_TICKETS


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - loopback
            return bool(response.status == 200)
    except OSError:
        return False


def _until(check: Callable[[], bool], *, seconds: float, what: str) -> float:
    """Poll `check` until it holds; return how long it took; fail after `seconds`."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > seconds:
            pytest.fail(f"{what}: not within {seconds} s")
        time.sleep(0.25)
    return time.monotonic() - start


@pytest.fixture
def demo_hub(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """make run's hub (seed_demo, the demo manager, an API key), served by the embedded runtime
    with the living demo. Yields (base URL, API key)."""
    call_command("seed_demo", "--tickets", MAKE_RUN_TICKETS, stdout=StringIO())
    agent_upsert(username="demo-manager", skills={"en": "native"}, manager=True, password=PASSWORD)
    out = StringIO()
    call_command("create_api_key", "demo-helpcentre", stdout=out)
    port = _free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "AGENT_TTL_SECONDS": "86400",
        "DEMO_LIVE": "1",
        "DEMO_LIVE_ARRIVALS_PER_MINUTE": "30",
        "EMAIL_URL": f"filemail://{tmp_path / 'mail'}",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("CELERY_BROKER_URL", None)
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            ["bash", "scripts/run_embedded.sh"],  # noqa: S607
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield f"http://127.0.0.1:{port}", out.getvalue().strip()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_a_ticket_posted_after_start_up_is_assigned_within_seconds(
    demo_hub: tuple[str, str], browser: Browser
) -> None:
    base, key = demo_hub
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="en-GB")
    _until(lambda: _answers(f"{base}/healthz"), seconds=60, what="the embedded server answering")
    seeded = Ticket.objects.count()

    # when a newcomer posts a German ticket through the API
    auth = {"Authorization": f"Api-Key {key}"}
    created = page.request.post(
        f"{base}/api/v1/tickets/",
        headers=auth,
        data={
            "subject": "Rechnung doppelt abgebucht",
            "body": "Mir wurde die Rechnung vom März zweimal abgebucht. Bitte prüfen Sie das.",
            "customer": {"email": "neu@example.com"},
            "language": "de",
        },
    )
    assert created.status == 201, created.text()
    url = f"{base}/api/v1/tickets/{created.json()['id']}/"

    # then it is assigned within seconds
    took = _until(
        lambda: page.request.get(url, headers=auth).json()["assignee"] is not None,
        seconds=15,
        what="the new ticket assigned",
    )
    assert took < 15
    # and the hub lives: the demo's customers keep posting
    _until(lambda: Ticket.objects.count() > seeded + 1, seconds=30, what="the demo posting tickets")

    # and the manager sees the native-language service on the dashboard
    page.goto(f"{base}/admin/login/?next=/dashboard/%3Frefresh%3D2")
    page.fill("#id_username", "demo-manager")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    native = page.locator('#sd-hub [data-field="first_match.last_hour.native_share"]')
    expect(native).to_have_text(re.compile(r"^\d+(\.\d)?%$"), timeout=20_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "demo-live-dashboard.png"), full_page=True)
