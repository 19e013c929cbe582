"""Shared fixtures: one API client per principal, so every endpoint gets the authz matrix."""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from rest_framework.test import APIClient

if TYPE_CHECKING:
    from playwright.sync_api import Browser

from supportdesk.agents.models import Agent
from supportdesk.agents.services import agent_upsert
from supportdesk.clients.models import ClientApplication
from supportdesk.clients.services import api_key_create
from supportdesk.core import snapshots


@dataclass(frozen=True)
class ClientPrincipal:
    app: ClientApplication
    key: str
    client: APIClient


@dataclass(frozen=True)
class StaffPrincipal:
    agent: Agent
    token: str
    client: APIClient


def _client_app(name: str) -> ClientPrincipal:
    app, key = api_key_create(name=name)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return ClientPrincipal(app, key, client)


def _staff(username: str, *, manager: bool, skills: dict[str, str] | None = None) -> StaffPrincipal:
    agent, token = agent_upsert(
        username=username,
        skills=skills or {"en": "fluent", "nl": "native"},
        online=True,
        manager=manager,
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return StaffPrincipal(agent, token, client)


@pytest.fixture(autouse=True)
def _fresh_snapshots() -> None:
    """Each test starts without reference data another test's rolled-back rows left behind."""
    snapshots.clear_all()


@pytest.fixture
def attachment_media(settings: Any, tmp_path: Path) -> Path:
    """The attachment storage in a folder of this test's own, so it can see every file."""
    media = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media},
        },
    }
    return media


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def client_a(db: None) -> ClientPrincipal:
    return _client_app("help-centre-a")


@pytest.fixture
def client_b(db: None) -> ClientPrincipal:
    return _client_app("mobile-app-b")


@pytest.fixture
def agent_principal(db: None) -> StaffPrincipal:
    return _staff("agent-anna", manager=False)


@pytest.fixture
def german_agent(db: None) -> StaffPrincipal:
    """An agent who speaks only German: Dutch tickets are outside its scope."""
    return _staff("agent-dieter", manager=False, skills={"de": "native"})


@pytest.fixture
def manager_principal(db: None) -> StaffPrincipal:
    return _staff("manager-max", manager=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests must restore what `migrate` seeded (languages, staff groups):
    a plain flush would also recreate content types under new ids and break the next
    serialized test. One rule for all: transaction=True goes with serialized_rollback=True."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and not marker.kwargs.get("serialized_rollback")
        ):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True)"
            )


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator["Browser"]:
    """Debian's Chromium for one test (tests/browser.py). Playwright's sync API runs an event
    loop in this thread; the ORM calls the test makes while it runs are plain synchronous
    calls, so Django's async guard may stand down."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    from tests.browser import launch_chromium

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        try:
            yield chromium
        finally:
            chromium.close()
            # connections opened while Playwright's loop runs live in their own context
            # (asgiref's Local): close them here, or the test database cannot be dropped
            connections.close_all()
